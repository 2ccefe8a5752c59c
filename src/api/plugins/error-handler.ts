import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CrosswalkError } from '../../errors.js';

/** Every error the API returns has this one shape (Nango's): a stable code, a message a person can act on. */
export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

/** An error a route throws on purpose: its status, code and message reach the client as they are. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The one error handler. 4xx errors say what was wrong; 5xx errors say only that something failed and give
 * the request id to find it in the log (the details are logged, never sent).
 */
async function errorHandler(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const envelope: ErrorEnvelope = {
        error: {
          code: 'request.invalid',
          message: `The request ${error.validationContext ?? ''} is invalid: ${error.validation.map((v) => `${v.instancePath || '(root)'} ${v.message}`).join('; ')}.`.replace('  ', ' '),
          issues: error.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' })),
        },
      };
      return reply.status(400).send(envelope);
    }
    if (error instanceof ApiError) return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message } });
    if (error instanceof CrosswalkError && error.failureType === 'config') {
      return reply.status(error.code.endsWith('not_found') || error.code === 'workspace.unknown_connector' ? 404 : 422).send({ error: { code: error.code, message: error.message } });
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 && !isResponseSerializationError(error) ? error.statusCode : 500;
    if (status < 500) return reply.status(status).send({ error: { code: error.code ?? 'request.failed', message: error.message } });
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: `Something went wrong on our side (request ${request.id}); the details are in the server log.` } });
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: { code: 'route.not_found', message: `No route ${request.method} ${request.url}.` } }));
}

export default fp(errorHandler, { name: 'error-handler' });

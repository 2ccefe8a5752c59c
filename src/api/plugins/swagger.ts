import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * The OpenAPI document, built from the routes' zod schemas, at /docs/json, and Swagger UI at /docs (its files
 * ship inside @fastify/swagger-ui: it works offline). Both need a signed-in user, like everything but /health.
 */
async function swaggerPlugin(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Crosswalk API',
        version: '0.1.0',
        description:
          'Customer master of physicians and organizations: connectors, runs, quarantine, master search, golden records with lineage, the review queue, merges, pins and the audit log. ' +
          'Errors always have the shape `{ error: { code, message, issues? } }`. Authenticate with `Authorization: Bearer <api key>` (`crosswalk users key <name>`) or the console session.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `crosswalk users key <name>`' },
          session: { type: 'apiKey', in: 'cookie', name: 'cw_session', description: 'The console session (state-changing requests also need the x-csrf-token header)' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true }, staticCSP: true });
}

export default fp(swaggerPlugin, { name: 'swagger' });

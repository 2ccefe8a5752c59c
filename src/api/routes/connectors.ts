import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Hub } from '../../hub.js';
import type { Engine } from '../../pipeline/engine.js';
import { findConnector } from '../../workspace/workspace.js';
import { ApiError, ErrorEnvelopeSchema } from '../plugins/error-handler.js';
import { RunSchema } from './runs.js';

/** POST /api/connectors/:id/sync: a manual run of every stream of a connector, or of one; answers at once. */
export const connectorRoutes: FastifyPluginAsyncZod<{ hub: Hub; engine: Engine }> = async (app, { hub, engine }) => {
  app.post(
    '/api/connectors/:id/sync',
    {
      schema: {
        params: z.object({ id: z.string() }),
        body: z
          .object({
            stream: z.string().min(1).optional(),
            since: z.iso.date().or(z.iso.datetime()).optional().describe('backfill: records changed since this date, instead of from the checkpoint'),
          })
          .default({}),
        response: { 202: z.object({ runs: z.array(RunSchema.extend({ joined: z.boolean() })) }), 404: ErrorEnvelopeSchema, 422: ErrorEnvelopeSchema },
      },
    },
    async (request, reply) => {
      const connector = findConnector(hub.workspace, request.params.id);
      const body = request.body ?? {};
      if (!connector.enabled) throw new ApiError(422, 'connector.disabled', `Connector "${connector.id}" is disabled in the workspace: enable it first.`);
      if (body.stream && !connector.streams.some((s) => s.name === body.stream)) {
        throw new ApiError(404, 'stream.not_found', `Connector "${connector.id}" has no stream "${body.stream}"; it has: ${connector.streams.map((s) => s.name).join(', ')}.`);
      }
      const streams = body.stream ? [body.stream] : connector.streams.map((s) => s.name);
      const runs = [];
      for (const stream of streams) {
        const { run, joined } = await engine.sync.request({ connectorId: connector.id, stream, trigger: 'api', since: body.since });
        runs.push({ ...run, joined });
      }
      return reply.status(202).send({ runs });
    },
  );
};

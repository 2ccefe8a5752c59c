import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Hub } from '../../hub.js';
import { getRun, listRuns } from '../../store/sync-run.repository.js';
import { ApiError, ErrorEnvelopeSchema } from '../plugins/error-handler.js';

export const RunSchema = z.object({
  id: z.number(),
  connector: z.string(),
  stream: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  trigger: z.string(),
  counts: z.record(z.string(), z.number()),
  error: z.object({ code: z.string(), message: z.string(), failureType: z.string() }).nullable(),
  since: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

/** Sync runs: the record of every run, newest first. */
export const runRoutes: FastifyPluginAsyncZod<{ hub: Hub }> = async (app, { hub }) => {
  app.get(
    '/api/runs',
    {
      schema: {
        querystring: z.object({ connector: z.string().optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: z.object({ runs: z.array(RunSchema) }) },
      },
    },
    async (request) => ({ runs: await listRuns(hub.db, { connector: request.query.connector, limit: request.query.limit }) }),
  );

  app.get(
    '/api/runs/:id',
    { schema: { params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: RunSchema, 404: ErrorEnvelopeSchema } } },
    async (request) => {
      const run = await getRun(hub.db, request.params.id);
      if (!run) throw new ApiError(404, 'run.not_found', `Run ${request.params.id} does not exist.`);
      return run;
    },
  );
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getRun, listRuns } from '../../store/sync-run.repository.js';
import { ApiError } from '../plugins/error-handler.js';
import { errors, type ApiContext } from './shared.js';

export const RunSchema = z.object({
  id: z.number(),
  connector: z.string(),
  stream: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  trigger: z.string(),
  counts: z.record(z.string(), z.number()).describe('read, new, changed, unchanged, deleted, quarantined, normalized, fieldIssues, batches; progress 0..1 when the connector knows'),
  error: z.object({ code: z.string(), message: z.string(), failureType: z.string() }).nullable(),
  since: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

/** Sync runs: the record of every run, newest first; a failed one can be retried (it resumes from its checkpoint). */
export const runRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { hub, engine }) => {
  const tags = ['runs'];
  app.get(
    '/api/runs',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Sync runs, newest first',
        querystring: z.object({
          connector: z.string().optional(),
          status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: { 200: z.object({ runs: z.array(RunSchema) }), ...errors(400) },
      },
    },
    async (request) => {
      const { connector, status, limit } = request.query;
      // The status filter reads a wider window: runs are few and recent ones are what a person looks for.
      const runs = await listRuns(hub.db, { connector, limit: status ? Math.max(limit, 500) : limit });
      return { runs: (status ? runs.filter((r) => r.status === status) : runs).slice(0, limit) };
    },
  );

  app.get(
    '/api/runs/:id',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'One run: counts, progress, error', params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: RunSchema, ...errors(400, 404) } },
    },
    async (request) => {
      const run = await getRun(hub.db, request.params.id);
      if (!run) throw new ApiError(404, 'run.not_found', `Run ${request.params.id} does not exist.`);
      return run;
    },
  );

  app.post(
    '/api/runs/:id/retry',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Queue a failed run again (it resumes from its checkpoint)',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 202: RunSchema, ...errors(400, 404, 422) },
      },
    },
    async (request, reply) => reply.status(202).send(await engine.sync.retry(request.params.id)),
  );
};

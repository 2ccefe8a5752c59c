import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { replayQuarantine } from '../../pipeline/replay-quarantine.js';
import { listFieldIssues } from '../../store/field-issue.queries.js';
import { appendAudit } from '../../store/master.repository.js';
import { listQuarantine } from '../../store/quarantine.repository.js';
import { actorOf } from '../plugins/auth.js';
import { errors, type ApiContext } from './shared.js';

const QuarantinedSchema = z.object({
  id: z.number(),
  runId: z.number().optional(),
  connector: z.string(),
  stream: z.string(),
  sourceId: z.string().optional(),
  reasonCode: z.string(),
  reason: z.string(),
  payload: z.unknown(),
  createdAt: z.string(),
  replayedAt: z.string().nullable(),
});

/** Records that could not be taken in, and field issues; replay after a fix. */
export const quarantineRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { hub, engine }) => {
  const tags = ['quarantine'];
  app.get(
    '/api/quarantine',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Quarantined records with their reason and payload',
        querystring: z.object({
          connector: z.string().optional(),
          stream: z.string().optional(),
          includeReplayed: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.object({ items: z.array(QuarantinedSchema) }), ...errors(400) },
      },
    },
    async (request) => ({ items: await listQuarantine(hub.db, request.query) }),
  );

  app.post(
    '/api/quarantine/replay',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Replay quarantined records through their mapping (all, one connector, or some ids)',
        body: z.object({ connector: z.string().optional(), ids: z.array(z.number().int().positive()).max(10_000).optional() }).default({}),
        response: {
          200: z.object({ replayed: z.number(), stored: z.number(), stillFailing: z.number(), notReplayable: z.number(), notes: z.array(z.string()) }),
          ...errors(400),
        },
      },
    },
    async (request) => {
      const report = await replayQuarantine(hub, request.body ?? {});
      await appendAudit(hub.db, { actor: actorOf(request), action: 'quarantine.replay', entityType: 'quarantine', entityId: request.body?.connector, after: report });
      // The replayed records that got in need matching like any fresh batch.
      if (report.stored > 0) await engine.match.request({ reason: `quarantine replay by ${actorOf(request)}` }).catch(() => undefined);
      return report;
    },
  );

  app.get(
    '/api/issues',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Field-level issues (a value nulled by normalization, and why); summary=true counts them',
        querystring: z.object({
          connector: z.string().optional(),
          code: z.string().optional(),
          summary: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
          limit: z.coerce.number().int().min(1).max(1000).default(50),
        }),
        response: { 200: z.object({ issues: z.array(z.record(z.string(), z.union([z.string(), z.number()]))) }), ...errors(400) },
      },
    },
    async (request) => ({ issues: await listFieldIssues(hub.db, request.query) }),
  );
};

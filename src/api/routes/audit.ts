import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAudit } from '../queries/audit.js';
import { errors, type ApiContext } from './shared.js';

/** The audit log: who did what, when, with the before and after. Append-only (enforced by the store). */
export const auditRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { hub }) => {
  app.get(
    '/api/audit',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['audit'],
        summary: 'Audit entries, newest first; filter by entity, actor or action (a prefix like `master` matches master.merge ...)',
        querystring: z.object({
          entityType: z.string().optional(),
          entityId: z.string().optional(),
          actor: z.string().optional(),
          action: z.string().optional(),
          beforeId: z.coerce.number().int().positive().optional().describe('page back: entries older than this id'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: {
          200: z.object({
            entries: z.array(
              z.object({
                id: z.number(),
                at: z.string(),
                actor: z.string(),
                action: z.string(),
                entityType: z.string().nullable(),
                entityId: z.string().nullable(),
                reason: z.string().nullable(),
                before: z.unknown(),
                after: z.unknown(),
                redactedByRequest: z.number().nullable().describe('the privacy request that erased the values, if any'),
              }),
            ),
          }),
          ...errors(400),
        },
      },
    },
    async (request) => ({ entries: await listAudit(hub.db, request.query) }),
  );
};

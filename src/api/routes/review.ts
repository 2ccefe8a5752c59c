import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Queryable } from '../../store/database.js';
import { parseMemberRef } from '../../store/master.repository.js';
import { getReviewItem, listReviewItems, type ReviewItem } from '../../store/review.repository.js';
import { decideReviewItem } from '../../survivorship/review-decisions.js';
import { displayNames, loadMemberRecords } from '../queries/member-records.js';
import { pinAttributes } from '../queries/pins.js';
import { actorOf } from '../plugins/auth.js';
import { ApiError } from '../plugins/error-handler.js';
import { loadGoldenDetail } from './masters.js';
import { errors, PairExplanationSchema, ReasonSchema, type ApiContext } from './shared.js';

const ReviewRecordSchema = z.object({
  ref: z.string(),
  masterId: z.string().nullable(),
  masterName: z.string().nullable(),
  sourceRecordId: z.number(),
  connector: z.string().nullable(),
  stream: z.string().nullable(),
  sourceId: z.string().nullable(),
  lastChangedAt: z.string().nullable(),
  draft: z.unknown().describe('the normalized draft the matcher compared'),
  issues: z.array(z.object({ field: z.string().optional(), code: z.string().optional(), message: z.string().optional() })),
});
const ReviewItemSchema = z.object({
  id: z.number(),
  entityType: z.enum(['hcp', 'hco']),
  score: z.number(),
  status: z.enum(['pending', 'resolved', 'deferred']),
  resolution: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  explanation: PairExplanationSchema,
  records: z.array(ReviewRecordSchema),
});
type ReviewView = z.infer<typeof ReviewItemSchema>;

/** Review items with both records' drafts side by side, their sources and field issues, and the score waterfall. */
async function viewItems(db: Queryable, items: ReviewItem[]): Promise<ReviewView[]> {
  const refs = items.flatMap((i) => i.memberRefs.map(parseMemberRef));
  const records = await loadMemberRecords(db, [...new Set(refs.map((r) => r.sourceRecordId))]);
  const names = await displayNames(db, [...new Set(items.flatMap((i) => i.masterIds.filter((m): m is string => m !== null)))]);
  return items.map((item) => ({
    id: item.id,
    entityType: item.entityType,
    score: item.score,
    status: item.status,
    resolution: item.resolution,
    resolvedBy: item.resolvedBy,
    createdAt: item.createdAt,
    resolvedAt: item.resolvedAt,
    explanation: item.explanation,
    records: item.memberRefs.map((ref, n) => {
      const { sourceRecordId, draftKey } = parseMemberRef(ref);
      const record = records.get(sourceRecordId);
      const masterId = item.masterIds[n] ?? null;
      return {
        ref,
        masterId,
        masterName: masterId ? (names.get(masterId) ?? null) : null,
        sourceRecordId,
        connector: record?.connector ?? null,
        stream: record?.stream ?? null,
        sourceId: record?.sourceId ?? null,
        lastChangedAt: record?.lastChangedAt ?? null,
        draft: record?.drafts.find((d) => d.key === draftKey)?.data ?? null,
        issues: record?.issues ?? [],
      };
    }),
  }));
}

/** The review queue: pairs the matcher was unsure about, likeliest duplicates first, and the steward's decisions. */
export const reviewRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { hub, rules }) => {
  const tags = ['review'];
  app.get(
    '/api/review',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Review items, highest score first, with explanations and both records side by side',
        querystring: z.object({
          status: z.enum(['pending', 'resolved', 'deferred']).default('pending'),
          type: z.enum(['hcp', 'hco']).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          offset: z.coerce.number().int().min(0).max(10_000).default(0),
        }),
        response: { 200: z.object({ items: z.array(ReviewItemSchema), hasMore: z.boolean(), nextOffset: z.number().nullable() }), ...errors(400) },
      },
    },
    async (request) => {
      const { status, type, limit, offset } = request.query;
      const items = await listReviewItems(hub.db, { status, entityType: type, limit: offset + limit + 1 });
      const page = items.slice(offset, offset + limit);
      const hasMore = items.length > offset + limit;
      return { items: await viewItems(hub.db, page), hasMore, nextOffset: hasMore ? offset + limit : null };
    },
  );

  app.get(
    '/api/review/:id',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'One review item', params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: ReviewItemSchema, ...errors(400, 404) } },
    },
    async (request) => {
      const item = await getReviewItem(hub.db, request.params.id);
      if (!item) throw new ApiError(404, 'review.not_found', `No review item ${request.params.id}.`);
      return (await viewItems(hub.db, [item]))[0]!;
    },
  );

  app.post(
    '/api/review/:id/decision',
    {
      config: { access: 'steward' },
      schema: {
        tags,
        summary: 'Decide: merge (optionally with the chosen value per attribute, pinned on the survivor), not_duplicate (kept apart on every re-run) or defer',
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z.object({
          decision: z.enum(['merge', 'not_duplicate', 'defer']),
          reason: ReasonSchema,
          winnerId: z.string().optional().describe('with merge: the master that survives (default: the first record\'s)'),
          values: z.record(z.string(), z.unknown()).optional().describe('with merge: attribute -> chosen value, pinned on the survivor'),
        }),
        response: { 200: z.object({ status: z.string(), masterId: z.string().optional(), item: ReviewItemSchema }), ...errors(400, 404, 422) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { decision, reason, winnerId, values } = request.body;
      if (values && decision !== 'merge') throw new ApiError(422, 'review.values_without_merge', 'Chosen values only go with a merge.');
      const result = await decideReviewItem(hub.db, rules, { id: request.params.id, decision, actor, reason, winnerId });
      if (decision === 'merge' && result.masterId && values && Object.keys(values).length > 0) {
        const golden = await loadGoldenDetail(hub.db, result.masterId);
        await pinAttributes(hub.db, rules, { masterId: golden?.id ?? result.masterId, values, actor, reason: reason ?? `chosen in review item ${request.params.id}` });
      }
      const item = await getReviewItem(hub.db, request.params.id);
      return { ...result, item: (await viewItems(hub.db, [item!]))[0]! };
    },
  );
};

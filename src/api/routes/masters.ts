import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Queryable } from '../../store/database.js';
import { summarizeStore } from '../../store/normalized-record.repository.js';
import { explainAttribute, type AttributeExplanation, type ExplainedValue } from '../../survivorship/explain.js';
import { mergeMasters, unmergeMaster } from '../../survivorship/merge.js';
import { findMasterLabel, loadGoldenBundle } from '../queries/golden-detail.js';
import { searchMasters, type MasterHit } from '../queries/master-search.js';
import { pinAttributes, unpinAttribute } from '../queries/pins.js';
import { actorOf } from '../plugins/auth.js';
import { ApiError } from '../plugins/error-handler.js';
import { AttributeSchema, errors, MasterIdParams, MemberRecordSchema, ReasonSchema, sendJsonText, type ApiContext } from './shared.js';

const HitSchema = z.object({
  id: z.string(),
  entityType: z.enum(['hcp', 'hco']),
  displayName: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  specialties: z.array(z.string()),
  identifiers: z.array(z.object({ type: z.string(), value: z.string() })),
  score: z.number().nullable(),
});

export const SearchAnswerSchema = z.object({ hits: z.array(HitSchema), hasMore: z.boolean(), nextOffset: z.number().nullable(), fuzzy: z.boolean() });

/**
 * A search answer as JSON text in `SearchAnswerSchema`'s shape (keys in its order, only its keys): the hits as the
 * text `searchMasters` gives (PostgreSQL wrote each), which the route sends without parsing or running the schema
 * over every hit again (pg's parse and the zod serializer's check and copy were a sixth of a search's time in the
 * API). tests/integration/api-masters.test.ts holds the text to the schema.
 */
function searchAnswerJson(answer: { hits: MasterHit[]; hasMore: boolean; nextOffset: number | null; fuzzy: boolean }): string {
  return `{"hits":[${answer.hits.map((h) => h.json).join(',')}],"hasMore":${answer.hasMore},"nextOffset":${answer.nextOffset ?? 'null'},"fuzzy":${answer.fuzzy}}`;
}

const MergeEventSchema = z.object({
  id: z.number(),
  winnerId: z.string(),
  loserId: z.string(),
  actor: z.string(),
  reason: z.string(),
  score: z.number().nullable(),
  mergedAt: z.string(),
  undoneAt: z.string().nullable(),
  undoneBy: z.string().nullable(),
  members: z.array(z.string()),
});

export const GoldenDetailSchema = z.object({
  id: z.string(),
  entityType: z.enum(['hcp', 'hco']),
  status: z.enum(['active', 'retired']),
  replacedBy: z.string().nullable(),
  redirectedFrom: z.string().optional(),
  displayName: z.string().nullable(),
  version: z.number(),
  computedAt: z.string(),
  attributes: z.array(AttributeSchema).describe('every golden value with its winning source and rule, and the values it beat'),
  identifiers: z.array(z.unknown()),
  affiliations: z.array(z.unknown()),
  pins: z.array(z.object({ attribute: z.string(), value: z.unknown(), pinnedBy: z.string(), reason: z.string(), pinnedAt: z.string() })),
  members: z.array(
    z.object({
      ref: z.string(),
      linkedBy: z.string(),
      reason: z.string(),
      linkedAt: z.string(),
      draft: z.unknown(),
      record: MemberRecordSchema.nullable(),
    }),
  ),
  history: z.array(z.object({ at: z.string(), kind: z.string(), detail: z.string(), actor: z.string().optional() })),
  merges: z.array(MergeEventSchema),
});
export type GoldenDetail = z.infer<typeof GoldenDetailSchema>;

/**
 * An explained value with its keys in `ExplainedValueSchema`'s order (undefined ones are left out by JSON.stringify).
 * Built property by property, not spread: see survivorship/explain.ts.
 */
const explained = (v: ExplainedValue) => ({ from: v.from, rule: v.rule, ruleLabel: v.ruleLabel, at: v.at, sourceRecordId: v.sourceRecordId, pinnedBy: v.pinnedBy, value: v.value, display: v.display });

/** An attribute of the answer, keys in `AttributeSchema`'s order and only its keys, as the zod serializer would write it. */
function attributeOf(a: AttributeExplanation, pinned: boolean) {
  return {
    from: a.from,
    rule: a.rule,
    ruleLabel: a.ruleLabel,
    at: a.at,
    sourceRecordId: a.sourceRecordId,
    pinnedBy: a.pinnedBy,
    value: a.value,
    display: a.display,
    attribute: a.attribute,
    summary: a.summary,
    competitors: a.competitors.map(explained),
    items: a.items?.map((item) => ({
      from: item.from,
      rule: item.rule,
      ruleLabel: item.ruleLabel,
      at: item.at,
      sourceRecordId: item.sourceRecordId,
      pinnedBy: item.pinnedBy,
      value: item.value,
      display: item.display,
      primary: item.primary,
      carriedBy: item.carriedBy,
    })),
    pinned,
  };
}

/**
 * Everything the golden record page shows, as the JSON text of `GoldenDetailSchema` (one statement: see
 * `loadGoldenBundle`). A retired id redirects to its survivor. Only what JavaScript computes is serialized here
 * (each attribute explained, identifiers, affiliations, the scalars), in the schema's key order; pins, members,
 * history and merges are spliced in as the JSON text PostgreSQL wrote, never parsed. GET /api/masters/:id sends
 * this text as it is.
 */
export async function loadGoldenDetailJson(db: Queryable, key: string): Promise<string | undefined> {
  const golden = await loadGoldenBundle(db, key);
  if (!golden) return undefined;
  const pinned = new Set(golden.pinned);
  const list = (name: string) => (Array.isArray(golden.attributes[name]?.value) ? (golden.attributes[name]!.value as unknown[]) : []);
  const computed = JSON.stringify({
    id: golden.masterId,
    entityType: golden.entityType,
    status: golden.status,
    replacedBy: golden.replacedBy,
    redirectedFrom: golden.redirectedFrom,
    displayName: golden.displayName,
    version: golden.version,
    computedAt: golden.computedAt,
    attributes: Object.keys(golden.attributes).map((name) => attributeOf(explainAttribute(golden.attributes, name)!, pinned.has(name))),
    identifiers: list('identifiers'),
    affiliations: list('affiliations'),
  } satisfies Omit<GoldenDetail, 'pins' | 'members' | 'history' | 'merges'>);
  const { pins, members, history, merges } = golden.json;
  return `${computed.slice(0, -1)},"pins":${pins},"members":${members},"history":${history},"merges":${merges}}`;
}

/** `loadGoldenDetailJson` parsed: for the routes that answer with the golden record inside another object, the CLI and tests. */
export async function loadGoldenDetail(db: Queryable, key: string): Promise<GoldenDetail | undefined> {
  const json = await loadGoldenDetailJson(db, key);
  return json === undefined ? undefined : (JSON.parse(json) as GoldenDetail);
}

const IDENTIFIER_PATTERNS: Array<[RegExp, string]> = [
  [/^\d{10}$/, 'npi'],
  [/^[A-Za-z]{2}\d{7}$/, 'dea'],
  [/^[A-Za-z0-9]{9}$/, 'hin'],
];

/** Master search, golden records with lineage, merge, unmerge, pins. */
export const masterRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { hub, rules, trigram, searchIndex }) => {
  const tags = ['masters'];
  app.get(
    '/api/masters',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Search masters: fuzzy name, exact NPI/DEA/HIN (or any identifier), city, state, specialty; paginated',
        querystring: z.object({
          q: z.string().max(200).optional().describe('a master id, an NPI, DEA or HIN, or a name: whichever it looks like'),
          name: z.string().max(200).optional(),
          npi: z.string().max(20).optional(),
          dea: z.string().max(20).optional(),
          hin: z.string().max(20).optional(),
          identifier: z.string().max(100).optional().describe('any identifier value, any type'),
          city: z.string().max(100).optional(),
          state: z.string().length(2).optional(),
          specialty: z.string().max(100).optional(),
          type: z.enum(['hcp', 'hco']).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
          offset: z.coerce.number().int().min(0).max(10_000).default(0),
        }),
        response: { 200: SearchAnswerSchema, ...errors(400) },
      },
    },
    async (request, reply) => {
      const send = (answer: Parameters<typeof searchAnswerJson>[0]) => sendJsonText(reply as FastifyReply, searchAnswerJson(answer));
      const q = request.query;
      let name = q.name;
      let identifier = q.npi ? { type: 'npi', value: q.npi } : q.dea ? { type: 'dea', value: q.dea } : q.hin ? { type: 'hin', value: q.hin } : q.identifier ? { value: q.identifier } : undefined;
      if (q.q?.trim()) {
        const text = q.q.trim();
        if (/^(hcp|hco)_[a-z0-9]{16}$/.test(text)) {
          const golden = await findMasterLabel(hub.db, text);
          const hit: z.infer<typeof HitSchema> | undefined = golden && { id: golden.id, entityType: golden.entityType, displayName: golden.displayName, city: null, state: null, specialties: [], identifiers: [], score: null };
          return send({
            hits: hit ? [{ id: hit.id, json: JSON.stringify(hit) }] : [],
            hasMore: false,
            nextOffset: null,
            fuzzy: trigram,
          });
        }
        const type = IDENTIFIER_PATTERNS.find(([re]) => re.test(text))?.[1];
        if (type && /\d/.test(text)) identifier = { type, value: text };
        else name = text;
      }
      const { hits, hasMore } = await searchMasters(
        hub.db,
        searchIndex,
        { name, identifier, city: q.city, state: q.state, specialty: q.specialty, entityType: q.type, limit: q.limit, offset: q.offset },
        { trigram },
      );
      return send({ hits, hasMore, nextOffset: hasMore ? q.offset + q.limit : null, fuzzy: trigram });
    },
  );

  app.get(
    '/api/masters/:id',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'A golden record: every value with its lineage, member source records with their payloads, identifiers, affiliations, pins, history',
        params: MasterIdParams,
        response: { 200: GoldenDetailSchema, ...errors(404) },
      },
    },
    async (request, reply) => {
      const body = await loadGoldenDetailJson(hub.db, request.params.id);
      if (body === undefined) throw new ApiError(404, 'master.not_found', `No master record ${request.params.id}.`);
      // The serializer would validate all of it with zod and stringify it again: loadGoldenDetailJson builds it in
      // the schema's shape instead.
      return sendJsonText(reply as FastifyReply, body);
    },
  );

  app.post(
    '/api/masters/:id/merge',
    {
      config: { access: 'steward' },
      schema: {
        tags,
        summary: 'Merge another master into this one; `values` pins the chosen value of each attribute on the survivor',
        params: MasterIdParams,
        body: z.object({
          loserId: z.string().min(1),
          reason: ReasonSchema,
          values: z.record(z.string(), z.unknown()).optional().describe('attribute -> the value the steward chose (pinned after the merge)'),
        }),
        response: {
          200: z.object({ status: z.enum(['merged', 'already_merged']), winnerId: z.string(), loserId: z.string(), mergeEventId: z.number(), movedMembers: z.array(z.string()), golden: GoldenDetailSchema }),
          ...errors(400, 404, 422),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const result = await mergeMasters(hub.db, rules, { winnerId: request.params.id, loserId: request.body.loserId, actor, reason: request.body.reason });
      if (request.body.values && Object.keys(request.body.values).length > 0) {
        await pinAttributes(hub.db, rules, { masterId: result.winnerId, values: request.body.values, actor, reason: request.body.reason ?? `chosen when merging ${result.loserId}` });
      }
      return { ...result, golden: (await loadGoldenDetail(hub.db, result.winnerId))! };
    },
  );

  app.post(
    '/api/masters/:id/unmerge',
    {
      config: { access: 'steward' },
      schema: {
        tags,
        summary: 'Undo a merge: `:id` is the retired master (its latest merge is undone), or give `mergeEventId`',
        params: MasterIdParams,
        body: z.object({ mergeEventId: z.number().int().positive().optional(), reason: ReasonSchema }).default({}),
        response: {
          200: z.object({ status: z.enum(['unmerged', 'already_unmerged']), winnerId: z.string(), restoredId: z.string(), mergeEventId: z.number(), restoredMembers: z.array(z.string()) }),
          ...errors(400, 404, 422),
        },
      },
    },
    async (request) =>
      unmergeMaster(hub.db, rules, {
        ...(request.body?.mergeEventId !== undefined ? { mergeEventId: request.body.mergeEventId } : { retiredId: request.params.id }),
        actor: actorOf(request),
        reason: request.body?.reason,
      }),
  );

  app.put(
    '/api/masters/:id/pins/:attribute',
    {
      config: { access: 'steward' },
      schema: {
        tags,
        summary: "Pin an attribute's value: it overrides survivorship until unpinned",
        params: MasterIdParams.extend({ attribute: z.string().min(1).max(64) }),
        body: z.object({ value: z.unknown(), reason: ReasonSchema }),
        response: { 200: GoldenDetailSchema, ...errors(400, 404, 422) },
      },
    },
    async (request) => {
      await pinAttributes(hub.db, rules, { masterId: request.params.id, values: { [request.params.attribute]: request.body.value }, actor: actorOf(request), reason: request.body.reason });
      return (await loadGoldenDetail(hub.db, request.params.id))!;
    },
  );

  app.delete(
    '/api/masters/:id/pins/:attribute',
    {
      config: { access: 'steward' },
      schema: {
        tags,
        summary: 'Remove a pin: survivorship chooses the attribute again',
        params: MasterIdParams.extend({ attribute: z.string().min(1).max(64) }),
        querystring: z.object({ reason: ReasonSchema }),
        response: { 200: GoldenDetailSchema, ...errors(400, 404) },
      },
    },
    async (request) => {
      await unpinAttribute(hub.db, rules, { masterId: request.params.id, attribute: request.params.attribute, actor: actorOf(request), reason: request.query.reason });
      return (await loadGoldenDetail(hub.db, request.params.id))!;
    },
  );

  app.get(
    '/api/summary',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'What the store holds: records, drafts, masters, quarantine, pending reviews',
        response: {
          200: z.object({
            sourceRecords: z.number(),
            tombstones: z.number(),
            normalized: z.number(),
            withIssues: z.number(),
            drafts: z.record(z.string(), z.number()),
            rxFacts: z.number(),
            rxFactsResolved: z.number(),
            quarantined: z.number(),
            masters: z.record(z.string(), z.object({ active: z.number(), multiSource: z.number() })),
            pendingReviews: z.number(),
            fuzzySearch: z.boolean(),
          }),
          ...errors(),
        },
      },
    },
    async () => ({ ...(await summarizeStore(hub.db)), fuzzySearch: trigram }),
  );
};

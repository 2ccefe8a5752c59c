import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Hub } from '../../hub.js';
import type { Engine } from '../../pipeline/engine.js';
import type { GoldenRules } from '../../survivorship/merge.js';
import type { MasterSearchIndex } from '../search/master-search-index.js';
import { ErrorEnvelopeSchema } from '../plugins/error-handler.js';

/**
 * Sends JSON text a route wrote in its response schema's shape: fastify sends a string with a JSON content type as it
 * is, without running the zod serializer over it (the schema still documents the answer; a test holds the text to
 * it). The reply is untyped here because the typed one only takes the schema's object.
 */
export function sendJsonText(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('application/json').send(text);
}

/** What every route group receives. */
export type ApiContext = { hub: Hub; engine: Engine; rules: GoldenRules; trigram: boolean; searchIndex: MasterSearchIndex };

/** The survivorship rules the hub runs with, as merge, unmerge and pins need them. */
export function goldenRulesOf(hub: Hub): GoldenRules {
  // A hub that serves no masters (some tests) may come without rules; merges would then fail, reads do not.
  const rules = hub.masterRules as Hub['masterRules'] | undefined;
  return {
    hcp: rules?.hcp.survivorship as GoldenRules['hcp'],
    hco: rules?.hco.survivorship as GoldenRules['hco'],
    referenceOnly: new Set(hub.workspace.connectors.filter((c) => c.masters === 'resolve').map((c) => c.id)),
  };
}

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 422 | 429;

/** The error responses a route can give, for its schema (and so for the OpenAPI document). Every route behind auth can answer 401 and 403. */
export function errors<S extends ErrorStatus>(...statuses: S[]): Record<S | 401 | 403, typeof ErrorEnvelopeSchema> {
  const out = { 401: ErrorEnvelopeSchema, 403: ErrorEnvelopeSchema } as Record<S | 401 | 403, typeof ErrorEnvelopeSchema>;
  for (const s of statuses) out[s] = ErrorEnvelopeSchema;
  return out;
}

export const MasterIdParams = z.object({ id: z.string().min(1).max(100) });
export const ReasonSchema = z.string().max(500).optional().describe('why: kept in the audit log');

export const LineageSchema = z.object({
  from: z.string(),
  rule: z.string(),
  ruleLabel: z.string(),
  at: z.string(),
  sourceRecordId: z.number().optional(),
  pinnedBy: z.string().optional(),
});
export const ExplainedValueSchema = LineageSchema.extend({ value: z.unknown(), display: z.string() });
export const AttributeSchema = ExplainedValueSchema.extend({
  attribute: z.string(),
  summary: z.string(),
  competitors: z.array(ExplainedValueSchema),
  items: z.array(ExplainedValueSchema.extend({ primary: z.boolean().optional(), carriedBy: z.array(z.string()) })).optional(),
  pinned: z.boolean(),
});

export const MemberRecordSchema = z.object({
  sourceRecordId: z.number(),
  connector: z.string(),
  stream: z.string(),
  sourceId: z.string(),
  deleted: z.boolean(),
  version: z.number(),
  sourceUpdatedAt: z.string().nullable(),
  lastChangedAt: z.string(),
  payload: z.unknown(),
  drafts: z.array(z.object({ kind: z.string(), key: z.string(), data: z.unknown() })),
  issues: z.array(z.object({ field: z.string().optional(), code: z.string().optional(), message: z.string().optional() })),
});

export const PairExplanationSchema = z
  .object({
    leftId: z.string(),
    rightId: z.string(),
    priorWeight: z.number(),
    steps: z.array(
      z.object({
        comparison: z.string(),
        field: z.string(),
        left: z.string().nullable(),
        right: z.string().nullable(),
        level: z.number(),
        label: z.string(),
        bayesFactor: z.number(),
        matchWeight: z.number(),
        tfAdjustment: z.number(),
      }),
    ),
    matchWeight: z.number(),
    probability: z.number(),
    rules: z.array(z.string()),
    decision: z.string(),
  })
  .nullable();

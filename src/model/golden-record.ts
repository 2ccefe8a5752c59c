import { z } from 'zod';

/** Where one golden value came from: the member record that won and the rule that chose it. */
export const LineageSchema = z.object({
  sourceRecordId: z.number().int().optional(),
  connector: z.string().optional(),
  stream: z.string().optional(),
  rule: z.string(),
  /** When the winning value was received, or when a steward pinned it. */
  at: z.string(),
  pinnedBy: z.string().optional(),
});
export type Lineage = z.infer<typeof LineageSchema>;

export const GoldenValueSchema = z.object({
  value: z.unknown(),
  lineage: LineageSchema,
  /** The values that lost, with their own lineage, for the explanation view. */
  competing: z.array(z.object({ value: z.unknown(), lineage: LineageSchema })).default([]),
});
export type GoldenValue = z.infer<typeof GoldenValueSchema>;

export const GoldenRecordSchema = z.object({
  masterId: z.string(),
  entityType: z.enum(['hcp', 'hco']),
  version: z.number().int().min(1),
  /** Attribute path (`lastName`, `identifiers`, `consents`) to its surviving value. */
  attributes: z.record(z.string(), GoldenValueSchema),
  memberSourceRecordIds: z.array(z.number().int()),
  computedAt: z.string(),
});
export type GoldenRecord = z.infer<typeof GoldenRecordSchema>;

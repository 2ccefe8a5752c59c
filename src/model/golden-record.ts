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

/**
 * One item of a list attribute built by union (an identifier, an address, a contact point, an affiliation, a
 * consent channel): the copy shown, the member it came from, and every member that carried the same item.
 */
export const GoldenItemSchema = z.object({
  value: z.unknown(),
  lineage: LineageSchema,
  carriedBy: z.array(LineageSchema).default([]),
  /** Set where the attribute has a primary: one per address list, per contact kind, per single-valued identifier type. */
  primary: z.boolean().optional(),
});
export type GoldenItem = z.infer<typeof GoldenItemSchema>;

export const GoldenValueSchema = z.object({
  value: z.unknown(),
  lineage: LineageSchema,
  /** The values that lost, with their own lineage, for the explanation view. */
  competing: z.array(z.object({ value: z.unknown(), lineage: LineageSchema })).default([]),
  /** For list attributes: the lineage of each item (`value` holds the same items, in the same order). */
  items: z.array(GoldenItemSchema).optional(),
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

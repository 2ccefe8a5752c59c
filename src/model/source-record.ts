import { z } from 'zod';

/** A record exactly as a connector received it. Its key is (connector, stream, sourceId). */
export const SourceRecordSchema = z.object({
  connector: z.string().min(1),
  stream: z.string().min(1),
  sourceId: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
  /** Set when the source reported the record deleted; the record stays as a tombstone. */
  deleted: z.boolean().default(false),
  /** The source's own modification time, when it has one. */
  sourceUpdatedAt: z.string().optional(),
});
export type SourceRecord = z.infer<typeof SourceRecordSchema>;

/** The link from a source record to the master entity it belongs to. */
export const CrosswalkSchema = z.object({
  sourceRecordId: z.number().int(),
  masterId: z.string(),
  linkedAt: z.string(),
  /** `system` for the matcher, otherwise the steward's user name. */
  linkedBy: z.string(),
  reason: z.string(),
});
export type Crosswalk = z.infer<typeof CrosswalkSchema>;

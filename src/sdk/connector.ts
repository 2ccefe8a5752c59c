import type { z } from 'zod';
import type { Logger } from 'pino';

/**
 * The connector contract. A connector knows one kind of source system and nothing of the store or the
 * queues: it reads batches of raw records and says where it got to; the engine stores each batch and its
 * checkpoint together, so a retried or resumed run continues from the last batch it finished.
 */

/** A raw record as the source gave it. `sourceId` may be left to the stream's mapping (`id:`). */
export type RawRecord = {
  sourceId?: string;
  payload: Record<string, unknown>;
  deleted?: boolean;
  sourceUpdatedAt?: string;
};

/** Opaque to the engine; stored as JSON after each batch and handed back on the next read. */
export type Checkpoint = Record<string, unknown>;

export type Batch = {
  records: RawRecord[];
  /** Where to resume after this batch has been stored. */
  checkpoint: Checkpoint;
  /** Records the connector could not even parse (a malformed line): quarantined with their reason. */
  rejected?: Array<{ sourceId?: string; reasonCode: string; reason: string; raw: unknown }>;
  /** How far through the stream, 0..1, when the connector knows (a file's byte offset). */
  progress?: number;
};

export type StreamSpec = {
  name: string;
  description?: string;
  /** Source fields that identify a record, when the connector knows them. */
  primaryKey?: string[];
  /** The field the incremental cursor follows, if any. */
  cursorField?: string;
};

export type ReadContext = {
  stream: string;
  /** The checkpoint saved after the last stored batch, or undefined on a first run. */
  checkpoint?: Checkpoint;
  /** A backfill: read records changed since this time instead of from the checkpoint. */
  since?: string;
  batchSize: number;
  logger: Logger;
  /** Aborted on shutdown or cancel: stop at the next batch boundary. */
  signal: AbortSignal;
  /** The workspace folder, against which relative paths in configuration resolve. */
  workspaceDir: string;
};

export type CheckResult = { ok: true; message?: string } | { ok: false; code: string; message: string };

export type ConnectorDefinition<C extends z.ZodType = z.ZodType> = {
  /** The connector type, e.g. `csv-file`, `salesforce`. */
  type: string;
  description: string;
  configSchema: C;
  /** The streams a configured instance offers. */
  discover(config: z.infer<C>): StreamSpec[];
  /** Can we reach the source with this configuration? Used by "test connection". */
  check(config: z.infer<C>, context: { workspaceDir: string }): Promise<CheckResult>;
  read(config: z.infer<C>, context: ReadContext): AsyncIterable<Batch>;
};

export function defineConnector<C extends z.ZodType>(definition: ConnectorDefinition<C>): ConnectorDefinition<C> {
  return definition;
}

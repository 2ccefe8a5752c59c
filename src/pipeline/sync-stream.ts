import type { Logger } from 'pino';
import { ConfigError, describeError } from '../errors.js';
import type { FieldIssue } from '../model/index.js';
import { screenErasedRecords } from '../privacy/erasure-screen.js';
import type { PrivacyKeyring } from '../privacy/privacy-key.js';
import type { Batch } from '../sdk/index.js';
import { loadCheckpoint, saveCheckpoint } from '../store/checkpoint.repository.js';
import type { Database, Queryable } from '../store/database.js';
import { saveNormalizedRecords, type NormalizedInput } from '../store/normalized-record.repository.js';
import { quarantineRecords, type QuarantineInput } from '../store/quarantine.repository.js';
import { storeSourceRecords, type IncomingRecord } from '../store/source-record.repository.js';
import { EMPTY_COUNTS, getRun, saveRunCounts, type RunCounts } from '../store/sync-run.repository.js';
import { findConnector, type Workspace } from '../workspace/workspace.js';
import type { MappingCatalog, MappedRecord, StreamMapping } from './mapping-catalog.js';
import { assertRunLease } from './run-lease.js';

export type SyncDeps = { db: Database; workspace: Workspace; mappings: MappingCatalog; logger: Logger };

export type SyncStreamInput = {
  runId: number;
  connectorId: string;
  stream: string;
  since?: string;
  batchSize?: number;
  signal?: AbortSignal;
  /** The attempt's lease on the run (see run-lease.ts): a batch is only committed while it still holds. */
  lease?: string;
  onBatch?: (counts: RunCounts) => void | Promise<void>;
};

/**
 * Runs one connector stream from its last checkpoint to the end. Each batch is mapped, stored, normalized,
 * quarantined where it must be, and followed by its checkpoint and the run's counts, all in one
 * transaction: a crash between batches loses nothing and repeats nothing.
 */
export async function syncStream(deps: SyncDeps, input: SyncStreamInput): Promise<RunCounts> {
  const { db, workspace, mappings } = deps;
  const connector = findConnector(workspace, input.connectorId);
  if (!connector.streams.some((s) => s.name === input.stream)) {
    throw new ConfigError('sync.unknown_stream', `Connector "${connector.id}" has no stream "${input.stream}"; it has: ${connector.streams.map((s) => s.name).join(', ')}.`);
  }
  const mapping = mappings.find(connector.id, input.stream);
  if (!mapping) {
    throw new ConfigError(
      'mapping.missing',
      `No mapping for ${connector.id}.${input.stream}: add ${workspace.mappingsDir}/${connector.id}.${input.stream}.yaml (see mappings/sources/README.md).`,
    );
  }
  const logger = deps.logger.child({ runId: input.runId, connector: connector.id, stream: input.stream });
  const run = await getRun(db, input.runId);
  const counts: RunCounts = { ...EMPTY_COUNTS, ...run?.counts };
  const checkpoint = input.since ? undefined : await loadCheckpoint(db, connector.id, input.stream);
  if (checkpoint) logger.info({ checkpoint }, 'resuming from checkpoint');

  const batches = connector.definition.read(connector.config, {
    stream: input.stream,
    checkpoint,
    since: input.since,
    batchSize: input.batchSize ?? 1000,
    logger,
    signal: input.signal ?? new AbortController().signal,
    workspaceDir: workspace.dir,
  });

  for await (const batch of batches) {
    await db.transaction(async (tx) => {
      if (input.lease) await assertRunLease(tx, input.runId, input.lease);
      await ingestBatch(tx, mapping, { runId: input.runId, connector: connector.id, stream: input.stream }, batch, counts);
      await saveCheckpoint(tx, connector.id, input.stream, batch.checkpoint, input.runId);
      await saveRunCounts(tx, input.runId, counts);
    });
    await input.onBatch?.(counts);
  }
  return counts;
}

/**
 * Maps, stores and normalizes one batch inside the caller's transaction and adds to `counts`. Shared by sync
 * runs and quarantine replay, so a replayed record takes exactly the path a fresh one does.
 */
export async function ingestBatch(
  tx: Queryable,
  mapping: StreamMapping,
  key: { runId?: number; connector: string; stream: string },
  batch: Pick<Batch, 'records' | 'rejected' | 'progress'>,
  counts: RunCounts,
  options: { privacyKeyring?: PrivacyKeyring } = {},
): Promise<{ erased: number }> {
  // A person erased on request stays erased: records that hash to a tombstone are kept out (quarantined without payload).
  const prepared = await screenErasedRecords(tx, key, prepareBatch(batch, mapping.apply, key), options.privacyKeyring);
  const stored = await storeSourceRecords(tx, key, prepared.records);
  const normalized: NormalizedInput[] = stored.changes.map((change) => {
    const mapped = change.kind === 'deleted' ? undefined : prepared.mapped.get(change.sourceId);
    return {
      sourceRecordId: change.id,
      sourceVersion: change.version,
      mappingChecksum: mapping.checksum,
      drafts: mapped?.drafts ?? [],
      issues: mapped?.issues ?? [],
    };
  });
  await saveNormalizedRecords(tx, normalized);
  await quarantineRecords(tx, prepared.quarantine);
  counts.read += batch.records.length;
  counts.new += stored.new;
  counts.changed += stored.changed;
  counts.unchanged += stored.unchanged;
  counts.deleted += stored.deleted;
  counts.quarantined += prepared.quarantine.length;
  counts.normalized += normalized.length;
  counts.fieldIssues += normalized.reduce((n, r) => n + r.issues.length, 0);
  counts.batches += 1;
  if (batch.progress !== undefined) counts.progress = batch.progress;
  return { erased: prepared.erased };
}

type PreparedBatch = {
  records: IncomingRecord[];
  mapped: Map<string, Pick<MappedRecord, 'drafts' | 'issues'>>;
  quarantine: QuarantineInput[];
};

/** Maps each raw record; what cannot be mapped at all (no id, a mapping that throws) is set aside with its reason. */
function prepareBatch(
  batch: Pick<Batch, 'records' | 'rejected'>,
  apply: (payload: Record<string, unknown>) => MappedRecord,
  key: { runId?: number; connector: string; stream: string },
): PreparedBatch {
  const records: IncomingRecord[] = [];
  const mapped = new Map<string, { drafts: MappedRecord['drafts']; issues: FieldIssue[] }>();
  const quarantine: QuarantineInput[] = (batch.rejected ?? []).map((r) => ({ ...key, sourceId: r.sourceId, reasonCode: r.reasonCode, reason: r.reason, payload: r.raw }));

  for (const raw of batch.records) {
    if (raw.deleted && raw.sourceId) {
      records.push({ sourceId: raw.sourceId, payload: raw.payload, deleted: true, sourceUpdatedAt: raw.sourceUpdatedAt });
      continue;
    }
    let result: MappedRecord;
    try {
      result = apply(raw.payload);
    } catch (error) {
      const e = describeError(error);
      quarantine.push({ ...key, sourceId: raw.sourceId, reasonCode: 'mapping.failed', reason: e.message, payload: raw.payload });
      continue;
    }
    const sourceId = raw.sourceId ?? result.sourceId;
    if (!sourceId) {
      quarantine.push({ ...key, reasonCode: 'record.no_id', reason: 'The record has no source id: the field named by the mapping\'s `id:` is empty.', payload: raw.payload });
      continue;
    }
    records.push({ sourceId, payload: raw.payload, sourceUpdatedAt: raw.sourceUpdatedAt ?? result.sourceUpdatedAt });
    mapped.set(sourceId, result);
  }
  return { records, mapped, quarantine };
}

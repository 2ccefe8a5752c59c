import { hashContent } from './content-hash.js';
import type { Queryable } from './database.js';

export type IncomingRecord = {
  sourceId: string;
  payload: Record<string, unknown>;
  deleted?: boolean;
  sourceUpdatedAt?: string;
};

export type StoredChange = { id: number; sourceId: string; version: number; kind: 'new' | 'changed' | 'deleted' };

export type StoreBatchResult = {
  new: number;
  changed: number;
  unchanged: number;
  deleted: number;
  /** The records whose content changed: the ones later stages must look at again. */
  changes: StoredChange[];
};

/**
 * Stores a batch in one statement. A record whose (connector, stream, source id) exists with the same content
 * hash is left alone, so ingesting the same batch twice changes nothing. A deletion keeps the last payload
 * and marks the record as a tombstone.
 */
export async function storeSourceRecords(
  db: Queryable,
  key: { connector: string; stream: string; runId?: number },
  records: IncomingRecord[],
): Promise<StoreBatchResult> {
  // The last occurrence of a source id in a batch wins, as it would have across two batches.
  const byId = new Map<string, IncomingRecord>();
  for (const r of records) byId.set(r.sourceId, r);
  const batch = [...byId.values()];
  if (batch.length === 0) return { new: 0, changed: 0, unchanged: 0, deleted: 0, changes: [] };

  // One JSON document carries the batch: PostgreSQL reads it several times faster than a jsonb[] parameter.
  const input = `[${batch
    .map((r) => `{"i":${JSON.stringify(r.sourceId)},"h":"${hashContent(r.payload)}","p":${JSON.stringify(r.payload)},"d":${r.deleted === true},"u":${JSON.stringify(r.sourceUpdatedAt ?? null)}}`)
    .join(',')}]`;
  const { rows } = await db.query<{ id: number; source_id: string; version: number; inserted: boolean; deleted: boolean }>(
    `INSERT INTO source_record AS s (connector, stream, source_id, content_hash, payload, deleted, source_updated_at, last_run_id)
     SELECT $1, $2, e->>'i', e->>'h', e->'p', (e->>'d')::boolean, (e->>'u')::timestamptz, $3
       FROM jsonb_array_elements($4::jsonb) e
     ON CONFLICT ON CONSTRAINT source_record_key DO UPDATE
        SET content_hash = CASE WHEN excluded.deleted THEN s.content_hash ELSE excluded.content_hash END,
            payload = CASE WHEN excluded.deleted THEN s.payload ELSE excluded.payload END,
            deleted = excluded.deleted,
            source_updated_at = COALESCE(excluded.source_updated_at, s.source_updated_at),
            version = s.version + 1,
            last_changed_at = now(),
            last_run_id = excluded.last_run_id
      WHERE s.deleted <> excluded.deleted
         OR (NOT excluded.deleted AND s.content_hash <> excluded.content_hash)
     RETURNING s.id, s.source_id, s.version, (s.xmax = 0) AS inserted, s.deleted`,
    [key.connector, key.stream, key.runId ?? null, input],
  );

  const result: StoreBatchResult = { new: 0, changed: 0, unchanged: 0, deleted: 0, changes: [] };
  for (const row of rows) {
    const kind = row.deleted ? 'deleted' : row.inserted ? 'new' : 'changed';
    result[kind] += 1;
    result.changes.push({ id: row.id, sourceId: row.source_id, version: row.version, kind });
  }
  // A deletion of a record never seen before is stored as a tombstone but is not news.
  result.unchanged = batch.length - rows.length;
  return result;
}

export type SourceRecordRow = {
  id: number;
  connector: string;
  stream: string;
  sourceId: string;
  version: number;
  deleted: boolean;
  payload: Record<string, unknown>;
};

export async function loadSourceRecords(db: Queryable, ids: number[]): Promise<SourceRecordRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{
    id: number;
    connector: string;
    stream: string;
    source_id: string;
    version: number;
    deleted: boolean;
    payload: Record<string, unknown>;
  }>('SELECT id, connector, stream, source_id, version, deleted, payload FROM source_record WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]);
  return rows.map((r) => ({ id: r.id, connector: r.connector, stream: r.stream, sourceId: r.source_id, version: r.version, deleted: r.deleted, payload: r.payload }));
}

import type { MasterEntityType } from '../model/index.js';
import type { Queryable } from './database.js';

/** A source record whose drafts changed since master resolution last looked (migration 013). */
export type PendingRecord = { sourceRecordId: number; seq: number };

/** Every source record waiting for master resolution of one entity type. */
export async function readPending(db: Queryable, entityType: MasterEntityType): Promise<PendingRecord[]> {
  const { rows } = await db.query<{ source_record_id: number; seq: number }>(
    'SELECT source_record_id, seq FROM match_pending WHERE entity_type = $1 ORDER BY source_record_id',
    [entityType],
  );
  return rows.map((r) => ({ sourceRecordId: r.source_record_id, seq: r.seq }));
}

/** Removes the rows a resolution read; a row written again since (a newer seq) stays for the next one. */
export async function clearPending(db: Queryable, entityType: MasterEntityType, pending: PendingRecord[]): Promise<void> {
  if (pending.length === 0) return;
  await db.query(
    `DELETE FROM match_pending p USING unnest($2::bigint[], $3::bigint[]) AS t(id, seq)
      WHERE p.entity_type = $1 AND p.source_record_id = t.id AND p.seq = t.seq`,
    [entityType, pending.map((p) => p.sourceRecordId), pending.map((p) => p.seq)],
  );
}

/** How often anyone but master resolution itself changed the crosswalk, plus resolution's own runs. */
export async function readGeneration(db: Queryable, entityType: MasterEntityType): Promise<number> {
  const { rows } = await db.query<{ value: number }>('SELECT value FROM master_generation WHERE entity_type = $1', [entityType]);
  return rows[0]?.value ?? 0;
}

/**
 * Marks the transaction as master resolution's own (its crosswalk writes do not move the generation through the
 * trigger; `advanceGeneration` does it once instead).
 */
export async function markResolving(tx: Queryable): Promise<void> {
  await tx.query(`SELECT set_config('crosswalk.resolving', 'on', true)`);
}

/** Moves the entity type's generation by one for this resolution and returns the new value. */
export async function advanceGeneration(tx: Queryable, entityType: MasterEntityType): Promise<number> {
  const { rows } = await tx.query<{ value: number }>('UPDATE master_generation SET value = value + 1 WHERE entity_type = $1 RETURNING value', [entityType]);
  return rows[0]?.value ?? 0;
}

import type { Queryable } from './database.js';
import { resolveMasterId } from './master.repository.js';

/**
 * Finds a master by its id (a retired id redirects to its survivor) or by an identifier value (NPI, DEA, HIN,
 * ME number ...). Returns every match: an identifier may name more than one master when sources disagree.
 */
export async function findMasters(db: Queryable, key: string): Promise<Array<{ id: string; redirectedFrom?: string; matchedBy: string }>> {
  const byId = await resolveMasterId(db, key);
  if (byId) return [{ ...byId, matchedBy: 'id' }];
  const { rows } = await db.query<{ master_id: string; type: string }>(
    'SELECT DISTINCT master_id, type FROM master_identifier WHERE value = $1 OR value = upper($1) ORDER BY master_id',
    [key.trim()],
  );
  return rows.map((r) => ({ id: r.master_id, matchedBy: r.type }));
}

export type MasterMember = { sourceRecordId: number; draftKey: string; connector: string; stream: string; sourceId: string; linkedBy: string; reason: string; linkedAt: string };

export async function listMasterMembers(db: Queryable, masterId: string): Promise<MasterMember[]> {
  const { rows } = await db.query<{ source_record_id: number; draft_key: string; connector: string; stream: string; source_id: string; linked_by: string; reason: string; linked_at: Date }>(
    `SELECT c.source_record_id, c.draft_key, s.connector, s.stream, s.source_id, c.linked_by, c.reason, c.linked_at
       FROM crosswalk c JOIN source_record s ON s.id = c.source_record_id WHERE c.master_id = $1 ORDER BY c.source_record_id`,
    [masterId],
  );
  return rows.map((r) => ({ sourceRecordId: r.source_record_id, draftKey: r.draft_key, connector: r.connector, stream: r.stream, sourceId: r.source_id, linkedBy: r.linked_by, reason: r.reason, linkedAt: r.linked_at.toISOString() }));
}

export type MasterHistoryEntry = { at: string; kind: string; detail: string; actor?: string };

/** Everything that happened to a master, oldest first: golden versions, merges, unmerges. */
export async function masterHistory(db: Queryable, masterId: string): Promise<MasterHistoryEntry[]> {
  const { rows } = await db.query<{ at: Date; kind: string; detail: string; actor: string | null }>(
    `SELECT computed_at AS at, 'golden v' || version AS kind, cause AS detail, NULL AS actor FROM golden_record_history WHERE master_id = $1
     UNION ALL
     SELECT merged_at, 'merge #' || id, CASE WHEN winner_id = $1 THEN 'absorbed ' || loser_id ELSE 'merged into ' || winner_id END || CASE WHEN reason <> '' THEN ': ' || reason ELSE '' END, actor
       FROM merge_event WHERE winner_id = $1 OR loser_id = $1
     UNION ALL
     SELECT undone_at, 'unmerge #' || id, 'undid the merge of ' || loser_id || ' into ' || winner_id, undone_by
       FROM merge_event WHERE (winner_id = $1 OR loser_id = $1) AND undone_at IS NOT NULL
     ORDER BY 1`,
    [masterId],
  );
  return rows.map((r) => ({ at: r.at.toISOString(), kind: r.kind, detail: r.detail, ...(r.actor ? { actor: r.actor } : {}) }));
}

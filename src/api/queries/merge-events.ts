import type { Queryable } from '../../store/database.js';

export type MergeEvent = { id: number; winnerId: string; loserId: string; actor: string; reason: string; score: number | null; mergedAt: string; undoneAt: string | null; undoneBy: string | null; members: string[] };

/** The merges a master took part in, newest first: the console offers "unmerge" on the ones not undone. */
export async function listMergeEvents(db: Queryable, masterId: string): Promise<MergeEvent[]> {
  const { rows } = await db.query<{ id: number; winner_id: string; loser_id: string; actor: string; reason: string; score: number | null; merged_at: Date; undone_at: Date | null; undone_by: string | null; member_refs: string[] }>(
    'SELECT * FROM merge_event WHERE winner_id = $1 OR loser_id = $1 ORDER BY id DESC',
    [masterId],
  );
  return rows.map((r) => ({
    id: r.id,
    winnerId: r.winner_id,
    loserId: r.loser_id,
    actor: r.actor,
    reason: r.reason,
    score: r.score,
    mergedAt: r.merged_at.toISOString(),
    undoneAt: r.undone_at?.toISOString() ?? null,
    undoneBy: r.undone_by,
    members: r.member_refs,
  }));
}

import type { PairExplanation } from '../matching/index.js';
import type { Queryable } from './database.js';
import type { MemberRef } from './master.repository.js';

export type ReviewItem = {
  id: number;
  entityType: 'hcp' | 'hco';
  memberRefs: MemberRef[];
  score: number;
  explanation: PairExplanation | null;
  status: 'pending' | 'resolved' | 'deferred';
  resolution: string | null;
  resolvedBy: string | null;
  createdAt: string;
  resolvedAt: string | null;
  /** The masters the members belong to now, in member order. */
  masterIds: Array<string | null>;
};

type Row = {
  id: number;
  entity_type: 'hcp' | 'hco';
  member_refs: MemberRef[];
  score: number;
  explanation: PairExplanation | null;
  status: ReviewItem['status'];
  resolution: string | null;
  resolved_by: string | null;
  created_at: Date;
  resolved_at: Date | null;
  master_ids: Array<string | null>;
};

const SELECT = `SELECT r.*, ARRAY(
    SELECT c.master_id FROM jsonb_array_elements_text(r.member_refs) WITH ORDINALITY AS m(ref, n)
      LEFT JOIN crosswalk c ON c.source_record_id = split_part(m.ref, ':', 1)::bigint AND c.draft_key = substr(m.ref, strpos(m.ref, ':') + 1)
     ORDER BY m.n) AS master_ids
  FROM review_item r`;

function toItem(r: Row): ReviewItem {
  return {
    id: r.id,
    entityType: r.entity_type,
    memberRefs: r.member_refs,
    score: r.score,
    explanation: r.explanation,
    status: r.status,
    resolution: r.resolution,
    resolvedBy: r.resolved_by,
    createdAt: r.created_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    masterIds: r.master_ids,
  };
}

/** Pending items first by score, highest first: the likeliest duplicates are the quickest wins. */
export async function listReviewItems(db: Queryable, filter: { status?: ReviewItem['status']; entityType?: string; limit?: number } = {}): Promise<ReviewItem[]> {
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE r.status = $1 AND ($2::text IS NULL OR r.entity_type = $2) ORDER BY r.score DESC, r.id LIMIT $3`,
    [filter.status ?? 'pending', filter.entityType ?? null, filter.limit ?? 100],
  );
  return rows.map(toItem);
}

export async function getReviewItem(db: Queryable, id: number): Promise<ReviewItem | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE r.id = $1`, [id]);
  return rows[0] ? toItem(rows[0]) : undefined;
}

export async function closeReviewItem(db: Queryable, id: number, outcome: { status: 'resolved' | 'deferred'; resolution: string; by: string }): Promise<void> {
  await db.query(`UPDATE review_item SET status = $2, resolution = $3, resolved_by = $4, resolved_at = now() WHERE id = $1`, [id, outcome.status, outcome.resolution, outcome.by]);
}

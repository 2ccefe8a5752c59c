import type { Queryable } from '../../store/database.js';

export type AuditEntry = {
  id: number;
  at: string;
  actor: string;
  action: string;
  entityType: string | null;
  entityId: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
  /** The privacy request that erased this entry's values, if one did. */
  redactedByRequest: number | null;
};

/**
 * The audit log, newest first, filtered by entity, actor or action; `beforeId` pages back. Read through the view
 * `audit_log_entry` (migration 010), which puts back the before/after values of physician entries that are kept
 * apart so an erasure can remove them; a store without it is read from `audit_log` directly.
 */
export async function listAudit(
  db: Queryable,
  filter: { entityType?: string; entityId?: string; actor?: string; action?: string; beforeId?: number; limit: number },
): Promise<AuditEntry[]> {
  const { rows: found } = await db.query<{ view: string | null }>(`SELECT to_regclass('audit_log_entry')::text AS view`);
  const source = found[0]?.view ? 'audit_log_entry' : 'audit_log';
  const { rows } = await db.query<{
    id: number;
    at: Date;
    actor: string;
    action: string;
    entity_type: string | null;
    entity_id: string | null;
    reason: string | null;
    before: unknown;
    after: unknown;
    redacted_by_request?: number | null;
  }>(
    `SELECT * FROM ${source}
      WHERE ($1::text IS NULL OR entity_type = $1) AND ($2::text IS NULL OR entity_id = $2) AND ($3::text IS NULL OR actor = $3)
        AND ($4::text IS NULL OR action = $4 OR action LIKE $4 || '.%') AND ($5::bigint IS NULL OR id < $5)
      ORDER BY id DESC LIMIT $6`,
    [filter.entityType ?? null, filter.entityId ?? null, filter.actor ?? null, filter.action ?? null, filter.beforeId ?? null, filter.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    reason: r.reason,
    before: r.before,
    after: r.after,
    redactedByRequest: r.redacted_by_request ?? null,
  }));
}

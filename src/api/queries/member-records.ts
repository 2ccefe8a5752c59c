import type { Queryable } from '../../store/database.js';

export type MemberRecord = {
  sourceRecordId: number;
  connector: string;
  stream: string;
  sourceId: string;
  deleted: boolean;
  version: number;
  sourceUpdatedAt: string | null;
  lastChangedAt: string;
  payload: unknown;
  drafts: Array<{ kind: string; key: string; data: unknown }>;
  issues: Array<{ field?: string; code?: string; message?: string }>;
};

/** Source records as received (payload), with what normalization made of them (drafts) and the field issues it found. */
export async function loadMemberRecords(db: Queryable, sourceRecordIds: number[]): Promise<Map<number, MemberRecord>> {
  if (sourceRecordIds.length === 0) return new Map();
  const { rows } = await db.query<{
    id: number;
    connector: string;
    stream: string;
    source_id: string;
    deleted: boolean;
    version: number;
    source_updated_at: Date | null;
    last_changed_at: Date;
    payload: unknown;
    drafts: MemberRecord['drafts'] | null;
    issues: MemberRecord['issues'] | null;
  }>(
    `SELECT s.id, s.connector, s.stream, s.source_id, s.deleted, s.version, s.source_updated_at, s.last_changed_at, s.payload, n.drafts, n.issues
       FROM source_record s LEFT JOIN normalized_record n ON n.source_record_id = s.id WHERE s.id = ANY($1::bigint[])`,
    [sourceRecordIds],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        sourceRecordId: r.id,
        connector: r.connector,
        stream: r.stream,
        sourceId: r.source_id,
        deleted: r.deleted,
        version: r.version,
        sourceUpdatedAt: r.source_updated_at?.toISOString() ?? null,
        lastChangedAt: r.last_changed_at.toISOString(),
        payload: r.payload,
        drafts: r.drafts ?? [],
        issues: r.issues ?? [],
      },
    ]),
  );
}

/** Display names of masters, for labels. */
export async function displayNames(db: Queryable, masterIds: string[]): Promise<Map<string, string | null>> {
  if (masterIds.length === 0) return new Map();
  const { rows } = await db.query<{ master_id: string; display_name: string | null }>('SELECT master_id, display_name FROM golden_record WHERE master_id = ANY($1::text[])', [masterIds]);
  return new Map(rows.map((r) => [r.master_id, r.display_name]));
}

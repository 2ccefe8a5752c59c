import type { Draft, MasterEntityType } from '../model/index.js';
import type { Queryable } from './database.js';
import { memberRef, type MemberRef, type MemberRow } from './master.repository.js';

type MemberSqlRow = {
  source_record_id: number;
  draft_key: string;
  connector: string;
  stream: string;
  source_id: string;
  last_changed_at: Date;
  draft: Extract<Draft, { kind: 'hcp' | 'hco' }>;
  master_id: string | null;
  linked_at: Date | null;
};

const MEMBER_COLUMNS = `n.source_record_id, d->>'key' AS draft_key, s.connector, s.stream, s.source_id, s.last_changed_at, d AS draft, c.master_id, c.linked_at`;

function toMember(r: MemberSqlRow): MemberRow {
  return {
    ref: memberRef(r.source_record_id, r.draft_key),
    sourceRecordId: r.source_record_id,
    draftKey: r.draft_key,
    connector: r.connector,
    stream: r.stream,
    sourceId: r.source_id,
    receivedAt: r.last_changed_at.toISOString(),
    kind: r.draft.kind,
    draft: r.draft.data,
    masterId: r.master_id,
    linkedAt: r.linked_at?.toISOString() ?? null,
  };
}

/**
 * The current drafts of one entity type with their master links, if any: all of them, or those of the given source
 * records. Tombstones have no drafts and so no rows; their crosswalk rows are found by `listOrphanedLinks`.
 */
async function selectDrafts(db: Queryable, entityType: MasterEntityType, sourceRecordIds?: number[]): Promise<MemberRow[]> {
  const { rows } = await db.query<MemberSqlRow>(
    `SELECT ${MEMBER_COLUMNS}
       FROM normalized_record n
       JOIN source_record s ON s.id = n.source_record_id
       CROSS JOIN LATERAL jsonb_array_elements(n.drafts) d
       LEFT JOIN crosswalk c ON c.source_record_id = n.source_record_id AND c.draft_key = d->>'key'
      WHERE d->>'kind' = $1 AND NOT s.deleted ${sourceRecordIds ? BY_RECORD : ''}
      ORDER BY n.source_record_id, d->>'key'`,
    sourceRecordIds ? [entityType, sourceRecordIds] : [entityType],
  );
  return rows.map(toMember);
}
const BY_RECORD = 'AND n.source_record_id = ANY($2::bigint[])';

/** Every current HCP or HCO draft with its master link, if any (or the members of the given masters). */
export async function listMembers(db: Queryable, entityType: MasterEntityType, filter: { masterIds?: string[] } = {}): Promise<MemberRow[]> {
  return filter.masterIds ? listMembersOfMasters(db, entityType, filter.masterIds) : selectDrafts(db, entityType);
}

/** The current members of the given masters, found through the crosswalk's master index. */
export async function listMembersOfMasters(db: Queryable, entityType: MasterEntityType, masterIds: string[]): Promise<MemberRow[]> {
  if (masterIds.length === 0) return [];
  const { rows } = await db.query<MemberSqlRow>(
    `SELECT ${MEMBER_COLUMNS}
       FROM crosswalk c
       JOIN normalized_record n ON n.source_record_id = c.source_record_id
       JOIN source_record s ON s.id = n.source_record_id
       CROSS JOIN LATERAL jsonb_array_elements(n.drafts) d
      WHERE c.master_id = ANY($2::text[]) AND d->>'key' = c.draft_key AND d->>'kind' = $1 AND NOT s.deleted
      ORDER BY n.source_record_id, d->>'key'`,
    [entityType, masterIds],
  );
  return rows.map(toMember);
}

/** The current drafts of one entity type in the given source records, with their master links if any. */
export async function listMembersOfSourceRecords(db: Queryable, entityType: MasterEntityType, sourceRecordIds: number[]): Promise<MemberRow[]> {
  return sourceRecordIds.length === 0 ? [] : selectDrafts(db, entityType, sourceRecordIds);
}

/** The crosswalk links of the given source records to masters of one entity type. */
export async function listLinksOfSourceRecords(db: Queryable, entityType: MasterEntityType, sourceRecordIds: number[]): Promise<Array<{ ref: MemberRef; masterId: string }>> {
  if (sourceRecordIds.length === 0) return [];
  const { rows } = await db.query<{ source_record_id: number; draft_key: string; master_id: string }>(
    `SELECT c.source_record_id, c.draft_key, c.master_id
       FROM crosswalk c JOIN master_entity m ON m.id = c.master_id AND m.entity_type = $1
      WHERE c.source_record_id = ANY($2::bigint[])`,
    [entityType, sourceRecordIds],
  );
  return rows.map((r) => ({ ref: memberRef(Number(r.source_record_id), r.draft_key), masterId: r.master_id }));
}

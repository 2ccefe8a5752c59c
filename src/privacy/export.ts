import type { Database, Queryable } from '../store/database.js';
import { appendAudit } from '../store/master.repository.js';
import { collectFootprint, findSubjectMaster, listOtherReferencingTables } from './footprint.js';

export type SubjectExport = {
  /** The format of this document; bumped when a section changes shape. */
  format: 'crosswalk.subject-export.v1';
  exportedAt: string;
  requestId: number;
  subject: { key: string; masterId: string; masterIds: string[] };
  masters: unknown[];
  goldenRecords: unknown[];
  goldenHistory: unknown[];
  identifiers: unknown[];
  /** Every source record with its payload as received, what the mapping made of it, and where it is linked. */
  sourceRecords: unknown[];
  crosswalk: unknown[];
  rxFacts: unknown[];
  pins: unknown[];
  reviewItems: unknown[];
  matchDecisions: unknown[];
  mergeEvents: unknown[];
  quarantine: unknown[];
  outbox: unknown[];
  writeBackFailures: unknown[];
  auditEntries: unknown[];
  privacyRequests: unknown[];
  /** Rows of other tables that reference the person's masters or records (segments ...), by table. */
  otherTables: Record<string, unknown[]>;
  /** Records of other people that mention this one (a referral): not the person's, listed for completeness. */
  mentionedBy: Array<{ sourceRecordId: number; masterId: string }>;
};

/**
 * Everything held about one physician across every source, with lineage (GDPR art. 15, CCPA right to know): the
 * same footprint an erasure would remove (src/privacy/footprint.ts), read in one consistent snapshot. The request
 * is recorded (privacy_request and the audit log: who, when, why, which masters), never the exported values.
 */
export async function exportSubject(db: Database, input: { key: string; actor: string; reason?: string }): Promise<SubjectExport> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const masterId = await findSubjectMaster(tx, input.key);
    const fp = await collectFootprint(tx, masterId);
    const ids = fp.masterIds;
    const records = fp.sourceRecordIds;
    const mentions = [...ids, ...fp.searchValues];
    const q = async (sql: string, params: unknown[]) => (await tx.query(sql, params)).rows;
    const refOf = (column: string) => `split_part(${column}, ':', 1)::bigint = ANY($1::bigint[])`;

    const doc: Omit<SubjectExport, 'requestId' | 'exportedAt'> = {
      format: 'crosswalk.subject-export.v1',
      subject: { key: input.key, masterId, masterIds: ids },
      masters: await q('SELECT id, entity_type, status, replaced_by, created_at, updated_at FROM master_entity WHERE id = ANY($1::text[]) ORDER BY id', [ids]),
      goldenRecords: await q('SELECT master_id, entity_type, version, display_name, attributes, computed_at FROM golden_record WHERE master_id = ANY($1::text[]) ORDER BY master_id', [ids]),
      goldenHistory: await q('SELECT master_id, version, cause, attributes, computed_at FROM golden_record_history WHERE master_id = ANY($1::text[]) ORDER BY master_id, version', [ids]),
      identifiers: await q('SELECT master_id, type, value, issuer FROM master_identifier WHERE master_id = ANY($1::text[]) ORDER BY master_id, type, value', [ids]),
      sourceRecords: await q(
        `SELECT s.id, s.connector, s.stream, s.source_id, s.version, s.deleted, s.source_updated_at, s.first_seen_at, s.last_changed_at, s.payload,
                n.drafts, n.issues, n.mapping_checksum, n.normalized_at
           FROM source_record s LEFT JOIN normalized_record n ON n.source_record_id = s.id
          WHERE s.id = ANY($1::bigint[]) ORDER BY s.id`,
        [records],
      ),
      crosswalk: await q('SELECT source_record_id, draft_key, master_id, linked_at, linked_by, reason FROM crosswalk WHERE master_id = ANY($1::text[]) OR source_record_id = ANY($2::bigint[]) ORDER BY 1, 2', [ids, records]),
      rxFacts: await q('SELECT * FROM rx_fact WHERE master_id = ANY($1::text[]) OR source_record_id = ANY($2::bigint[]) ORDER BY source_record_id, draft_key', [ids, records]),
      pins: await q('SELECT * FROM attribute_pin WHERE master_id = ANY($1::text[]) ORDER BY master_id, attribute', [ids]),
      reviewItems: await q(`SELECT * FROM review_item r WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text(r.member_refs) m WHERE ${refOf('m')}) ORDER BY id`, [records]),
      matchDecisions: await q(`SELECT * FROM match_decision WHERE ${refOf('left_ref')} OR ${refOf('right_ref')} ORDER BY id`, [records]),
      mergeEvents: await q(
        `SELECT * FROM merge_event e WHERE e.winner_id = ANY($2::text[]) OR e.loser_id = ANY($2::text[])
            OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(e.member_refs) m WHERE ${refOf('m')}) ORDER BY id`,
        [records, ids],
      ),
      quarantine: await q(
        `SELECT * FROM quarantine q
          WHERE EXISTS (SELECT 1 FROM source_record s WHERE s.id = ANY($1::bigint[]) AND s.connector = q.connector AND s.stream = q.stream AND s.source_id = q.source_id)
             OR q.source_id = ANY($2::text[])
             OR EXISTS (SELECT 1 FROM unnest($2::text[]) v WHERE strpos(q.payload::text, v) > 0)
          ORDER BY id`,
        [records, fp.searchValues],
      ),
      outbox: await q('SELECT * FROM outbox o WHERE o.aggregate_id = ANY($1::text[]) OR EXISTS (SELECT 1 FROM unnest($2::text[]) v WHERE strpos(o.payload::text, v) > 0) ORDER BY id', [ids, mentions]),
      writeBackFailures: await q(
        `SELECT * FROM salesforce_write_back_failure f WHERE f.master_id = ANY($1::text[])
            OR f.crm_id IN (SELECT source_id FROM source_record WHERE id = ANY($2::bigint[])) ORDER BY connector, crm_id`,
        [ids, records],
      ),
      auditEntries: await q(
        `SELECT * FROM audit_log_entry a
          WHERE a.entity_id = ANY($1::text[])
             OR EXISTS (SELECT 1 FROM unnest($2::text[]) v WHERE strpos(COALESCE(a.before::text, '') || ' ' || COALESCE(a.after::text, ''), v) > 0)
          ORDER BY id`,
        [ids, mentions],
      ),
      privacyRequests: await q('SELECT id, kind, actor, reason, created_at, summary FROM privacy_request WHERE master_ids && $1::text[] ORDER BY id', [ids]),
      otherTables: await readOtherTables(tx, ids, records),
      mentionedBy: fp.mentionedBy,
    };

    const { rows } = await tx.query<{ id: number; created_at: Date }>(
      `INSERT INTO privacy_request (kind, actor, reason, master_ids, summary) VALUES ('export', $1, $2, $3, $4) RETURNING id, created_at`,
      [input.actor, input.reason ?? '', ids, JSON.stringify({ sourceRecords: records.length, auditEntries: doc.auditEntries.length })],
    );
    const requestId = rows[0]!.id;
    await appendAudit(tx, {
      actor: input.actor,
      action: 'privacy.export',
      entityType: 'privacy_request',
      entityId: String(requestId),
      ...(input.reason ? { reason: input.reason } : {}),
      after: { masterIds: ids, sourceRecords: records.length },
    });
    return { ...doc, requestId, exportedAt: rows[0]!.created_at.toISOString() };
  });
}

async function readOtherTables(tx: Queryable, masterIds: string[], records: number[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of await listOtherReferencingTables(tx)) {
    const { rows } =
      t.target === 'master_entity'
        ? await tx.query(`SELECT * FROM ${t.table} WHERE ${t.column} = ANY($1::text[])`, [masterIds])
        : await tx.query(`SELECT * FROM ${t.table} WHERE ${t.column} = ANY($1::bigint[])`, [records]);
    if (rows.length) out[t.name] = [...(out[t.name] ?? []), ...rows];
  }
  return out;
}

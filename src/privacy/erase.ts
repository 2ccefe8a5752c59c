import { ConfigError } from '../errors.js';
import type { Database, Queryable } from '../store/database.js';
import { appendAudit, appendOutbox } from '../store/master.repository.js';
import { recomputeGolden, type GoldenRules } from '../survivorship/merge.js';
import { collectFootprint, findSubjectMaster, listOtherReferencingTables, type SubjectFootprint } from './footprint.js';
import { loadPrivacyKeyring, requirePrivacyKey, type PrivacyKeyring } from './privacy-key.js';
import { tombstonesOf } from './subject-keys.js';

export type EraseInput = {
  /** A master id (a retired one redirects) or an identifier (NPI, DEA, ME ...). */
  key: string;
  actor: string;
  reason: string;
  /** Recomputes the golden records of other masters that shared a removed record. */
  survivorship: GoldenRules;
  keyring?: PrivacyKeyring;
  /** Count everything, change nothing (the transaction is rolled back). */
  dryRun?: boolean;
};

export type EraseReport = {
  requestId: number;
  dryRun: boolean;
  masterIds: string[];
  /** Rows removed per table. */
  deleted: Record<string, number>;
  tombstones: string[];
  /** Audit entries whose before/after values were removed (the entries themselves stay: who, when, what, why). */
  redactedAuditEntries: number;
  /** Audit entries that still hold one of the person's values and cannot be changed (append-only); 0 unless written outside the rules. */
  auditEntriesStillMentioning: number;
  mentionedBy: SubjectFootprint['mentionedBy'];
  recomputedMasters: string[];
};

class DryRun extends Error {
  constructor(readonly report: EraseReport) {
    super('dry run');
  }
}

/**
 * Erases one physician (GDPR art. 17, CCPA deletion): every record, draft, golden value and version, identifier,
 * fact, review item, decision, merge event, pin, outbox event, write-back retry, quarantined payload and audit
 * value about them, in one transaction. What stays: a tombstone per identifier and source key (a keyed hash, so a
 * later sync cannot bring the person back and nobody can read the values out of it), the request (who, when, why,
 * which master ids, counts) and the audit entries themselves without their values. Nothing in the audit log is
 * updated or deleted: the values it shows for physicians live in `audit_log_detail` (migration 010).
 *
 * Refuses to run without `CROSSWALK_PRIVACY_KEY`. Other masters that shared a removed record get their golden
 * records recomputed. BullMQ jobs carry run ids, connector and stream names only (src/pipeline/queue-names.ts), so
 * the queues hold nothing to erase.
 */
export async function eraseSubject(db: Database, input: EraseInput): Promise<EraseReport> {
  if (!input.actor.trim()) throw new ConfigError('privacy.actor_missing', 'Say who erases (--actor): the request is recorded in the audit log.');
  if (!input.reason.trim()) throw new ConfigError('privacy.reason_missing', 'Say why (--reason, e.g. the request number): the request is recorded in the audit log.');
  const privacyKey = requirePrivacyKey(input.keyring ?? loadPrivacyKeyring());
  try {
    return await db.transaction(async (tx) => {
      // No merge, match or sync may link anything to the person while their records go.
      await tx.query('LOCK TABLE master_entity, crosswalk IN SHARE ROW EXCLUSIVE MODE');
      const masterId = await findSubjectMaster(tx, input.key);
      const fp = await collectFootprint(tx, masterId);
      const ids = fp.masterIds;
      const records = fp.sourceRecordIds;
      const values = fp.searchValues;
      const deleted: Record<string, number> = {};
      const count = async (table: string, sql: string, params: unknown[]) => {
        const { rowCount } = await tx.query(sql, params);
        deleted[table] = (deleted[table] ?? 0) + (rowCount ?? 0);
      };

      const { rows: request } = await tx.query<{ id: number }>(
        `INSERT INTO privacy_request (kind, actor, reason, master_ids) VALUES ('erase', $1, $2, $3) RETURNING id`,
        [input.actor, input.reason, ids],
      );
      const requestId = request[0]!.id;

      const tombstones = tombstonesOf(privacyKey, fp.keys);
      await tx.query('INSERT INTO privacy_key (key_id) VALUES ($1) ON CONFLICT DO NOTHING', [privacyKey.id]);
      await tx.query(
        `INSERT INTO privacy_tombstone (hash, kind, key_id, request_id) SELECT t.hash, t.kind, $3, $4 FROM unnest($1::text[], $2::text[]) AS t(hash, kind)
         ON CONFLICT (hash) DO NOTHING`,
        [tombstones.map((t) => t.hash), tombstones.map((t) => t.kind), privacyKey.id, requestId],
      );

      // Audit values about the person go; the entries stay, with a redaction record naming this request.
      const mentions = [...ids, ...values];
      const { rows: audit } = await tx.query<{ audit_id: number }>(
        `SELECT d.audit_id FROM audit_log_detail d JOIN audit_log a ON a.id = d.audit_id
          WHERE a.entity_id = ANY($1::text[])
             OR EXISTS (SELECT 1 FROM unnest($2::text[]) v WHERE strpos(COALESCE(d.before::text, '') || ' ' || COALESCE(d.after::text, ''), v) > 0)`,
        [ids, mentions],
      );
      const auditIds = audit.map((a) => a.audit_id);
      await count('audit_log_detail', 'DELETE FROM audit_log_detail WHERE audit_id = ANY($1::bigint[])', [auditIds]);
      await tx.query('INSERT INTO audit_log_redaction (audit_id, request_id) SELECT unnest($1::bigint[]), $2 ON CONFLICT DO NOTHING', [auditIds, requestId]);
      const { rows: kept } = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log a
          WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) v WHERE strpos(COALESCE(a.before::text, '') || ' ' || COALESCE(a.after::text, '') || ' ' || COALESCE(a.reason, ''), v) > 0)`,
        [values],
      );

      const refOf = (column: string) => `split_part(${column}, ':', 1)::bigint = ANY($1::bigint[])`;
      await count('review_item', `DELETE FROM review_item r WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text(r.member_refs) m WHERE ${refOf('m')})`, [records]);
      await count('match_decision', `DELETE FROM match_decision WHERE ${refOf('left_ref')} OR ${refOf('right_ref')}`, [records]);
      await count(
        'merge_event',
        `DELETE FROM merge_event e WHERE e.winner_id = ANY($2::text[]) OR e.loser_id = ANY($2::text[])
            OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(e.member_refs) m WHERE ${refOf('m')})`,
        [records, ids],
      );
      await count('attribute_pin', 'DELETE FROM attribute_pin WHERE master_id = ANY($1::text[])', [ids]);
      await count(
        'outbox',
        `DELETE FROM outbox o WHERE o.aggregate_id = ANY($1::text[]) OR EXISTS (SELECT 1 FROM unnest($2::text[]) v WHERE strpos(o.payload::text, v) > 0)`,
        [ids, mentions],
      );
      await count(
        'salesforce_write_back_failure',
        `DELETE FROM salesforce_write_back_failure f WHERE f.master_id = ANY($1::text[])
            OR f.crm_id IN (SELECT source_id FROM source_record WHERE id = ANY($3::bigint[]))
            OR EXISTS (SELECT 1 FROM unnest($2::text[]) v WHERE strpos(f.fields::text, v) > 0)`,
        [ids, values, records],
      );
      await count(
        'quarantine',
        `DELETE FROM quarantine q
          WHERE EXISTS (SELECT 1 FROM source_record s WHERE s.id = ANY($1::bigint[]) AND s.connector = q.connector AND s.stream = q.stream AND s.source_id = q.source_id)
             OR q.source_id = ANY($2::text[])
             OR EXISTS (SELECT 1 FROM unnest($2::text[]) v WHERE strpos(q.payload::text, v) > 0)`,
        [records, values],
      );
      await deleteFromOtherTables(tx, ids, records, deleted);
      await tx.query('UPDATE sales_fact SET ship_to_master_id = NULL WHERE ship_to_master_id = ANY($1::text[])', [ids]);
      await count('rx_fact', 'DELETE FROM rx_fact WHERE master_id = ANY($1::text[]) OR source_record_id = ANY($2::bigint[])', [ids, records]);
      await count('crosswalk', 'DELETE FROM crosswalk WHERE master_id = ANY($1::text[]) OR source_record_id = ANY($2::bigint[])', [ids, records]);
      await count('master_identifier', 'DELETE FROM master_identifier WHERE master_id = ANY($1::text[])', [ids]);
      await count('golden_record_history', 'DELETE FROM golden_record_history WHERE master_id = ANY($1::text[])', [ids]);
      await count('golden_record', 'DELETE FROM golden_record WHERE master_id = ANY($1::text[])', [ids]);
      await tx.query('UPDATE master_entity SET replaced_by = NULL WHERE id = ANY($1::text[])', [ids]);
      await count('master_entity', 'DELETE FROM master_entity WHERE id = ANY($1::text[])', [ids]);
      await count('normalized_record', 'DELETE FROM normalized_record WHERE source_record_id = ANY($1::bigint[])', [records]);
      await count('source_record', 'DELETE FROM source_record WHERE id = ANY($1::bigint[])', [records]);

      const recomputed: string[] = [];
      for (const other of fp.otherMasters) {
        const { rows } = await tx.query<{ entity_type: 'hcp' | 'hco'; members: number }>(
          `SELECT m.entity_type, (SELECT count(*)::int FROM crosswalk c WHERE c.master_id = m.id) AS members FROM master_entity m WHERE m.id = $1 AND m.status = 'active'`,
          [other],
        );
        const m = rows[0];
        if (!m) continue;
        if (m.members === 0) {
          await tx.query(`UPDATE master_entity SET status = 'retired', updated_at = now() WHERE id = $1`, [other]);
          await appendOutbox(tx, 'golden.retired', other, { masterId: other, reason: 'its only records were erased with another person' });
        } else {
          await recomputeGolden(tx, input.survivorship[m.entity_type], m.entity_type, other, 'records erased with another person', input.survivorship.referenceOnly);
        }
        recomputed.push(other);
      }

      await appendOutbox(tx, 'privacy.erased', `privacy_request:${requestId}`, { requestId, masterIds: ids });
      const report: EraseReport = {
        requestId,
        dryRun: input.dryRun === true,
        masterIds: ids,
        deleted,
        tombstones: tombstones.map((t) => t.hash),
        redactedAuditEntries: auditIds.length,
        auditEntriesStillMentioning: kept[0]?.n ?? 0,
        mentionedBy: fp.mentionedBy,
        recomputedMasters: recomputed,
      };
      const summary = { deleted, tombstones: tombstones.length, redactedAuditEntries: auditIds.length, mentionedBy: fp.mentionedBy.length, recomputedMasters: recomputed };
      await tx.query('UPDATE privacy_request SET summary = $2 WHERE id = $1', [requestId, JSON.stringify(summary)]);
      await appendAudit(tx, {
        actor: input.actor,
        action: 'privacy.erase',
        entityType: 'privacy_request',
        entityId: String(requestId),
        reason: input.reason,
        after: { masterIds: ids, keyId: privacyKey.id, tombstones: report.tombstones, deleted, redactedAuditEntries: auditIds.length, recomputedMasters: recomputed },
      });
      if (input.dryRun) throw new DryRun(report);
      return report;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.report;
    throw error;
  }
}

async function deleteFromOtherTables(tx: Queryable, masterIds: string[], records: number[], deleted: Record<string, number>): Promise<void> {
  for (const t of await listOtherReferencingTables(tx)) {
    const { rowCount } =
      t.target === 'master_entity'
        ? await tx.query(`DELETE FROM ${t.table} WHERE ${t.column} = ANY($1::text[])`, [masterIds])
        : await tx.query(`DELETE FROM ${t.table} WHERE ${t.column} = ANY($1::bigint[])`, [records]);
    deleted[t.name] = (deleted[t.name] ?? 0) + (rowCount ?? 0);
  }
}

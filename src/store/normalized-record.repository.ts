import type { Draft, FieldIssue } from '../model/index.js';
import type { Queryable } from './database.js';

export type NormalizedInput = {
  sourceRecordId: number;
  sourceVersion: number;
  mappingChecksum: string;
  drafts: Draft[];
  issues: FieldIssue[];
};

/**
 * Replaces the normalized form of each record, and the Rx facts it carries, in two statements.
 * A tombstone (a deleted source record) is stored with no drafts, so later stages drop it from its master.
 */
export async function saveNormalizedRecords(db: Queryable, items: NormalizedInput[]): Promise<void> {
  if (items.length === 0) return;
  await db.query(
    `INSERT INTO normalized_record (source_record_id, source_version, mapping_checksum, drafts, issues, normalized_at)
     SELECT t.id, t.version, t.checksum, t.drafts, t.issues, now()
       FROM unnest($1::bigint[], $2::int[], $3::text[], $4::jsonb[], $5::jsonb[]) AS t(id, version, checksum, drafts, issues)
     ON CONFLICT (source_record_id) DO UPDATE
        SET source_version = excluded.source_version, mapping_checksum = excluded.mapping_checksum,
            drafts = excluded.drafts, issues = excluded.issues, normalized_at = now()`,
    [
      items.map((i) => i.sourceRecordId),
      items.map((i) => i.sourceVersion),
      items.map((i) => i.mappingChecksum),
      items.map((i) => JSON.stringify(i.drafts)),
      items.map((i) => JSON.stringify(i.issues)),
    ],
  );

  const ids = items.map((i) => i.sourceRecordId);
  await db.query('DELETE FROM rx_fact WHERE source_record_id = ANY($1::bigint[])', [ids]);
  const facts = items.flatMap((i) =>
    i.drafts.flatMap((d) => (d.kind === 'rx_fact' ? [{ id: i.sourceRecordId, key: d.key, fact: d.data }] : [])),
  );
  if (facts.length === 0) return;
  await db.query(
    `INSERT INTO rx_fact (source_record_id, draft_key, prescriber, product, period_end, grain, measures, suppressed)
     SELECT t.id, t.key, t.prescriber, t.product, t.period_end, t.grain, t.measures, ARRAY(SELECT jsonb_array_elements_text(t.suppressed))
       FROM unnest($1::bigint[], $2::text[], $3::jsonb[], $4::text[], $5::date[], $6::text[], $7::jsonb[], $8::jsonb[])
            AS t(id, key, prescriber, product, period_end, grain, measures, suppressed)`,
    [
      facts.map((f) => f.id),
      facts.map((f) => f.key),
      facts.map((f) => JSON.stringify(f.fact.prescriber)),
      facts.map((f) => f.fact.product.name),
      facts.map((f) => f.fact.period.end),
      facts.map((f) => f.fact.period.grain),
      facts.map((f) => JSON.stringify(f.fact.measures)),
      facts.map((f) => JSON.stringify(f.fact.suppressed)),
    ],
  );
}

export type StoreSummary = {
  sourceRecords: number;
  tombstones: number;
  normalized: number;
  withIssues: number;
  drafts: Record<string, number>;
  rxFacts: number;
  rxFactsResolved: number;
  quarantined: number;
  masters: Record<string, { active: number; multiSource: number }>;
  pendingReviews: number;
};

/** Counts a person wants after a run: how much is stored, normalized, and in trouble. */
export async function summarizeStore(db: Queryable): Promise<StoreSummary> {
  const { rows } = await db.query<{
    source_records: number;
    tombstones: number;
    normalized: number;
    with_issues: number;
    rx_facts: number;
    rx_facts_resolved: number;
    pending_reviews: number;
    quarantined: number;
  }>(`SELECT
        (SELECT count(*) FROM source_record) AS source_records,
        (SELECT count(*) FROM source_record WHERE deleted) AS tombstones,
        (SELECT count(*) FROM normalized_record) AS normalized,
        (SELECT count(*) FROM normalized_record WHERE jsonb_array_length(issues) > 0) AS with_issues,
        (SELECT count(*) FROM rx_fact) AS rx_facts,
        (SELECT count(*) FROM rx_fact WHERE master_id IS NOT NULL) AS rx_facts_resolved,
        (SELECT count(*) FROM review_item WHERE status = 'pending') AS pending_reviews,
        (SELECT count(*) FROM quarantine WHERE replayed_at IS NULL) AS quarantined`);
  const kinds = await db.query<{ kind: string; n: number }>(
    `SELECT d->>'kind' AS kind, count(*) AS n FROM normalized_record, jsonb_array_elements(drafts) d GROUP BY 1 ORDER BY 1`,
  );
  const masters = await db.query<{ entity_type: string; active: number; multi_source: number }>(
    `SELECT m.entity_type, count(*) AS active,
            count(*) FILTER (WHERE (SELECT count(DISTINCT s.connector) FROM crosswalk c JOIN source_record s ON s.id = c.source_record_id WHERE c.master_id = m.id) > 1) AS multi_source
       FROM master_entity m WHERE m.status = 'active' GROUP BY 1`,
  );
  const r = rows[0]!;
  return {
    sourceRecords: r.source_records,
    tombstones: r.tombstones,
    normalized: r.normalized,
    withIssues: r.with_issues,
    rxFacts: r.rx_facts,
    rxFactsResolved: r.rx_facts_resolved,
    quarantined: r.quarantined,
    pendingReviews: r.pending_reviews,
    masters: Object.fromEntries(masters.rows.map((m) => [m.entity_type, { active: m.active, multiSource: m.multi_source }])),
    drafts: Object.fromEntries(kinds.rows.map((k) => [k.kind, k.n])),
  };
}

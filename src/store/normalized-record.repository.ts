import type { Draft, FieldIssue } from '../model/index.js';
import type { Queryable } from './database.js';
import { saveDistributorFacts } from './distributor-fact.repository.js';

export type NormalizedInput = {
  sourceRecordId: number;
  sourceVersion: number;
  mappingChecksum: string;
  drafts: Draft[];
  issues: FieldIssue[];
};

/**
 * Replaces the normalized form of each record, and the Rx and sales facts it carries.
 * A tombstone (a deleted source record) is stored with no drafts, so later stages drop it from its master.
 */
export async function saveNormalizedRecords(db: Queryable, items: NormalizedInput[]): Promise<void> {
  if (items.length === 0) return;
  // One JSON document carries the batch: PostgreSQL reads it several times faster than jsonb[] parameters.
  const input = `[${items
    .map((i) => `{"i":${i.sourceRecordId},"v":${i.sourceVersion},"c":${JSON.stringify(i.mappingChecksum)},"d":${JSON.stringify(i.drafts)},"x":${JSON.stringify(i.issues)}}`)
    .join(',')}]`;
  await db.query(
    `INSERT INTO normalized_record (source_record_id, source_version, mapping_checksum, drafts, issues, normalized_at)
     SELECT (e->>'i')::bigint, (e->>'v')::int, e->>'c', e->'d', e->'x', now() FROM jsonb_array_elements($1::jsonb) e
     ON CONFLICT (source_record_id) DO UPDATE
        SET source_version = excluded.source_version, mapping_checksum = excluded.mapping_checksum,
            drafts = excluded.drafts, issues = excluded.issues, normalized_at = now()`,
    [input],
  );

  const ids = items.map((i) => i.sourceRecordId);
  await db.query('DELETE FROM rx_fact WHERE source_record_id = ANY($1::bigint[])', [ids]);
  const facts = items.flatMap((i) =>
    i.drafts.flatMap((d) => (d.kind === 'rx_fact' ? [{ id: i.sourceRecordId, key: d.key, fact: d.data }] : [])),
  );
  if (facts.length > 0) {
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
  await saveSalesFacts(db, items, ids);
  await saveDistributorFacts(db, items);
}

/**
 * Distributor sales-out lines (`sales_fact` drafts, migration 005), replaced per source record like Rx facts. The
 * distributor key is the draft's `edi_sender` identifier; the connector comes from the source record, the line
 * number from a source id ending in `:<line>` (the distributor-edi key `distributor:report:line`).
 */
async function saveSalesFacts(db: Queryable, items: NormalizedInput[], ids: number[]): Promise<void> {
  await db.query('DELETE FROM sales_fact WHERE source_record_id = ANY($1::bigint[])', [ids]);
  const sales = items.flatMap((i) => i.drafts.flatMap((d) => (d.kind === 'sales_fact' ? [{ id: i.sourceRecordId, key: d.key, fact: d.data }] : [])));
  if (sales.length === 0) return;
  const col = <T>(fn: (f: (typeof sales)[number]['fact']) => T) => sales.map((s) => fn(s.fact));
  await db.query(
    `INSERT INTO sales_fact (source_record_id, draft_key, connector, distributor_id, report_number, report_purpose, line_number, ship_to,
                             ndc11, upc, period_start, period_end, period_grain, transfer_type, quantity, unit, unit_price, amount,
                             contract, invoice, lot, expiry, ship_to_stream, ship_to_source_id)
     SELECT t.id, t.key, s.connector, t.distributor_id, t.report_number, t.report_purpose,
            CASE WHEN s.source_id ~ ':[0-9]{1,9}$' THEN substring(s.source_id FROM ':([0-9]{1,9})$')::int END,
            t.ship_to, t.ndc11, t.upc, t.period_start, t.period_end, t.period_grain, t.transfer_type, t.quantity, t.unit,
            t.unit_price, t.amount, t.contract, t.invoice, t.lot, t.expiry, t.ship_to_stream, t.ship_to_source_id
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[], $9::date[], $10::date[],
                   $11::text[], $12::text[], $13::numeric[], $14::text[], $15::numeric[], $16::numeric[], $17::text[], $18::text[], $19::text[], $20::date[],
                   $21::text[], $22::text[])
            AS t(id, key, distributor_id, report_number, report_purpose, ship_to, ndc11, upc, period_start, period_end,
                 period_grain, transfer_type, quantity, unit, unit_price, amount, contract, invoice, lot, expiry, ship_to_stream, ship_to_source_id)
       JOIN source_record s ON s.id = t.id`,
    [
      sales.map((s) => s.id),
      sales.map((s) => s.key),
      col((f) => f.distributor.identifiers.find((i) => i.type === 'edi_sender')?.value ?? f.distributor.identifiers[0]?.value ?? f.distributor.name ?? 'unknown'),
      col((f) => f.report?.number ?? null),
      col((f) => f.report?.purpose ?? null),
      col((f) => JSON.stringify(f.shipTo)),
      col((f) => (f.product.ndc11 && /^\d{11}$/.test(f.product.ndc11) ? f.product.ndc11 : null)),
      col((f) => f.product.upc ?? null),
      col((f) => f.period.start ?? null),
      col((f) => f.period.end),
      col((f) => f.period.grain),
      col((f) => f.transferType ?? null),
      col((f) => f.quantity),
      col((f) => f.unit ?? null),
      col((f) => f.unitPrice ?? null),
      col((f) => f.amount ?? null),
      col((f) => f.contract ?? null),
      col((f) => f.invoice ?? null),
      col((f) => f.lot ?? null),
      col((f) => f.expiry ?? null),
      col((f) => (f.shipTo.sourceId ? (f.shipTo.sourceStream ?? null) : null)),
      col((f) => (f.shipTo.sourceStream ? (f.shipTo.sourceId ?? null) : null)),
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

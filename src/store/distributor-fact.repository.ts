import type { ChargebackFact, Draft, InventoryFact } from '../model/index.js';
import type { Queryable } from './database.js';

/**
 * Distributor inventory (852) and chargeback (844) facts (migration 012), written with the normalized record they
 * come from and replaced with it, like Rx and sales facts: a record stored again unchanged is never normalized again
 * (its content hash), so the same file twice writes nothing; a changed record replaces its facts; a deleted one
 * (a line a replacing claim no longer has) loses them.
 */
export type FactSource = { sourceRecordId: number; drafts: Draft[] };

/** The distributor key of a fact: its `edi_sender` identifier, else its first identifier, else its name. */
export function distributorKey(party: { identifiers: Array<{ type: string; value: string }>; name?: string | undefined }): string {
  return party.identifiers.find((i) => i.type === 'edi_sender')?.value ?? party.identifiers[0]?.value ?? party.name ?? 'unknown';
}

const ndc11 = (value: string | undefined): string | null => (value && /^\d{11}$/.test(value) ? value : null);

export async function saveDistributorFacts(db: Queryable, items: FactSource[]): Promise<void> {
  if (items.length === 0) return;
  const ids = items.map((i) => i.sourceRecordId);
  await saveInventoryFacts(db, items, ids);
  await saveChargebackFacts(db, items, ids);
}

function factsOf<K extends 'inventory_fact' | 'chargeback_fact'>(items: FactSource[], kind: K) {
  return items.flatMap((i) =>
    i.drafts.flatMap((d) => (d.kind === kind ? [{ id: i.sourceRecordId, key: d.key, fact: d.data as K extends 'inventory_fact' ? InventoryFact : ChargebackFact }] : [])),
  );
}

async function saveInventoryFacts(db: Queryable, items: FactSource[], ids: number[]): Promise<void> {
  await db.query('DELETE FROM inventory_fact WHERE source_record_id = ANY($1::bigint[])', [ids]);
  const facts = factsOf(items, 'inventory_fact');
  if (facts.length === 0) return;
  const col = <T>(fn: (f: InventoryFact) => T) => facts.map((s) => fn(s.fact));
  await db.query(
    `INSERT INTO inventory_fact (source_record_id, draft_key, connector, distributor_id, distributor, location_qualifier, location_id, location_name,
                                 ndc11, upc, gtin, product_description, period_start, period_end, period_grain, reporting_code,
                                 on_hand, sold, received, on_order, out_of_stock, unit)
     SELECT t.id, t.key, s.connector, t.distributor_id, t.distributor, t.location_qualifier, t.location_id, t.location_name,
            t.ndc11, t.upc, t.gtin, t.product_description, t.period_start, t.period_end, t.period_grain, t.reporting_code,
            t.on_hand, t.sold, t.received, t.on_order, t.out_of_stock, t.unit
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                   $11::text[], $12::date[], $13::date[], $14::text[], $15::text[], $16::numeric[], $17::numeric[], $18::numeric[], $19::numeric[],
                   $20::numeric[], $21::text[])
            AS t(id, key, distributor_id, distributor, location_qualifier, location_id, location_name, ndc11, upc, gtin,
                 product_description, period_start, period_end, period_grain, reporting_code, on_hand, sold, received, on_order,
                 out_of_stock, unit)
       JOIN source_record s ON s.id = t.id`,
    [
      facts.map((f) => f.id),
      facts.map((f) => f.key),
      col((f) => distributorKey(f.distributor)),
      col((f) => JSON.stringify(f.distributor)),
      col((f) => f.location?.qualifier ?? null),
      col((f) => f.location?.id ?? null),
      col((f) => f.location?.name ?? null),
      col((f) => ndc11(f.product.ndc11)),
      col((f) => f.product.upc ?? null),
      col((f) => f.product.gtin ?? null),
      col((f) => f.product.description ?? null),
      col((f) => f.period.start ?? null),
      col((f) => f.period.end),
      col((f) => f.period.grain),
      col((f) => f.reportingCode ?? null),
      col((f) => f.quantities.onHand ?? null),
      col((f) => f.quantities.sold ?? null),
      col((f) => f.quantities.received ?? null),
      col((f) => f.quantities.onOrder ?? null),
      col((f) => f.quantities.outOfStock ?? null),
      col((f) => f.unit ?? null),
    ],
  );
}

async function saveChargebackFacts(db: Queryable, items: FactSource[], ids: number[]): Promise<void> {
  await db.query('DELETE FROM chargeback_fact WHERE source_record_id = ANY($1::bigint[])', [ids]);
  const facts = factsOf(items, 'chargeback_fact');
  if (facts.length === 0) return;
  const col = <T>(fn: (f: ChargebackFact) => T) => facts.map((s) => fn(s.fact));
  await db.query(
    `INSERT INTO chargeback_fact (source_record_id, draft_key, connector, distributor_id, claim_number, claim_purpose, claim_date, credit_memo,
                                  contract, customer, customer_stream, customer_source_id, ndc11, upc, transfer_type, quantity, unit,
                                  contract_price, wac, chargeback_amount, invoice, invoice_date, lot)
     SELECT t.id, t.key, s.connector, t.distributor_id, t.claim_number, t.claim_purpose, t.claim_date, t.credit_memo,
            t.contract, t.customer, t.customer_stream, t.customer_source_id, t.ndc11, t.upc, t.transfer_type, t.quantity, t.unit,
            t.contract_price, t.wac, t.chargeback_amount, t.invoice, t.invoice_date, t.lot
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::text[], $9::jsonb[], $10::text[],
                   $11::text[], $12::text[], $13::text[], $14::text[], $15::numeric[], $16::text[], $17::numeric[], $18::numeric[],
                   $19::numeric[], $20::text[], $21::date[], $22::text[])
            AS t(id, key, distributor_id, claim_number, claim_purpose, claim_date, credit_memo, contract, customer, customer_stream,
                 customer_source_id, ndc11, upc, transfer_type, quantity, unit, contract_price, wac, chargeback_amount, invoice,
                 invoice_date, lot)
       JOIN source_record s ON s.id = t.id`,
    [
      facts.map((f) => f.id),
      facts.map((f) => f.key),
      col((f) => distributorKey(f.distributor)),
      col((f) => f.claim.number),
      col((f) => f.claim.purpose ?? null),
      col((f) => f.claim.date ?? null),
      col((f) => f.claim.creditMemo ?? null),
      col((f) => f.contract ?? null),
      col((f) => JSON.stringify(f.customer)),
      col((f) => (f.customer.sourceId ? (f.customer.sourceStream ?? null) : null)),
      col((f) => (f.customer.sourceStream ? (f.customer.sourceId ?? null) : null)),
      col((f) => ndc11(f.product.ndc11)),
      col((f) => f.product.upc ?? null),
      col((f) => f.transferType ?? null),
      col((f) => f.quantity),
      col((f) => f.unit ?? null),
      col((f) => f.contractPrice ?? null),
      col((f) => f.wac ?? null),
      col((f) => f.chargebackAmount ?? null),
      col((f) => f.invoice ?? null),
      col((f) => f.invoiceDate ?? null),
      col((f) => f.lot ?? null),
    ],
  );
}

import type { Queryable, Database } from '../store/database.js';
import { assignDeciles } from './deciles.js';

export type SegmentOptions = {
  /** One product (rx_fact.product); default every product with resolved facts. */
  product?: string;
  /** A market: a named set of competing products segmented together (scope `market`). */
  market?: { name: string; products: string[] };
  /** ISO dates: only facts whose period ends within [periodFrom, periodTo]. */
  periodFrom?: string;
  periodTo?: string;
  /** Only the facts of this feed (connector id). Feeds that cover the same prescriptions add up otherwise. */
  connector?: string;
};

export type SegmentReport = { scope: 'product' | 'market'; products: Array<{ product: string; physicians: number; trx: number; keyAccounts: number; pdrpOptedOut: number }> };

export type SegmentRow = {
  masterId: string;
  scope: 'product' | 'market';
  product: string;
  decile: number;
  trx: number;
  share: number;
  keyAccount: boolean;
  pdrpOptedOut: boolean;
  salesforceId: string | null;
  displayName: string | null;
};

/**
 * Recomputes physician segments from the Rx facts credited to master physicians (retired masters follow their
 * `replaced_by` to the survivor) and stores them in `physician_segment`, replacing the earlier segments of the same
 * scope and products in one transaction. Volume is TRx (`measures.trx`; the CMS mapping writes claims there).
 * PDRP opt-outs keep their segment and are flagged, so exports to representatives can leave them out.
 */
export async function computeSegments(db: Database, options: SegmentOptions = {}): Promise<SegmentReport> {
  const scope = options.market ? 'market' : 'product';
  const products = options.market ? options.market.products : options.product !== undefined ? [options.product] : null;
  const { rows } = await db.query<{ product: string; master_id: string; trx: string }>(
    `WITH RECURSIVE credited AS (
       SELECT DISTINCT f.master_id FROM rx_fact f WHERE f.master_id IS NOT NULL
     ), chain AS (
       SELECT c.master_id AS start, m.id AS current, m.replaced_by, 0 AS depth
         FROM credited c JOIN master_entity m ON m.id = c.master_id
       UNION ALL
       SELECT ch.start, m.id, m.replaced_by, ch.depth + 1
         FROM chain ch JOIN master_entity m ON m.id = ch.replaced_by
        WHERE ch.depth < 50
     ), survivor AS (
       SELECT start, current FROM chain WHERE replaced_by IS NULL
     )
     SELECT CASE WHEN $4::text IS NULL THEN f.product ELSE $4::text END AS product, s.current AS master_id,
            sum((f.measures->>'trx')::numeric)::text AS trx
       FROM rx_fact f
       JOIN survivor s ON s.start = f.master_id
       JOIN source_record r ON r.id = f.source_record_id AND NOT r.deleted
      WHERE f.measures->>'trx' IS NOT NULL
        AND ($1::text[] IS NULL OR f.product = ANY($1::text[]))
        AND ($2::date IS NULL OR f.period_end >= $2::date)
        AND ($3::date IS NULL OR f.period_end <= $3::date)
        AND ($5::text IS NULL OR r.connector = $5::text)
      GROUP BY 1, 2`,
    [products, options.periodFrom ?? null, options.periodTo ?? null, options.market?.name ?? null, options.connector ?? null],
  );
  const pdrp = await pdrpOptedOut(db);
  const byProduct = new Map<string, Array<{ masterId: string; trx: number }>>();
  for (const r of rows) {
    const list = byProduct.get(r.product) ?? [];
    list.push({ masterId: r.master_id, trx: Number(r.trx) });
    byProduct.set(r.product, list);
  }
  const report: SegmentReport = { scope, products: [] };
  const insert = { master: [] as string[], product: [] as string[], decile: [] as number[], trx: [] as number[], share: [] as number[], key: [] as boolean[], pdrp: [] as boolean[] };
  for (const [product, volumes] of [...byProduct.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const assigned = assignDeciles(volumes);
    let keyAccounts = 0;
    let optedOut = 0;
    for (const a of assigned) {
      const flagged = pdrp.has(a.masterId);
      insert.master.push(a.masterId);
      insert.product.push(product);
      insert.decile.push(a.decile);
      insert.trx.push(a.trx);
      insert.share.push(a.share);
      insert.key.push(a.keyAccount);
      insert.pdrp.push(flagged);
      if (a.keyAccount) keyAccounts += 1;
      if (flagged) optedOut += 1;
    }
    report.products.push({ product, physicians: assigned.length, trx: volumes.reduce((s, v) => s + v.trx, 0), keyAccounts, pdrpOptedOut: optedOut });
  }
  const stored = options.market ? [options.market.name] : products;
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM physician_segment WHERE scope = $1 AND ($2::text[] IS NULL OR product = ANY($2::text[]))', [scope, stored]);
    if (insert.master.length === 0) return;
    await tx.query(
      `INSERT INTO physician_segment (master_id, scope, product, decile, trx, share, key_account, pdrp_opted_out, period_from, period_to, computed_at)
       SELECT t.master_id, $8, t.product, t.decile, t.trx, t.share, t.key_account, t.pdrp, $9::date, $10::date, now()
         FROM unnest($1::text[], $2::text[], $3::int[], $4::numeric[], $5::numeric[], $6::boolean[], $7::boolean[])
              AS t(master_id, product, decile, trx, share, key_account, pdrp)`,
      [insert.master, insert.product, insert.decile, insert.trx, insert.share, insert.key, insert.pdrp, scope, options.periodFrom ?? null, options.periodTo ?? null],
    );
  });
  return report;
}

/** Masters whose golden record holds a PDRP opt-out (survivorship keeps the most restrictive consent). */
async function pdrpOptedOut(db: Queryable): Promise<Set<string>> {
  const { rows } = await db.query<{ master_id: string }>(
    `SELECT DISTINCT g.master_id
       FROM golden_record g
       CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(g.attributes->'consents'->'value') = 'array' THEN g.attributes->'consents'->'value' ELSE '[]'::jsonb END) c
      WHERE g.entity_type = 'hcp' AND c->>'channel' = 'pdrp' AND c->>'status' = 'opted_out'`,
  );
  return new Set(rows.map((r) => r.master_id));
}

export async function listSegments(db: Queryable, filter: { product?: string; scope?: 'product' | 'market'; excludePdrp?: boolean; limit?: number } = {}): Promise<SegmentRow[]> {
  const { rows } = await db.query<{ master_id: string; scope: 'product' | 'market'; product: string; decile: number; trx: string; share: string; key_account: boolean; pdrp_opted_out: boolean; salesforce_id: string | null; display_name: string | null }>(
    `SELECT p.master_id, p.scope, p.product, p.decile, p.trx::text, p.share::text, p.key_account, p.pdrp_opted_out,
            (SELECT min(i.value) FROM master_identifier i WHERE i.master_id = p.master_id AND i.type = 'salesforce_id') AS salesforce_id,
            g.display_name
       FROM physician_segment p
       LEFT JOIN golden_record g ON g.master_id = p.master_id
      WHERE ($1::text IS NULL OR p.product = $1) AND ($2::text IS NULL OR p.scope = $2) AND (NOT $3 OR NOT p.pdrp_opted_out)
      ORDER BY p.scope, p.product, p.trx DESC, p.master_id
      LIMIT $4`,
    [filter.product ?? null, filter.scope ?? null, filter.excludePdrp === true, filter.limit ?? null],
  );
  return rows.map((r) => ({
    masterId: r.master_id,
    scope: r.scope,
    product: r.product,
    decile: r.decile,
    trx: Number(r.trx),
    share: Number(r.share),
    keyAccount: r.key_account,
    pdrpOptedOut: r.pdrp_opted_out,
    salesforceId: r.salesforce_id,
    displayName: r.display_name,
  }));
}

const csvCell = (v: unknown): string => {
  const text = v === null || v === undefined ? '' : String(v);
  // Quote what needs it, and neutralise spreadsheet formulas (a product named "=cmd").
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The CRM export: one line per physician and product. PDRP opt-outs are left out unless `includePdrp`. */
export function formatSegmentsCsv(rows: SegmentRow[], options: { includePdrp?: boolean } = {}): string {
  const header = ['master_id', 'salesforce_id', 'product', 'decile', 'key_account', ...(options.includePdrp ? ['pdrp_opted_out'] : [])];
  const lines = [header.join(',')];
  for (const r of rows) {
    if (r.pdrpOptedOut && !options.includePdrp) continue;
    lines.push([r.masterId, r.salesforceId, r.product, r.decile, r.keyAccount, ...(options.includePdrp ? [r.pdrpOptedOut] : [])].map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

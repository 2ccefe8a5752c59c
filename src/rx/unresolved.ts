import type { Queryable } from '../store/database.js';

export type UnresolvedPrescriber = {
  connector: string;
  prescriberKey: string;
  npi: string | null;
  me: string | null;
  vendorId: string | null;
  dea: string | null;
  name: string | null;
  facts: number;
  products: number;
  trx: number;
  nrx: number;
  firstPeriod: string | null;
  lastPeriod: string | null;
};

/**
 * The prescriber resolution queue: prescribers of Rx facts that no master physician claims yet, highest TRx
 * first (view `rx_unresolved_prescriber`, migration 008). They never create a physician: they wait here until a
 * source that may create physicians (CRM, NPPES) brings one their keys match, or a steward adds one.
 */
export async function listUnresolvedPrescribers(db: Queryable, filter: { connector?: string; limit?: number } = {}): Promise<{ total: number; prescribers: UnresolvedPrescriber[] }> {
  const count = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM rx_unresolved_prescriber WHERE ($1::text IS NULL OR connector = $1)', [filter.connector ?? null]);
  const { rows } = await db.query<{
    connector: string;
    prescriber_key: string;
    npi: string | null;
    me: string | null;
    vendor_id: string | null;
    dea: string | null;
    name: string | null;
    facts: string;
    products: string;
    trx: string;
    nrx: string;
    first_period: string | null;
    last_period: string | null;
  }>(
    `SELECT connector, prescriber_key, npi, me, vendor_id, dea, name, facts::text, products::text, trx::text, nrx::text,
            to_char(first_period, 'YYYY-MM-DD') AS first_period, to_char(last_period, 'YYYY-MM-DD') AS last_period
       FROM rx_unresolved_prescriber
      WHERE ($1::text IS NULL OR connector = $1)
      ORDER BY rx_unresolved_prescriber.trx DESC, rx_unresolved_prescriber.facts DESC, connector, prescriber_key
      LIMIT $2`,
    [filter.connector ?? null, filter.limit ?? 100],
  );
  return {
    total: Number(count.rows[0]?.n ?? 0),
    prescribers: rows.map((r) => ({
      connector: r.connector,
      prescriberKey: r.prescriber_key,
      npi: r.npi,
      me: r.me,
      vendorId: r.vendor_id,
      dea: r.dea,
      name: r.name,
      facts: Number(r.facts),
      products: Number(r.products),
      trx: Number(r.trx),
      nrx: Number(r.nrx),
      firstPeriod: r.first_period,
      lastPeriod: r.last_period,
    })),
  };
}

import type { Queryable } from '../store/database.js';

export type RxFactForReps = {
  sourceRecordId: number;
  draftKey: string;
  /** The surviving physician the fact is credited to; null when the prescriber resolves to nobody yet. */
  masterId: string | null;
  product: string;
  periodEnd: string;
  grain: string;
  measures: Record<string, number | null>;
  suppressed: string[];
  resolved: boolean;
  pdrpOptedOut: boolean;
};

export type RxForRepsFilter = {
  product?: string;
  /** ISO dates, inclusive, on the period's end. */
  from?: string;
  to?: string;
  /** Keep PDRP opt-outs, flagged (an internal analysis, never a file for representatives). Default false. */
  includeOptedOut?: boolean;
  /** Keep facts whose prescriber resolves to no physician (nobody can tell whether they opted out). Default false. */
  includeUnresolved?: boolean;
  limit?: number;
};

/**
 * Rx facts as an export to sales representatives may carry them (AMA PDRP: an opted-out physician's prescribing
 * data must not reach representatives). Reads the view `rx_fact_for_reps` (migration 010), whose flag is derived
 * from the golden record at query time: an opt-out arriving from any source, or through a merge, holds at once,
 * with nothing to recompute. Opt-outs and unresolved prescribers are left out unless asked for.
 */
export async function listRxFactsForReps(db: Queryable, filter: RxForRepsFilter = {}): Promise<RxFactForReps[]> {
  const { rows } = await db.query<{
    source_record_id: number;
    draft_key: string;
    master_id: string | null;
    product: string;
    period_end: string;
    grain: string;
    measures: Record<string, number | null>;
    suppressed: string[];
    resolved: boolean;
    pdrp_opted_out: boolean;
  }>(
    `SELECT source_record_id, draft_key, master_id, product, to_char(period_end, 'YYYY-MM-DD') AS period_end, grain, measures, suppressed, resolved, pdrp_opted_out
       FROM rx_fact_for_reps
      WHERE ($1::text IS NULL OR product = $1)
        AND ($2::date IS NULL OR period_end >= $2::date)
        AND ($3::date IS NULL OR period_end <= $3::date)
        AND ($4 OR NOT pdrp_opted_out)
        AND ($5 OR resolved)
      ORDER BY master_id NULLS LAST, product, period_end, source_record_id, draft_key
      LIMIT $6`,
    [filter.product ?? null, filter.from ?? null, filter.to ?? null, filter.includeOptedOut === true, filter.includeUnresolved === true, filter.limit ?? null],
  );
  return rows.map((r) => ({
    sourceRecordId: r.source_record_id,
    draftKey: r.draft_key,
    masterId: r.master_id,
    product: r.product,
    periodEnd: r.period_end,
    grain: r.grain,
    measures: r.measures,
    suppressed: r.suppressed,
    resolved: r.resolved,
    pdrpOptedOut: r.pdrp_opted_out,
  }));
}

import { z } from 'zod';

const PeriodSchema = z.object({
  /** ISO dates; a weekly NPA period ends on a Friday. */
  start: z.string().optional(),
  end: z.string(),
  grain: z.enum(['week', 'month', 'quarter', 'year']),
});

/**
 * Prescriber x product x period measures. A fact never creates a physician: it names the prescriber by
 * the keys the feed carries and waits for resolution when none matches a master record.
 */
export const RxFactSchema = z.object({
  prescriber: z.object({
    npi: z.string().optional(),
    me: z.string().optional(),
    dea: z.string().optional(),
    vendorId: z.string().optional(),
  }),
  product: z.object({ name: z.string(), ndc11: z.string().optional(), market: z.string().optional() }),
  period: PeriodSchema,
  measures: z.object({
    trx: z.number().nullable().optional(),
    nrx: z.number().nullable().optional(),
    nbrx: z.number().nullable().optional(),
    units: z.number().nullable().optional(),
    dollars: z.number().nullable().optional(),
    claims: z.number().nullable().optional(),
    fills30Day: z.number().nullable().optional(),
    beneficiaries: z.number().nullable().optional(),
  }),
  /** Measures a publisher suppressed (small cells): kept as suppressed, never as zero. */
  suppressed: z.array(z.string()).default([]),
});
export type RxFact = z.infer<typeof RxFactSchema>;

/** A distributor's sales-out line: ship-to customer x product x period. Quantities may be negative (returns). */
export const SalesFactSchema = z.object({
  shipTo: z.object({ identifiers: z.array(z.object({ type: z.string(), value: z.string() })), name: z.string().optional() }),
  distributor: z.object({ identifiers: z.array(z.object({ type: z.string(), value: z.string() })), name: z.string().optional() }),
  product: z.object({ ndc11: z.string().optional(), upc: z.string().optional(), description: z.string().optional() }),
  period: PeriodSchema,
  transferType: z.string().optional(),
  quantity: z.number(),
  unit: z.string().optional(),
  unitPrice: z.number().optional(),
  amount: z.number().optional(),
  contract: z.string().optional(),
  invoice: z.string().optional(),
  lot: z.string().optional(),
  expiry: z.string().optional(),
  report: z.object({ number: z.string(), purpose: z.enum(['original', 'replace']) }).optional(),
});
export type SalesFact = z.infer<typeof SalesFactSchema>;

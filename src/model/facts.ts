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
    /** Days of therapy dispensed (CMS Tot_Day_Suply; vendor feeds' days-supply column). */
    daysSupply: z.number().nullable().optional(),
  }),
  /** Measures a publisher suppressed (small cells): kept as suppressed, never as zero. */
  suppressed: z.array(z.string()).default([]),
});
export type RxFact = z.infer<typeof RxFactSchema>;

const FactIdentifierSchema = z.object({ type: z.string(), value: z.string() });

/** A trading partner named by a fact (a distributor, a warehouse): its identifiers as sent, and its name. */
const FactPartySchema = z.object({ identifiers: z.array(FactIdentifierSchema), name: z.string().optional() });

/**
 * The indirect customer of a fact (an 867 ship-to, an 844 contract customer). Besides its identifiers, it may name
 * its own source record (`sourceStream`, `sourceId` in the same connector: the distributor-edi `customers` stream),
 * through which the fact follows the organization master that record resolves to.
 */
const FactCustomerSchema = FactPartySchema.extend({
  sourceStream: z.string().optional(),
  sourceId: z.string().optional(),
});

/** A distributor's sales-out line: ship-to customer x product x period. Quantities may be negative (returns). */
export const SalesFactSchema = z.object({
  shipTo: FactCustomerSchema,
  distributor: FactPartySchema,
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

/**
 * A distributor's product activity (852) for one product at one location over one reporting period: what it had
 * on hand, sold, received, had on order, and was out of stock of. Quantities a report did not give stay absent.
 */
export const InventoryFactSchema = z.object({
  distributor: FactPartySchema,
  /** The reporting location: an SDQ location (qualifier `XX` = NPI), or the warehouse the heading names. */
  location: z.object({ qualifier: z.string().optional(), id: z.string().optional(), name: z.string().optional() }).optional(),
  product: z.object({ ndc11: z.string().optional(), upc: z.string().optional(), gtin: z.string().optional(), description: z.string().optional() }),
  period: PeriodSchema,
  /** XQ01 as sent. */
  reportingCode: z.string().optional(),
  quantities: z.object({
    onHand: z.number().optional(),
    sold: z.number().optional(),
    received: z.number().optional(),
    onOrder: z.number().optional(),
    outOfStock: z.number().optional(),
  }),
  unit: z.string().optional(),
});
export type InventoryFact = z.infer<typeof InventoryFactSchema>;

/**
 * One line of a distributor's chargeback claim (844): the distributor sold a product to a contract customer at the
 * contract price and claims the difference to the wholesale price back from the manufacturer.
 */
export const ChargebackFactSchema = z.object({
  distributor: FactPartySchema,
  claim: z.object({
    /** BAA05: the debit memo / claim number. */
    number: z.string(),
    purpose: z.enum(['original', 'replace', 'other']).optional(),
    date: z.string().optional(),
    /** The manufacturer's credit memo answering the claim, when the claim carries it. */
    creditMemo: z.string().optional(),
  }),
  contract: z.string().optional(),
  customer: FactCustomerSchema,
  product: z.object({ ndc11: z.string().optional(), upc: z.string().optional(), description: z.string().optional() }),
  transferType: z.string().optional(),
  /** Signed: a return is negative, and so is its chargeback amount. */
  quantity: z.number(),
  unit: z.string().optional(),
  contractPrice: z.number().optional(),
  /** Wholesale acquisition cost per unit, when the claim carries it. */
  wac: z.number().optional(),
  chargebackAmount: z.number().optional(),
  invoice: z.string().optional(),
  invoiceDate: z.string().optional(),
  lot: z.string().optional(),
});
export type ChargebackFact = z.infer<typeof ChargebackFactSchema>;

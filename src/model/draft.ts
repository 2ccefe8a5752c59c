import { z } from 'zod';
import { ChargebackFactSchema, InventoryFactSchema, RxFactSchema, SalesFactSchema } from './facts.js';
import { OrganizationSchema } from './organization.js';
import { PhysicianSchema } from './physician.js';

/**
 * A field that could not be mapped. The field is nulled and the record goes on: a bad NPI must not cost
 * the physician's name and address.
 */
export const FieldIssueSchema = z.object({
  field: z.string(),
  code: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

/**
 * What a mapping makes of one source record: one or more canonical entities. `key` tells drafts of the
 * same record apart (a physician and the organization of the same CRM row, several Rx facts of one line).
 */
export const DraftSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hcp'), key: z.string(), data: PhysicianSchema }),
  z.object({ kind: z.literal('hco'), key: z.string(), data: OrganizationSchema }),
  z.object({ kind: z.literal('rx_fact'), key: z.string(), data: RxFactSchema }),
  z.object({ kind: z.literal('sales_fact'), key: z.string(), data: SalesFactSchema }),
  z.object({ kind: z.literal('inventory_fact'), key: z.string(), data: InventoryFactSchema }),
  z.object({ kind: z.literal('chargeback_fact'), key: z.string(), data: ChargebackFactSchema }),
]);
export type Draft = z.infer<typeof DraftSchema>;
export type DraftKind = Draft['kind'];
export type MasterEntityType = 'hcp' | 'hco';

export type NormalizedRecord = { drafts: Draft[]; issues: FieldIssue[] };

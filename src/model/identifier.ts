import { z } from 'zod';

/**
 * Identifier types the master knows. `state_license` values are keyed on (issuer = state, value);
 * `salesforce_id`, `veeva_network_id`, `erp_customer`, `distributor_account` and `vendor_prescriber_id`
 * are system keys whose issuer names the system (org id, ERP client, distributor, data vendor).
 */
export const IDENTIFIER_TYPES = [
  'npi',
  'dea',
  'hin',
  'gln',
  'me',
  'state_license',
  '340b',
  'salesforce_id',
  'veeva_network_id',
  'erp_customer',
  'distributor_account',
  'vendor_prescriber_id',
] as const;

export const IdentifierTypeSchema = z.enum(IDENTIFIER_TYPES);
export type IdentifierType = z.infer<typeof IdentifierTypeSchema>;

export const IdentifierStatusSchema = z.enum(['active', 'inactive', 'expired', 'invalid', 'unverified']);

export const IdentifierSchema = z.object({
  type: IdentifierTypeSchema,
  value: z.string().min(1),
  /** State for a license, system or vendor for a system key. */
  issuer: z.string().optional(),
  status: IdentifierStatusSchema.default('unverified'),
  /** Passed its format and check-digit validation. */
  valid: z.boolean().default(true),
  validFrom: z.string().optional(),
  validTo: z.string().optional(),
  /** Kept on the survivor after a merge, marked old (never deleted). */
  old: z.boolean().optional(),
});
export type Identifier = z.infer<typeof IdentifierSchema>;

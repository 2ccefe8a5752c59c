import { z } from 'zod';
import { IdentifierSchema } from './identifier.js';

/**
 * A physician's tie to an organization. The organization is named by an identifier the source knows
 * (its CRM id, HIN, NPI ...) and resolved to a master organization when one matches.
 */
export const AffiliationSchema = z.object({
  organization: z.object({
    identifier: IdentifierSchema.pick({ type: true, value: true, issuer: true }).optional(),
    name: z.string().optional(),
  }),
  role: z.string().optional(),
  primary: z.boolean().default(false),
  validFrom: z.string().optional(),
  validTo: z.string().optional(),
});
export type Affiliation = z.infer<typeof AffiliationSchema>;

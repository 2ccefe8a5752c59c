import { z } from 'zod';
import { AddressSchema } from './address.js';
import { ConsentSchema } from './consent.js';
import { ContactPointSchema } from './contact-point.js';
import { IdentifierSchema } from './identifier.js';

export const ORGANIZATION_TYPES = [
  'hospital',
  'clinic',
  'group_practice',
  'pharmacy',
  'distributor',
  'gpo',
  'idn',
  'long_term_care',
  'payer',
  'other',
] as const;

/** A healthcare organization (HCO). `parent` links a location to its system or IDN. */
export const OrganizationSchema = z.object({
  name: z.string().optional(),
  otherNames: z.array(z.string()).default([]),
  type: z.enum(ORGANIZATION_TYPES).optional(),
  status: z.enum(['active', 'inactive', 'closed', 'unknown']).default('active'),
  parent: z.object({ type: z.string(), value: z.string() }).optional(),
  identifiers: z.array(IdentifierSchema).default([]),
  addresses: z.array(AddressSchema).default([]),
  contactPoints: z.array(ContactPointSchema).default([]),
  consents: z.array(ConsentSchema).default([]),
  /** ERP flags such as credit block, kept as plain attributes. */
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type Organization = z.infer<typeof OrganizationSchema>;

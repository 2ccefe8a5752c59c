import { z } from 'zod';
import { AddressSchema } from './address.js';
import { AffiliationSchema } from './affiliation.js';
import { ConsentSchema } from './consent.js';
import { ContactPointSchema } from './contact-point.js';
import { IdentifierSchema } from './identifier.js';

/** A healthcare professional (HCP). Every part is optional: sources know different things. */
export const PhysicianSchema = z.object({
  prefix: z.string().optional(),
  firstName: z.string().optional(),
  middleName: z.string().optional(),
  lastName: z.string().optional(),
  suffix: z.string().optional(),
  preferredName: z.string().optional(),
  credentials: z.array(z.string()).default([]),
  gender: z.enum(['M', 'F', 'X', 'U']).optional(),
  birthYear: z.number().int().min(1900).max(2100).optional(),
  specialties: z.array(z.string()).default([]),
  status: z.enum(['active', 'inactive', 'retired', 'deceased', 'unknown']).default('active'),
  identifiers: z.array(IdentifierSchema).default([]),
  addresses: z.array(AddressSchema).default([]),
  contactPoints: z.array(ContactPointSchema).default([]),
  affiliations: z.array(AffiliationSchema).default([]),
  consents: z.array(ConsentSchema).default([]),
});
export type Physician = z.infer<typeof PhysicianSchema>;

import { z } from 'zod';

/** The address as the source wrote it. */
export const RawAddressSchema = z.object({
  line1: z.string().optional(),
  line2: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  zip: z.string().optional(),
  country: z.string().optional(),
});
export type RawAddress = z.infer<typeof RawAddressSchema>;

/**
 * An address carries both forms: `raw` for lineage and display, the normalized USPS form for matching
 * (uppercase, suffixes and directionals abbreviated, unit designators on line 2, ZIP split into 5 + 4).
 */
export const AddressSchema = z.object({
  type: z.enum(['practice', 'mailing', 'billing', 'shipping', 'other']).default('practice'),
  primary: z.boolean().default(false),
  line1: z.string().optional(),
  line2: z.string().optional(),
  city: z.string().optional(),
  state: z.string().length(2).optional(),
  zip5: z.string().regex(/^\d{5}$/).optional(),
  zip4: z.string().regex(/^\d{4}$/).optional(),
  country: z.string().default('US'),
  phone: z.string().optional(),
  fax: z.string().optional(),
  raw: RawAddressSchema.optional(),
});
export type Address = z.infer<typeof AddressSchema>;

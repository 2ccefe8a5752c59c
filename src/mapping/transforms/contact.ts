import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { normalizeEmail, normalizePhone } from '../../model/identifiers/index.js';
import { defineTransform } from './registry.js';

defineTransform({
  name: 'phone',
  description: 'normalizes a phone number to E.164; `{ phone: { defaultCountry: CA } }` for non-US sources',
  args: z.strictObject({ defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'an ISO country code such as US').default('US') }).optional(),
  create: (args) => {
    const country = (args?.defaultCountry ?? 'US') as CountryCode;
    return (value) => normalizePhone(value, country);
  },
});

defineTransform({ name: 'email', description: 'validates and lowercases an email address', create: () => (value) => normalizeEmail(value) });

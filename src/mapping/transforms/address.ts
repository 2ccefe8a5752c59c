import { z } from 'zod';
import { normalizeUsState, normalizeZip } from '../../model/identifiers/index.js';
import { normalizeUsAddress } from '../../model/normalize/index.js';
import { valid } from '../../model/identifiers/result.js';
import { asText, defineTransform, type TransformWarning } from './registry.js';

defineTransform({
  name: 'zip',
  description: 'normalizes a ZIP code: `zip` gives 12345 or 12345-6789, `{ zip: zip5 }` or `{ zip: zip4 }` one part',
  args: z.enum(['full', 'zip5', 'zip4']).optional(),
  create: (part = 'full') => (value) => {
    const result = normalizeZip(value);
    if (!result.ok || part === 'full') return result;
    const [zip5, zip4] = result.value.split('-');
    return { ...result, value: part === 'zip5' ? zip5 : zip4 };
  },
});

defineTransform({
  name: 'state',
  description: 'a USPS state code from a code or a state name ("New York" -> NY)',
  create: () => (value) => normalizeUsState(value),
});

type AddressLike = Record<string, unknown> & { raw?: Record<string, unknown> };

/**
 * Runs on a whole address item (`addresses: [{ raw: {...}, transforms: [us_address] }]`): reads the source form
 * from `raw` (or the item's own line1..zip when there is no raw), and fills the normalized USPS form beside it.
 */
defineTransform({
  name: 'us_address',
  description: 'normalizes a whole address item (USPS abbreviations, ZIP split into zip5 and zip4); use it in an address item\'s `transforms`',
  create: () => (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const item = value as AddressLike;
    const source = item.raw ?? item;
    const text = (key: string): string | undefined => asText(source[key]) || undefined;
    const zip = text('zip') ?? ([text('zip5'), text('zip4')].filter(Boolean).join('-') || undefined);
    const normalized = normalizeUsAddress({
      line1: text('line1'),
      line2: text('line2'),
      city: text('city'),
      state: text('state'),
      zip,
    });
    const { issues, ...fields } = normalized as typeof normalized & { issues?: unknown[] };
    const out: Record<string, unknown> = { ...item };
    for (const [key, fieldValue] of Object.entries(fields)) {
      if (fieldValue === undefined || fieldValue === null || fieldValue === '') delete out[key];
      else out[key] = fieldValue;
    }
    delete out.zip;
    const warnings: TransformWarning[] = (issues ?? []).map((issue) =>
      typeof issue === 'string'
        ? issue
        : { code: String((issue as { code?: unknown }).code ?? 'address'), message: String((issue as { message?: unknown }).message ?? issue) },
    );
    return valid(out, warnings as string[]);
  },
});

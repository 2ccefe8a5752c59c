import { z } from 'zod';
import { asText, defineTransform, isEmptyValue } from './registry.js';

/** Applies `fn` to text, to every element of a list, and leaves other values alone. */
function mapText(value: unknown, fn: (text: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => mapText(item, fn));
  const text = typeof value === 'string' ? value : asText(value);
  return text === undefined ? value : fn(text);
}

/** Capitalizes each word, and the letter after an apostrophe, hyphen or `Mc` (O'Brien, Smith-Jones, McDonald). */
export function titleCase(text: string): string {
  return text
    .toLowerCase()
    .replace(/(^|[\s'\-(/])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toUpperCase())
    .replace(/\bMc(\p{L})/gu, (_m, letter: string) => `Mc${letter.toUpperCase()}`);
}

defineTransform({
  name: 'trim',
  description: 'removes leading and trailing spaces',
  create: () => (value) => mapText(value, (text) => text.trim()),
});

defineTransform({
  name: 'upper',
  description: 'uppercases text',
  create: () => (value) => mapText(value, (text) => text.toUpperCase()),
});

defineTransform({
  name: 'lower',
  description: 'lowercases text',
  create: () => (value) => mapText(value, (text) => text.toLowerCase()),
});

defineTransform({
  name: 'title',
  description: "title-cases text (O'Brien, Smith-Jones, McDonald)",
  create: () => (value) => mapText(value, titleCase),
});

defineTransform({
  name: 'collapse_spaces',
  description: 'turns runs of whitespace into one space and trims',
  create: () => (value) => mapText(value, (text) => text.replace(/\s+/g, ' ').trim()),
});

defineTransform({
  name: 'default',
  description: 'the given value when the field is empty: `{ default: "US" }`',
  args: z.union([z.string(), z.number(), z.boolean()]),
  runOnEmpty: true,
  create: (fallback) => (value) => (isEmptyValue(value) ? fallback : value),
});

const ReplaceArgs = z
  .strictObject({
    pattern: z.string().min(1),
    with: z.string().default(''),
    flags: z.string().regex(/^[gimsuy]*$/, 'flags are regular-expression flags such as "g" or "gi"').default('g'),
  })
  .superRefine((args, ctx) => {
    try {
      new RegExp(args.pattern, args.flags);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `not a valid regular expression: ${(error as Error).message}` });
    }
  })
  .transform((args) => ({ regex: new RegExp(args.pattern, args.flags), with: args.with }));

defineTransform({
  name: 'replace',
  description: 'regular-expression replace: `{ replace: { pattern: "[^0-9]", with: "" } }`',
  args: ReplaceArgs,
  create: (args) => (value) => mapText(value, (text) => text.replace(args.regex, args.with)),
});

const SplitArgs = z
  .union([z.string().min(1), z.strictObject({ separator: z.string().min(1).default(','), index: z.number().int().optional() })])
  .optional()
  .transform((args) => (typeof args === 'string' ? { separator: args, index: undefined } : { separator: args?.separator ?? ',', index: args?.index }));

defineTransform({
  name: 'split',
  description: 'splits text into a trimmed list (`{ split: ";" }`), or picks one part (`{ split: { separator: " ", index: 0 } }`)',
  args: SplitArgs,
  create: (args) => (value) => {
    const text = asText(value);
    if (text === undefined) return value;
    const parts = text
      .split(args.separator)
      .map((part) => part.trim())
      .filter((part) => part !== '');
    if (args.index === undefined) return parts;
    return args.index >= 0 ? parts[args.index] : parts[parts.length + args.index];
  },
});

const FirstNonEmptyArgs = z.union([
  z.array(z.string().min(1)).min(1),
  z.strictObject({ fields: z.array(z.string().min(1)).min(1) }).transform((args) => args.fields),
]);

defineTransform({
  name: 'first_non_empty',
  description: 'keeps the value, or else the first non-empty of other source fields: `{ first_non_empty: [Nickname, FirstName] }`',
  args: FirstNonEmptyArgs,
  runOnEmpty: true,
  fieldArgs: (fields) => fields,
  create: (fields) => (value, ctx) => {
    if (!isEmptyValue(value)) return value;
    for (const field of fields) {
      const candidate = ctx.row[field];
      if (!isEmptyValue(candidate)) return typeof candidate === 'string' ? candidate.trim() : candidate;
    }
    return undefined;
  },
});

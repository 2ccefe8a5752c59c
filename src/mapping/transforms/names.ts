import { z } from 'zod';
import { normalizeNamePart, parsePersonName, splitCredentials } from '../../model/normalize/index.js';
import { invalid } from '../../model/identifiers/result.js';
import { asText, defineTransform } from './registry.js';

const NAME_PARTS = ['prefix', 'first', 'middle', 'last', 'suffix', 'credentials'] as const;

defineTransform({
  name: 'person_name',
  description: 'parses a full name ("SMITH, JOHN A MD") and keeps one part: `{ person_name: first }`',
  args: z.union([z.enum(NAME_PARTS), z.strictObject({ part: z.enum(NAME_PARTS) }).transform((a) => a.part)]),
  create: (part) => (value) => {
    const text = asText(value);
    return text === undefined ? value : parsePersonName(text)[part];
  },
});

defineTransform({
  name: 'name_part',
  description: "normalizes one name part: periods dropped, spaces collapsed, title case (O'Neil, Mary-Ann)",
  create: () => (value) => {
    const text = asText(value);
    return text === undefined ? value : normalizeNamePart(text);
  },
});

defineTransform({
  name: 'credentials',
  description: 'splits credential text into codes: "M.D., Ph.D." -> [MD, PHD]',
  create: () => (value) => {
    const text = asText(value);
    return text === undefined ? value : splitCredentials(text);
  },
});

/**
 * Credentials and suffixes written after a name ("Smith MD", "John Smith Jr. MD"). A placeholder first name goes in
 * front so that the parser, which never peels a name down to one token, treats the field as the end of a full name.
 */
type TrailingCodes = { tokens: string[]; credentials: string[]; suffix?: string };
// strip_credentials and name_credentials usually read the same field of the same row: parse it once.
let lastText: string | undefined;
let lastCodes: TrailingCodes | undefined;

function trailingCodes(text: string): TrailingCodes {
  if (text === lastText && lastCodes) return lastCodes;
  lastText = text;
  lastCodes = parseTrailingCodes(text);
  return lastCodes;
}

function parseTrailingCodes(text: string): TrailingCodes {
  const parsed = parsePersonName(`A ${text}`);
  const trailing = new Set(parsed.credentials);
  if (parsed.suffix) trailing.add(parsed.suffix);
  const tokens = text.split(/[\s,]+/).filter((token) => token !== '');
  while (tokens.length > 1 && trailing.has((tokens[tokens.length - 1] ?? '').toUpperCase().replace(/\./g, ''))) tokens.pop();
  return { tokens, credentials: parsed.credentials, ...(parsed.suffix ? { suffix: parsed.suffix } : {}) };
}

defineTransform({
  name: 'strip_credentials',
  description: 'removes credentials and suffixes typed after a name: "Smith MD" -> "Smith"',
  create: () => (value) => {
    const text = asText(value);
    return text === undefined ? value : trailingCodes(text).tokens.join(' ');
  },
});

defineTransform({
  name: 'name_credentials',
  description: 'the credentials typed after a name: "Smith MD, PhD" -> [MD, PHD] (pair it with strip_credentials)',
  create: () => (value) => {
    const text = asText(value);
    return text === undefined ? value : trailingCodes(text).credentials;
  },
});

defineTransform({
  name: 'suffix',
  description: 'normalizes a generational suffix: "Jr." -> JR, "3rd" -> III',
  create: () => (value) => {
    const text = asText(value);
    if (text === undefined) return value;
    // Two placeholder names in front let the person-name parser's own suffix table read the text.
    const suffix = parsePersonName(`A B ${text}`).suffix;
    return suffix ?? invalid('suffix.unknown', `"${text}" is not a generational suffix (JR, SR, II, III, IV, V): leave it out or move it to credentials`);
  },
});

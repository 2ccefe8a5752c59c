import { readText } from './input.js';
import { invalid, valid, type ValidationResult } from './result.js';

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * Returns the 18-character id, the form to store and compare on. A 15-character id is case-sensitive and gets its
 * case-encoding suffix appended. An 18-character id must carry the suffix its first 15 characters imply (suffix
 * compared case-insensitively); if its first 15 were flattened to one case by a case-insensitive system, the case
 * is restored from the suffix, with a warning.
 */
export function normalizeSalesforceId(input: unknown): ValidationResult<string> {
  const text = readText(input, 'salesforce_id', 'Salesforce id');
  if (typeof text !== 'string') return text;
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(text)) {
    return invalid(
      'salesforce_id.format',
      `Salesforce id "${text}" is not 15 or 18 letters and digits: copy it again from Salesforce`,
    );
  }
  const body = text.slice(0, 15);
  if (text.length === 15) return valid(body + computeSalesforceIdSuffix(body));
  const suffix = text.slice(15).toUpperCase();
  if (computeSalesforceIdSuffix(body) === suffix) return valid(body + suffix);
  const restored = body === body.toLowerCase() || body === body.toUpperCase() ? restoreCase(body, suffix) : undefined;
  if (restored) {
    const id = restored + suffix;
    return valid(id, [`Salesforce id ${text} had lost its letter case, restored as ${id} from its suffix`]);
  }
  return invalid(
    'salesforce_id.checksum',
    `Salesforce id ${text} has a suffix that does not match its first 15 characters: the id was altered, copy it again from Salesforce`,
  );
}

/**
 * The 3-character suffix of the 18-character form: one character per 5-character chunk, bit i set when character i
 * of the chunk is an uppercase letter. Throws RangeError unless given 15 letters and digits.
 */
export function computeSalesforceIdSuffix(body15: string): string {
  if (!/^[a-zA-Z0-9]{15}$/.test(body15)) {
    throw new RangeError(`A Salesforce id body is 15 letters and digits, got "${body15}"`);
  }
  let suffix = '';
  for (let chunk = 0; chunk < 15; chunk += 5) {
    let bits = 0;
    for (let i = 0; i < 5; i++) if (/[A-Z]/.test(body15[chunk + i] ?? '')) bits |= 1 << i;
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/** Inverse of computeSalesforceIdSuffix; undefined when the suffix marks a digit as uppercase (it cannot be genuine). */
function restoreCase(body15: string, suffix: string): string | undefined {
  const chars = Array.from(body15.toLowerCase());
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = SUFFIX_ALPHABET.indexOf(suffix[chunk] ?? '');
    if (bits < 0) return undefined;
    for (let i = 0; i < 5; i++) {
      const at = chunk * 5 + i;
      const char = chars[at] ?? '';
      if (!(bits & (1 << i))) continue;
      if (!/[a-z]/.test(char)) return undefined;
      chars[at] = char.toUpperCase();
    }
  }
  return chars.join('');
}

import { assertDigits, isDigits, readText, stripSeparators, toDigits } from './input.js';
import { invalid, valid, type ValidationResult } from './result.js';

/** GS1 mod-10: weights 3 and 1 alternate from the rightmost data digit. Throws RangeError unless given 12 digits. */
export function computeGlnCheckDigit(first12: string): number {
  assertDigits(first12, 12, 'The GLN prefix');
  const sum = toDigits(first12)
    .reverse()
    .reduce((acc, digit, i) => acc + digit * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10;
}

/** GS1 Global Location Number: 13 digits with a GS1 check digit. */
export function normalizeGln(input: unknown): ValidationResult<string> {
  const text = readText(input, 'gln', 'GLN');
  if (typeof text !== 'string') return text;
  const gln = stripSeparators(text);
  if (!isDigits(gln, 13)) {
    return invalid(
      'gln.format',
      `GLN "${text}" is not 13 digits: leading zeros may have been lost in a spreadsheet, re-export it as text`,
    );
  }
  const expected = computeGlnCheckDigit(gln.slice(0, 12));
  if (Number(gln[12]) !== expected) {
    return invalid('gln.check_digit', `GLN ${gln} fails the check digit (expected ${expected}): verify it with GS1`);
  }
  return valid(gln);
}

import { assertDigits, isDigitCode, isUpperCode, readText, toDigits } from './input.js';
import { invalid, valid, type ValidationResult } from './result.js';

/** DEA check digit: (d1 + d3 + d5) + 2 * (d2 + d4 + d6), last digit. Throws RangeError unless given 6 digits. */
export function computeDeaCheckDigit(digits6: string): number {
  assertDigits(digits6, 6, 'The DEA digits');
  const [d1, d2, d3, d4, d5, d6] = toDigits(digits6) as [number, number, number, number, number, number];
  return (d1 + d3 + d5 + 2 * (d2 + d4 + d6)) % 10;
}

/**
 * Accepts `AB1234563` and the supervised-practitioner form `AB1234563-ABC12` (suffix kept, uppercased).
 * The second letter should be the registrant's last-name initial, or 9 for a business; a disagreement with
 * `opts.lastName` is only a warning because registrations outlive name changes.
 *
 * Whitespace anywhere is dropped and letters are uppercased (as `toUpperCase`, so the few non-ASCII letters whose
 * uppercase is ASCII count too); then the number must be a letter, a letter or 9, six digits, the check digit and
 * an optional `-` suffix of letters and digits. The check runs on character codes: this is called once per id in
 * files of hundreds of thousands of rows.
 */
export function normalizeDea(input: unknown, opts: { lastName?: string } = {}): ValidationResult<string> {
  const text = readText(input, 'dea', 'DEA number');
  if (typeof text !== 'string') return text;
  const dea = isCanonical(text) ? text : text.toUpperCase().replace(/\s+/g, '');
  const len = dea.length;
  if (!hasDeaShape(dea, len)) {
    return invalid(
      'dea.format',
      `DEA number "${text}" is not 2 letters and 7 digits (optionally followed by -suffix): correct it from the DEA certificate`,
    );
  }
  const expected = (digit(dea, 2) + digit(dea, 4) + digit(dea, 6) + 2 * (digit(dea, 3) + digit(dea, 5) + digit(dea, 7))) % 10;
  if (digit(dea, 8) !== expected) {
    return invalid(
      'dea.check_digit',
      `DEA number ${dea} fails the check digit (expected ${expected}): verify it with the DEA registration`,
    );
  }
  if (opts.lastName !== undefined) {
    const initial = lastNameInitial(opts.lastName);
    const nameLetter = dea.charAt(1);
    if (initial && initial !== nameLetter) {
      return valid(dea, [
        `DEA number ${dea} has name letter ${nameLetter} but the last name starts with ${initial}: confirm the registrant`,
      ]);
    }
  }
  return valid(dea);
}

/** True when uppercasing and dropping whitespace would leave `text` as it is: printable ASCII without a-z. */
function isCanonical(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || (c >= 0x61 && c <= 0x7a)) return false;
  }
  return true;
}

function digit(text: string, i: number): number {
  return text.charCodeAt(i) - 0x30;
}

/** `^[A-Z][A-Z9]\d{6}\d(?:-[A-Z0-9]+)?$` (ASCII classes, as the regular expression without the `u` flag). */
function hasDeaShape(dea: string, len: number): boolean {
  if (len < 9 || len === 10) return false;
  if (!isUpperCode(dea.charCodeAt(0))) return false;
  const second = dea.charCodeAt(1);
  if (!isUpperCode(second) && second !== 0x39) return false;
  for (let i = 2; i < 9; i++) if (!isDigitCode(dea.charCodeAt(i))) return false;
  if (len === 9) return true;
  if (dea.charCodeAt(9) !== 0x2d) return false;
  for (let i = 10; i < len; i++) {
    const c = dea.charCodeAt(i);
    if (!isUpperCode(c) && !isDigitCode(c)) return false;
  }
  return true;
}

function lastNameInitial(lastName: string | undefined): string | undefined {
  // Strip accents so that Álvarez is checked against A, and skip apostrophes so O'Neil gives O.
  const letters = lastName?.normalize('NFD').toUpperCase().replace(/[^A-Z]/g, '');
  return letters ? letters[0] : undefined;
}

import { assertDigits, readText, toDigits } from './input.js';
import { invalid, valid, type ValidationResult } from './result.js';

/** DEA check digit: (d1 + d3 + d5) + 2 * (d2 + d4 + d6), last digit. Throws RangeError unless given 6 digits. */
export function computeDeaCheckDigit(digits6: string): number {
  assertDigits(digits6, 6, 'The DEA digits');
  const [d1, d2, d3, d4, d5, d6] = toDigits(digits6) as [number, number, number, number, number, number];
  return (d1 + d3 + d5 + 2 * (d2 + d4 + d6)) % 10;
}

const DEA_PATTERN = /^([A-Z])([A-Z9])(\d{6})(\d)(?:-([A-Z0-9]+))?$/;

/**
 * Accepts `AB1234563` and the supervised-practitioner form `AB1234563-ABC12` (suffix kept, uppercased).
 * The second letter should be the registrant's last-name initial, or 9 for a business; a disagreement with
 * `opts.lastName` is only a warning because registrations outlive name changes.
 */
export function normalizeDea(input: unknown, opts: { lastName?: string } = {}): ValidationResult<string> {
  const text = readText(input, 'dea', 'DEA number');
  if (typeof text !== 'string') return text;
  const dea = text.toUpperCase().replace(/\s+/g, '');
  const match = DEA_PATTERN.exec(dea);
  if (!match) {
    return invalid(
      'dea.format',
      `DEA number "${text}" is not 2 letters and 7 digits (optionally followed by -suffix): correct it from the DEA certificate`,
    );
  }
  const [, , nameLetter = '', digits6 = '', check = ''] = match;
  const expected = computeDeaCheckDigit(digits6);
  if (Number(check) !== expected) {
    return invalid(
      'dea.check_digit',
      `DEA number ${dea} fails the check digit (expected ${expected}): verify it with the DEA registration`,
    );
  }
  const initial = lastNameInitial(opts.lastName);
  if (initial && initial !== nameLetter) {
    return valid(dea, [
      `DEA number ${dea} has name letter ${nameLetter} but the last name starts with ${initial}: confirm the registrant`,
    ]);
  }
  return valid(dea);
}

function lastNameInitial(lastName: string | undefined): string | undefined {
  // Strip accents so that Álvarez is checked against A, and skip apostrophes so O'Neil gives O.
  const letters = lastName?.normalize('NFD').toUpperCase().replace(/[^A-Z]/g, '');
  return letters ? letters[0] : undefined;
}

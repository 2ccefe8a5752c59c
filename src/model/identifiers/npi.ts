import { assertDigits, isDigits, readText, stripSeparators, toDigits } from './input.js';
import { invalid, valid, type ValidationResult } from './result.js';

/**
 * NPI check digit: Luhn over the card-issuer prefix 80840 followed by the first 9 digits. The prefix's own
 * contribution to the Luhn sum is always 24, so it is added as a constant instead of being prepended.
 * Throws RangeError unless given exactly 9 digits (it builds NPIs, it does not validate them).
 */
export function computeNpiCheckDigit(first9: string): number {
  assertDigits(first9, 9, 'The NPI prefix');
  const sum = toDigits(first9)
    .reverse()
    .reduce((acc, digit, i) => {
      if (i % 2 === 1) return acc + digit;
      const doubled = digit * 2;
      return acc + (doubled > 9 ? doubled - 9 : doubled);
    }, 24);
  return (10 - (sum % 10)) % 10;
}

/** Accepts `1234567893`, `123-456-7893`, `1234 567 893` or the number 1234567893; returns the 10 digits. */
export function normalizeNpi(input: unknown): ValidationResult<string> {
  const text = readText(input, 'npi', 'NPI');
  if (typeof text !== 'string') return text;
  const npi = stripSeparators(text);
  if (!isDigits(npi, 10)) {
    return invalid('npi.format', `NPI "${text}" is not 10 digits: check for missing or extra digits`);
  }
  if (npi[0] !== '1' && npi[0] !== '2') {
    return invalid('npi.prefix', `NPI ${npi} does not start with 1 or 2: it is probably another identifier`);
  }
  const expected = computeNpiCheckDigit(npi.slice(0, 9));
  if (Number(npi[9]) !== expected) {
    return invalid(
      'npi.check_digit',
      `NPI ${npi} fails the check digit (expected ${expected}): verify it in the NPPES registry`,
    );
  }
  return valid(npi);
}

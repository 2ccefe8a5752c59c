import { invalid, type ValidationFailure } from './result.js';

/**
 * Reads a raw field value as trimmed text. Numbers are accepted because spreadsheets and JSON sources hand
 * identifiers over as numbers; anything else (objects, booleans) is a mapping mistake, not a value.
 * Returns the text, or a `<kind>.missing` / `<kind>.type` failure worded for a data steward.
 */
export function readText(input: unknown, kind: string, label: string): string | ValidationFailure {
  // NaN is how dataframes and some JSON encoders write a missing value.
  if (input === null || input === undefined || Number.isNaN(input)) return missing(kind, label);
  let text: string;
  if (typeof input === 'string') text = input.trim();
  else if ((typeof input === 'number' && Number.isFinite(input)) || typeof input === 'bigint') text = String(input);
  else {
    return invalid(`${kind}.type`, `${label} must be text or a number, got ${typeof input}: check the source mapping`);
  }
  return text === '' ? missing(kind, label) : text;
}

/** Removes the spaces and hyphens people type inside numeric identifiers. */
export function stripSeparators(text: string): string {
  return text.replace(/[\s-]+/g, '');
}

export function isDigits(text: string, length?: number): boolean {
  return /^\d+$/.test(text) && (length === undefined || text.length === length);
}

/** A character code of an ASCII uppercase letter (identifier checks work on codes, not regular expressions). */
export function isUpperCode(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

/** A character code of an ASCII digit. */
export function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Digit values of a digit string; callers check `isDigits` first. */
export function toDigits(text: string): number[] {
  return Array.from(text, Number);
}

/** Guards the compute* helpers: they build identifiers, so a wrong-sized input is a programming error. */
export function assertDigits(text: string, length: number, what: string): void {
  if (!isDigits(text, length)) throw new RangeError(`${what} must be exactly ${length} digits, got "${text}"`);
}

function missing(kind: string, label: string): ValidationFailure {
  return invalid(`${kind}.missing`, `${label} is empty: leave the field out or supply a value`);
}

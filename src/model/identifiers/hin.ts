import { isDigitCode, isUpperCode, readText } from './input.js';
import { invalid, valid, type ValidationResult } from './result.js';

/**
 * HIBCC Health Industry Number: 9 letters or digits, uppercased. There is no public check-character rule to apply.
 * Checked on character codes (a HIN already in that form is taken as it is): an 867 carries one per ship-to.
 */
export function normalizeHin(input: unknown): ValidationResult<string> {
  const text = readText(input, 'hin', 'HIN');
  if (typeof text !== 'string') return text;
  if (isHin(text)) return valid(text);
  const hin = text.toUpperCase();
  if (!isHin(hin)) return invalid('hin.format', `HIN "${text}" is not 9 letters or digits: check it against the HIBCC directory`);
  return valid(hin);
}

/** `^[A-Z0-9]{9}$`. */
function isHin(text: string): boolean {
  if (text.length !== 9) return false;
  for (let i = 0; i < 9; i++) {
    const c = text.charCodeAt(i);
    if (!isUpperCode(c) && !isDigitCode(c)) return false;
  }
  return true;
}

/** The 7-character facility base shared by every location of a facility; undefined when the HIN is invalid. */
export function hinBase(hin: unknown): string | undefined {
  const result = normalizeHin(hin);
  return result.ok ? result.value.slice(0, 7) : undefined;
}

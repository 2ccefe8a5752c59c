import { readText } from './input.js';
import { invalid, valid, type ValidationResult } from './result.js';

/** HIBCC Health Industry Number: 9 letters or digits. There is no public check-character rule to apply. */
export function normalizeHin(input: unknown): ValidationResult<string> {
  const text = readText(input, 'hin', 'HIN');
  if (typeof text !== 'string') return text;
  const hin = text.toUpperCase();
  if (!/^[A-Z0-9]{9}$/.test(hin)) {
    return invalid('hin.format', `HIN "${text}" is not 9 letters or digits: check it against the HIBCC directory`);
  }
  return valid(hin);
}

/** The 7-character facility base shared by every location of a facility; undefined when the HIN is invalid. */
export function hinBase(hin: unknown): string | undefined {
  const result = normalizeHin(hin);
  return result.ok ? result.value.slice(0, 7) : undefined;
}

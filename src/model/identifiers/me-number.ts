import { isDigits, readText, stripSeparators } from './input.js';
import { invalid, valid, type ValidationResult } from './result.js';

/** AMA Medical Education number: an opaque 10-11 digit string whose leading zeros are significant. */
export function normalizeMeNumber(input: unknown): ValidationResult<string> {
  const text = readText(input, 'me_number', 'ME number');
  if (typeof text !== 'string') return text;
  const me = stripSeparators(text);
  if (!isDigits(me) || me.length < 10 || me.length > 11) {
    const hint = isDigits(me) && me.length < 10 ? ' (leading zeros may have been lost in a spreadsheet)' : '';
    return invalid(
      'me_number.format',
      `ME number "${text}" is not 10 or 11 digits${hint}: re-export it as text or check the AMA record`,
    );
  }
  return valid(me);
}

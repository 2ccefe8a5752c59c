import { readText } from './input.js';
import { normalizeUsState } from './postal.js';
import { invalid, valid, type ValidationResult } from './result.js';

export type StateLicense = { state: string; number: string };

/** Values sources put in a license field when there is no license; they must not become a shared key. */
const PLACEHOLDERS = new Set(['NA', 'N/A', 'NONE', 'UNKNOWN', 'PENDING', 'TBD', 'APPLIED']);

/**
 * Boards issue license numbers in every shape (`12637`, `ME68414`, `032024`, `000396-1`), so the number is kept
 * as written apart from case and whitespace; zeros and hyphens are significant. The key is (state, number)
 * because the same number is issued by several boards.
 */
export function normalizeStateLicense(number: unknown, state: unknown): ValidationResult<StateLicense> {
  const text = readText(number, 'license', 'License number');
  if (typeof text !== 'string') return text;
  const licenseNumber = text.toUpperCase().replace(/\s+/g, '');
  if (PLACEHOLDERS.has(licenseNumber) || /^0+$/.test(licenseNumber)) {
    return invalid(
      'license.placeholder',
      `License number "${text}" is a placeholder, not a license: leave the field empty`,
    );
  }
  if (!/^[A-Z0-9][A-Z0-9./-]*$/.test(licenseNumber) || licenseNumber.length > 30) {
    return invalid(
      'license.format',
      `License number "${text}" contains characters boards do not use: correct it from the state board record`,
    );
  }
  const stateCode = normalizeUsState(state);
  if (!stateCode.ok) {
    return invalid('license.state', `License ${licenseNumber} has no usable state: ${stateCode.message}`);
  }
  return valid({ state: stateCode.value, number: licenseNumber });
}

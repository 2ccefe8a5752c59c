import { normalizeDea, normalizeHin, normalizeNpi } from '../model/identifiers/index.js';

/**
 * Which check an identifier must pass before the identifier rules trust it. A value that fails is treated as
 * absent by the rules (it still takes part in the probabilistic comparison as a plain string). The checks are
 * the model's own validators, so the matcher and the mappings never disagree on what a valid NPI is.
 */
export type IdentifierValidator = 'none' | 'npi' | 'dea' | 'hin' | 'luhn';

/** A plain Luhn check over a digit string, for identifiers configured with `luhn`. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export const npiValid = (value: string): boolean => normalizeNpi(value).ok;
export const deaValid = (value: string): boolean => normalizeDea(value).ok;
export const hinValid = (value: string): boolean => normalizeHin(value).ok;

export function isValidIdentifier(validator: IdentifierValidator, value: string): boolean {
  if (value === '') return false;
  switch (validator) {
    case 'none':
      return true;
    case 'npi':
      return npiValid(value);
    case 'dea':
      return deaValid(value);
    case 'hin':
      return hinValid(value);
    case 'luhn':
      return /^\d+$/.test(value) && luhnValid(value);
  }
}

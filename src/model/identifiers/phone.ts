import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { readText } from './input.js';
import { invalid, valid, type ValidationResult } from './result.js';

/**
 * Returns E.164 (`+16175550123`). An extension is kept in the value in RFC 3966 form, `+16175550123;ext=12`,
 * because a switchboard number without its extension reaches the wrong person, and the `;ext=` form parses back
 * to the same value (idempotent). Callers that dial or compare numbers should cut at `;ext=`.
 * Numbers libphonenumber considers impossible for their country (unassigned area codes such as 555) are rejected.
 */
export function normalizePhone(input: unknown, defaultCountry: CountryCode = 'US'): ValidationResult<string> {
  const text = readText(input, 'phone', 'Phone number');
  if (typeof text !== 'string') return text;
  const phone = parsePhoneNumberFromString(text, defaultCountry);
  if (!phone) {
    return invalid('phone.format', `Phone number "${text}" cannot be read as a phone number: correct it`);
  }
  if (!phone.isValid()) {
    return invalid(
      'phone.invalid',
      `Phone number "${text}" is not a valid ${phone.country ?? defaultCountry} number: check the area code and digit count`,
    );
  }
  return valid(phone.ext ? `${phone.number};ext=${phone.ext}` : phone.number);
}

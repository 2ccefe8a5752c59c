import { readText } from './input.js';
import { invalid, valid, type ValidationResult } from './result.js';

/**
 * Returns `NNNNN` or `NNNNN-NNNN`. Accepts ZIP+4 written as 9 bare digits (the NPPES file does this) or with a
 * space. A 3-4 or 7-8 digit value not starting with 0 is a ZIP whose leading zeros a spreadsheet dropped
 * (`2116` -> `02116`, `927` -> `00927` in Puerto Rico): restored, with a warning. A `0000` add-on is a placeholder
 * and is dropped, with a warning.
 */
export function normalizeZip(input: unknown): ValidationResult<string> {
  const text = readText(input, 'zip', 'ZIP code');
  if (typeof text !== 'string') return text;
  const match = /^(\d{5})(?:[\s-]?(\d{4}))?$/.exec(text) ?? /^([1-9]\d{2,3})(\d{4})?$/.exec(text);
  if (!match) {
    return invalid('zip.format', `ZIP code "${text}" is not 5 digits or ZIP+4: correct it or look it up with USPS`);
  }
  const [, rawZip5 = '', plus4] = match;
  const zip5 = rawZip5.padStart(5, '0');
  const warnings: string[] = [];
  if (zip5 !== rawZip5) {
    warnings.push(`ZIP code ${text} lost leading zeros (spreadsheet damage) and was restored as ${zip5}`);
  }
  if (plus4 === '0000') warnings.push(`ZIP+4 add-on 0000 of ${text} is a placeholder and was dropped`);
  return valid(plus4 && plus4 !== '0000' ? `${zip5}-${plus4}` : zip5, warnings);
}

/** USPS codes with their names, from Publication 28 Appendix B (states, DC, territories, armed forces). */
const USPS_STATES: Record<string, string[]> = {
  AL: ['ALABAMA'], AK: ['ALASKA'], AZ: ['ARIZONA'], AR: ['ARKANSAS'], CA: ['CALIFORNIA'], CO: ['COLORADO'],
  CT: ['CONNECTICUT'], DE: ['DELAWARE'], FL: ['FLORIDA'], GA: ['GEORGIA'], HI: ['HAWAII'], ID: ['IDAHO'],
  IL: ['ILLINOIS'], IN: ['INDIANA'], IA: ['IOWA'], KS: ['KANSAS'], KY: ['KENTUCKY'], LA: ['LOUISIANA'],
  ME: ['MAINE'], MD: ['MARYLAND'], MA: ['MASSACHUSETTS'], MI: ['MICHIGAN'], MN: ['MINNESOTA'],
  MS: ['MISSISSIPPI'], MO: ['MISSOURI'], MT: ['MONTANA'], NE: ['NEBRASKA'], NV: ['NEVADA'],
  NH: ['NEW HAMPSHIRE'], NJ: ['NEW JERSEY'], NM: ['NEW MEXICO'], NY: ['NEW YORK'], NC: ['NORTH CAROLINA'],
  ND: ['NORTH DAKOTA'], OH: ['OHIO'], OK: ['OKLAHOMA'], OR: ['OREGON'], PA: ['PENNSYLVANIA'],
  RI: ['RHODE ISLAND'], SC: ['SOUTH CAROLINA'], SD: ['SOUTH DAKOTA'], TN: ['TENNESSEE'], TX: ['TEXAS'],
  UT: ['UTAH'], VT: ['VERMONT'], VA: ['VIRGINIA'], WA: ['WASHINGTON'], WV: ['WEST VIRGINIA'],
  WI: ['WISCONSIN'], WY: ['WYOMING'],
  DC: ['DISTRICT OF COLUMBIA', 'WASHINGTON DC', 'WASHINGTON D C'],
  PR: ['PUERTO RICO'], GU: ['GUAM'], VI: ['VIRGIN ISLANDS', 'US VIRGIN ISLANDS', 'U S VIRGIN ISLANDS'],
  AS: ['AMERICAN SAMOA'], MP: ['NORTHERN MARIANA ISLANDS'],
  FM: ['FEDERATED STATES OF MICRONESIA', 'MICRONESIA'], MH: ['MARSHALL ISLANDS'], PW: ['PALAU'],
  AA: ['ARMED FORCES AMERICAS'],
  AE: ['ARMED FORCES EUROPE', 'ARMED FORCES AFRICA', 'ARMED FORCES CANADA', 'ARMED FORCES MIDDLE EAST'],
  AP: ['ARMED FORCES PACIFIC'],
};

const STATE_LOOKUP = new Map<string, string>(
  Object.entries(USPS_STATES).flatMap(([code, names]) => [code, ...names].map((key): [string, string] => [key, code])),
);

/** Accepts a USPS code or a full name in any case, with or without periods (`n.y.`, `New York`); returns the code. */
export function normalizeUsState(input: unknown): ValidationResult<string> {
  const text = readText(input, 'state', 'State');
  if (typeof text !== 'string') return text;
  const key = text.toUpperCase().replace(/\./g, '').replace(/[\s,]+/g, ' ').trim();
  const code = STATE_LOOKUP.get(key) ?? STATE_LOOKUP.get(key.replace(/ /g, ''));
  if (!code) {
    return invalid('state.unknown', `State "${text}" is not a USPS state, territory or military code: correct it`);
  }
  return valid(code);
}

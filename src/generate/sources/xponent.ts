/**
 * Xponent-style prescriber-level Rx file. The real IQVIA layouts are licensed, so this layout is invented, in the
 * shape such deliveries take: pipe-delimited, a header line, no quoting, upper-case names and addresses, one row per
 * prescriber x product x week.
 *
 * | column       | content                                                                    |
 * |--------------|----------------------------------------------------------------------------|
 * | PRESCRIBER_ID| the vendor's own 9-digit prescriber key (the source id; stable per person)  |
 * | ME_NUMBER    | AMA ME number, 11 digits with leading zeros; blank for NPs/PAs, sometimes   |
 * | NPI          | often blank (the vendor keys on its own id and the ME number)               |
 * | LAST_NAME, FIRST_NAME | upper case; no suffix column, so JR and SR look alike              |
 * | MIDDLE_NAME  | the middle initial only                                                    |
 * | SPECIALTY    | AMA-style specialty abbreviation (IM, FM, CD, END, ...)                    |
 * | ADDRESS      | line 1 and line 2 in one field, USPS abbreviations (ST, AVE, STE)          |
 * | CITY, STATE, ZIP | ZIP as 5 digits                                                        |
 * | PRODUCT      | product name and strength                                                  |
 * | PERIOD_END   | YYYYMMDD, always a Friday (weekly data weeks end on Friday)                |
 * | TRX, NRX     | total and new prescriptions; TRX = NRX + refills, so NRX <= TRX             |
 * | UNITS        | TRX x units per prescription                                               |
 * | DOLLARS      | UNITS x list price per unit, two decimals                                  |
 *
 * A prescriber's identity columns repeat on each of its rows, with the same corruptions; truth.csv has one line per
 * prescriber (source id PRESCRIBER_ID). Recorded habits: `missing-npi` when the NPI column is blank, `maiden-name`
 * when a married physician is listed under her former name.
 */
import { applyCorruptions, chooseCorruptions, type CorruptionProfile } from '../corrupt.js';
import { fridayOnOrBefore, fromDayNumber, toDayNumber } from '../dates.js';
import { makePrescriberId } from '../identifiers.js';
import type { Physician, Population } from '../population.js';
import { rngAt, weightedTable, type Rng } from '../random.js';
import { DIRECTION_ABBREVIATIONS, PRODUCTS, STREET_SUFFIX_ABBREVIATIONS, type Product } from '../reference-data.js';
import { renderRows, resolveSourceOptions, type SourceOptions, type SourceRenderer, type SourceRow } from './common.js';
import { Presence, rowKeys, physicianDraft } from './render-helpers.js';

export const XPONENT_COLUMNS = [
  'PRESCRIBER_ID',
  'ME_NUMBER',
  'NPI',
  'LAST_NAME',
  'FIRST_NAME',
  'MIDDLE_NAME',
  'SPECIALTY',
  'ADDRESS',
  'CITY',
  'STATE',
  'ZIP',
  'PRODUCT',
  'PERIOD_END',
  'TRX',
  'NRX',
  'UNITS',
  'DOLLARS',
] as const;

export const XPONENT_FILE = 'xponent.rx.txt';
export const XPONENT_DEFAULT_COVERAGE = 0.7;

export interface XponentOptions extends SourceOptions {
  /** Number of weekly periods, ending on the Friday on or before the population's as-of date. Default 1. */
  readonly weeks?: number;
}

const PROFILE: CorruptionProfile = {
  typo: 3,
  nickname: 2,
  'swapped-names': 0.5,
  'invalid-npi': 1,
  'moved-address': 1.5,
  'middle-missing': 1,
  'credentials-in-last-name': 1,
  'case-noise': 0.5,
  'whitespace-noise': 1,
  'zip-leading-zero-lost': 4,
};

const ABBREVIATIONS: Readonly<Record<string, string>> = Object.fromEntries([
  ...Object.entries({ ...STREET_SUFFIX_ABBREVIATIONS, ...DIRECTION_ABBREVIATIONS }).map(([word, abbreviation]) => [word.toUpperCase(), abbreviation]),
  ['SUITE', 'STE'],
  ['BUILDING', 'BLDG'],
]);
const ABBREVIATION_PATTERN = new RegExp(`\\b(?:${Object.keys(ABBREVIATIONS).join('|')})\\b`, 'g');

/** Upper case with USPS abbreviations, line 2 appended: "1200 N MAIN ST STE 210". */
export function formatRxAddress(line1: string, line2: string): string {
  return (line2 === '' ? line1 : `${line1} ${line2}`).toUpperCase().replace(ABBREVIATION_PATTERN, (word) => ABBREVIATIONS[word] ?? word);
}

export function createXponentRenderer(population: Population, options: XponentOptions = {}): SourceRenderer {
  const opts = resolveSourceOptions(population, 'xponent', options, XPONENT_DEFAULT_COVERAGE);
  const presence = new Presence(opts.seed, opts.coverage);
  const keys = rowKeys(opts.seed, 'xponent');
  const weeks = options.weeks ?? 1;
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104) throw new RangeError(`xponent: weeks must be 1..104, got ${weeks}`);
  const lastFriday = fridayOnOrBefore(toDayNumber(population.asOf));
  const periods: string[] = [];
  for (let w = weeks - 1; w >= 0; w--) periods.push(fromDayNumber(lastFriday - 7 * w).replace(/-/g, ''));
  const productTables = new Map<string, ReturnType<typeof weightedTable<Product>>>();
  const productTableFor = (amaCode: string) => {
    let table = productTables.get(amaCode);
    if (!table) {
      table = weightedTable(PRODUCTS.map((p) => [p, p.amaCodes.includes(amaCode) ? 5 : 0.3] as const));
      productTables.set(amaCode, table);
    }
    return table;
  };
  const ctxFor = (rng: Rng) => ({ rng, population, formatPhone: (digits: string) => digits });

  return {
    source: 'xponent',
    fileName: XPONENT_FILE,
    columns: XPONENT_COLUMNS,
    headerLine: XPONENT_COLUMNS.join('|') + '\n',
    formatLine: (values) => values.join('|') + '\n',

    organizationRows: () => [],

    physicianRows(p: Physician): readonly SourceRow[] {
      if (!presence.has('hcp', p.index)) return [];
      const rng = rngAt(keys.hcp, p.index);
      const draft = physicianDraft(p);
      draft.middleName = draft.middleName.slice(0, 1);
      draft.suffix = '';
      const labels: string[] = [];
      if (p.maidenName !== '' && rng.chance(0.5)) {
        draft.lastName = p.maidenName;
        labels.push('maiden-name');
      }
      if (rng.chance(0.45)) {
        draft.npi = '';
        labels.push('missing-npi');
      }
      const kinds = chooseCorruptions(rng, PROFILE, draft, opts.corruptionRate);
      applyCorruptions(draft, kinds, 'content', ctxFor(rng), labels);
      draft.firstName = draft.firstName.toUpperCase();
      draft.middleName = draft.middleName.toUpperCase();
      draft.lastName = draft.lastName.toUpperCase();
      draft.line1 = formatRxAddress(draft.line1, draft.line2);
      draft.city = draft.city.toUpperCase();
      applyCorruptions(draft, kinds, 'surface', ctxFor(rng), labels);

      const prescriberId = makePrescriberId(population.seed, p.index);
      const identity = [
        prescriberId,
        p.meNumber !== '' && rng.chance(0.92) ? p.meNumber : '',
        draft.npi,
        draft.lastName,
        draft.firstName,
        draft.middleName,
        p.specialty.amaCode,
        draft.line1,
        draft.city,
        draft.state,
        draft.zip,
      ];
      const table = productTableFor(p.specialty.amaCode);
      const productCount = rng.range(1, 4);
      const products: Product[] = [];
      for (let n = 0; n < productCount * 2 && products.length < productCount; n++) {
        const product = rng.pickWeighted(table);
        if (!products.includes(product)) products.push(product);
      }
      const rows: SourceRow[] = [];
      for (const product of products) {
        // A prescriber's weekly volume of a product scatters around its own level.
        const level = Math.exp(rng.next() * 3);
        for (const period of periods) {
          const trx = Math.max(1, Math.round(level * (0.6 + rng.next() * 0.8)));
          const nrx = Math.min(trx, Math.round(trx * (0.15 + rng.next() * 0.45)));
          const units = trx * product.unitsPerRx;
          const dollars = (units * product.pricePerUnit).toFixed(2);
          rows.push({
            source: 'xponent',
            sourceId: prescriberId,
            entityId: p.entityId,
            entityType: 'hcp',
            corruptions: labels,
            values: [...identity, product.name, period, String(trx), String(nrx), String(units), dollars],
          });
        }
      }
      return rows;
    },
  };
}

/** The rows of an Xponent-style Rx file of the population (several rows per prescriber). */
export function renderXponent(population: Population, options: XponentOptions = {}): Generator<SourceRow> {
  return renderRows(population, createXponentRenderer(population, options));
}

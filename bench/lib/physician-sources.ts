/**
 * Reads the generator's three physician sources (Veeva CRM accounts, NPPES npidata, Xponent-style Rx file) and
 * projects their physician rows onto the fields of mappings/matching/physician.yaml, cheaply enough for a million
 * records: one record per Veeva person account, per NPPES entity type 1 row and per distinct Xponent PRESCRIBER_ID
 * (its Rx rows repeat the same identity columns, so the first row speaks for the prescriber).
 *
 * What the projection does (the model's own `normalize:` steps then lower-case, strip punctuation and keep digits):
 * - names: credentials written into the last name ("SMITH MD", "Smith, MD") are dropped, generational suffixes
 *   are read from the suffix columns (Xponent has none);
 * - address line 1: USPS Publication 28 standardization (src/model/normalize normalizeUsAddress, cached per
 *   distinct line), so "1200 North Main Street Suite 210" and "1200 N MAIN ST STE 210" agree on "1200 N MAIN ST";
 * - ZIP: the first five digits of a ZIP or ZIP+4, a leading zero lost by a spreadsheet put back;
 * - phone: ten digits (a leading country code 1 dropped);
 * - specialty: Veeva picklist values, NUCC taxonomy codes and AMA abbreviations mapped to one canonical name with
 *   the tables in mappings/reference.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { normalizeUsAddress } from '../../src/model/normalize/us-address.js';

export type PhysicianRecord = Record<string, string>;

export interface ProjectedSource {
  name: string;
  records: PhysicianRecord[];
  /** Rows read from the file (Xponent: Rx rows, several per record). */
  rows: number;
}

/** Splits one delimited file into rows of fields; quotes ("" escapes, embedded delimiters and newlines) honoured. */
export function parseDelimited(text: string, delimiter: string, onRow: (fields: string[]) => void): void {
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  let i = 0;
  while (i < n) {
    const fields: string[] = [];
    for (;;) {
      if (text.charCodeAt(i) === 34) {
        // Quoted field.
        let value = '';
        let start = i + 1;
        let j = start;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            value += text.slice(start);
            i = n;
            break;
          }
          if (text.charCodeAt(q + 1) === 34) {
            value += text.slice(start, q + 1);
            start = j = q + 2;
            continue;
          }
          value += text.slice(start, q);
          i = q + 1;
          break;
        }
        fields.push(value);
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === d || c === 10 || c === 13) break;
          j++;
        }
        fields.push(text.slice(i, j));
        i = j;
      }
      const c = text.charCodeAt(i);
      if (c === d) {
        i++;
        continue;
      }
      if (c === 13) i++;
      if (text.charCodeAt(i) === 10) i++;
      break;
    }
    if (fields.length > 1 || fields[0] !== '') onRow(fields);
  }
}

function readTable(file: string, delimiter: string, onRow: (get: (column: string) => string) => void): number {
  const text = readFileSync(file, 'utf8');
  let header: Map<string, number> | undefined;
  let current: string[] = [];
  const get = (column: string): string => {
    const at = header?.get(column);
    if (at === undefined) throw new Error(`${path.basename(file)}: no column "${column}"`);
    return current[at] ?? '';
  };
  let rows = 0;
  parseDelimited(text, delimiter, (fields) => {
    if (!header) {
      header = new Map(fields.map((f, i) => [f, i]));
      return;
    }
    current = fields;
    rows++;
    onRow(get);
  });
  return rows;
}

// Credentials that sources write after a surname ("SMITH MD", "Smith, MD"); a lone surname is never dropped.
const CREDENTIALS = new Set(
  'MD DO NP PA PA-C RN APRN CNP DNP FNP FNP-C FNP-BC ANP PHD PHARMD DDS DMD DPM OD MBBS MPH FACP FACC FACS'.split(' '),
);

/** Last name without trailing credentials. */
export function stripCredentials(last: string): string {
  if (!/[\s,]/.test(last.trim())) return last;
  const tokens = last.split(/[\s,]+/).filter((t) => t !== '');
  while (tokens.length > 1 && CREDENTIALS.has((tokens[tokens.length - 1] as string).toUpperCase().replace(/\./g, ''))) tokens.pop();
  return tokens.join(' ');
}

const SUFFIXES: Record<string, string> = { JR: 'JR', JUNIOR: 'JR', SR: 'SR', SENIOR: 'SR', II: 'II', III: 'III', IV: 'IV', V: 'V', '2ND': 'II', '3RD': 'III' };

export function suffixCode(s: string): string {
  return SUFFIXES[s.toUpperCase().replace(/[^A-Z0-9]/g, '')] ?? '';
}

/** Five-digit ZIP from ZIP, ZIP+4 (with or without hyphen) or either with a lost leading zero. */
export function zip5(raw: string): string {
  const digits = raw.replace(/\D+/g, '');
  if (digits.length === 0) return '';
  if (digits.length <= 5) return digits.padStart(5, '0');
  return digits.padStart(9, '0').slice(0, 5);
}

export function phone10(raw: string): string {
  const digits = raw.replace(/\D+/g, '');
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

const lineCache = new Map<string, string>();

/** Address line 1 (USPS-standardized, units moved out), cached per distinct input. */
export function standardLine1(line: string): string {
  const key = line.trim();
  if (key === '') return '';
  let out = lineCache.get(key);
  if (out === undefined) {
    out = normalizeUsAddress({ line1: key }).line1 ?? '';
    lineCache.set(key, out);
  }
  return out;
}

export function cityText(raw: string): string {
  return raw.replace(/[.'’]/g, '').trim();
}

interface SpecialtyTables {
  veeva: Map<string, string>;
  ama: Map<string, string>;
  taxonomy: Map<string, string>;
}

function loadSpecialtyTables(repoRoot: string): SpecialtyTables {
  const ref = path.join(repoRoot, 'mappings/reference');
  const yamlMap = (file: string): Map<string, string> => {
    const doc = parseYaml(readFileSync(path.join(ref, file), 'utf8')) as { entries: Record<string, string> };
    return new Map(Object.entries(doc.entries).map(([k, v]) => [k.toLowerCase(), v]));
  };
  const taxonomy = new Map<string, string>();
  const csv = readFileSync(path.join(ref, 'taxonomy-specialty.csv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .join('\n');
  let header = true;
  parseDelimited(csv, ',', (f) => {
    if (header) header = false;
    else taxonomy.set((f[0] ?? '').toLowerCase(), f[1] ?? '');
  });
  return { veeva: yamlMap('veeva-specialty.yaml'), ama: yamlMap('ama-specialty.yaml'), taxonomy };
}

export interface SourceFiles {
  dir: string;
  repoRoot: string;
}

/** Reads and projects the three sources in `dir` (the generator's file names). */
export function readPhysicianSources({ dir, repoRoot }: SourceFiles): ProjectedSource[] {
  const spec = loadSpecialtyTables(repoRoot);
  const specialty = (table: Map<string, string>, raw: string): string => {
    const v = raw.trim();
    return v === '' ? '' : (table.get(v.toLowerCase()) ?? v);
  };
  const out: ProjectedSource[] = [];

  const veeva: PhysicianRecord[] = [];
  const veevaRows = readTable(path.join(dir, 'veeva-crm.accounts.csv'), ',', (get) => {
    if (get('IsPersonAccount') !== 'true') return;
    veeva.push({
      id: get('Id'),
      first_name: get('FirstName'),
      middle_name: get('Middle_vod__c'),
      last_name: stripCredentials(get('LastName')),
      suffix: suffixCode(get('Suffix_vod__c')),
      npi: get('NPI_vod__c'),
      dea: get('DEA_vod__c'),
      me_number: get('ME__c'),
      state_license: get('License_vod__c'),
      specialty: specialty(spec.veeva, get('Specialty_1_vod__c')),
      line1: standardLine1(get('Address_Line_1__c')),
      city: cityText(get('City_vod__c')),
      state: get('State_vod__c'),
      zip: zip5(get('Zip_vod__c')),
      phone: phone10(get('Phone')),
      email: get('PersonEmail'),
    });
  });
  out.push({ name: 'veeva-crm', records: veeva, rows: veevaRows });

  const nppes: PhysicianRecord[] = [];
  const nppesRows = readTable(path.join(dir, 'nppes.npidata.csv'), ',', (get) => {
    if (get('Entity Type Code') !== '1') return;
    nppes.push({
      id: get('NPI'),
      first_name: get('Provider First Name'),
      middle_name: get('Provider Middle Name'),
      last_name: stripCredentials(get('Provider Last Name (Legal Name)')),
      suffix: suffixCode(get('Provider Name Suffix Text')),
      npi: get('NPI'),
      state_license: get('Provider License Number_1'),
      specialty: specialty(spec.taxonomy, get('Healthcare Provider Taxonomy Code_1')),
      line1: standardLine1(get('Provider First Line Business Practice Location Address')),
      city: cityText(get('Provider Business Practice Location Address City Name')),
      state: get('Provider Business Practice Location Address State Name'),
      zip: zip5(get('Provider Business Practice Location Address Postal Code')),
      phone: phone10(get('Provider Business Practice Location Address Telephone Number')),
    });
  });
  out.push({ name: 'nppes', records: nppes, rows: nppesRows });

  const xponent: PhysicianRecord[] = [];
  const seen = new Set<string>();
  const xponentRows = readTable(path.join(dir, 'xponent.rx.txt'), '|', (get) => {
    const id = get('PRESCRIBER_ID');
    if (seen.has(id)) return;
    seen.add(id);
    xponent.push({
      id,
      first_name: get('FIRST_NAME'),
      middle_name: get('MIDDLE_NAME'),
      last_name: stripCredentials(get('LAST_NAME')),
      npi: get('NPI'),
      me_number: get('ME_NUMBER'),
      specialty: specialty(spec.ama, get('SPECIALTY')),
      line1: standardLine1(get('ADDRESS')),
      city: cityText(get('CITY')),
      state: get('STATE'),
      zip: zip5(get('ZIP')),
    });
  });
  out.push({ name: 'xponent', records: xponent, rows: xponentRows });
  lineCache.clear();
  return out;
}

/** truth.csv: `source:source_id` -> entity id, physicians (entity_type hcp) only. */
export function readTruth(file: string): Map<string, string> {
  const truth = new Map<string, string>();
  readTable(file, ',', (get) => {
    if (get('entity_type') === 'hcp') truth.set(`${get('source')}:${get('source_id')}`, get('entity_id'));
  });
  return truth;
}

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NPPES_COLUMNS,
  TRUTH_COLUMNS,
  VEEVA_CRM_COLUMNS,
  XPONENT_COLUMNS,
  computeSalesforceIdSuffix,
  generatePopulation,
  renderNppes,
  renderVeevaCrm,
  renderXponent,
  writeSources,
  type Population,
} from '../../../src/generate/index.js';
import { computeNpiCheckDigit } from '../../../src/model/identifiers/npi.js';
import { normalizeSalesforceId } from '../../../src/model/identifiers/salesforce-id.js';

type Row = Record<string, string>;

let dir: string;
let population: Population;
const files: Record<'veeva' | 'nppes' | 'xponent' | 'truth', { header: string[]; rows: Row[]; text: string }> = {} as never;

function parseFile(text: string, delimiter = ','): { header: string[]; rows: Row[] } {
  const records = parse(text, { delimiter, relax_quotes: false }) as string[][];
  const [header = [], ...body] = records;
  return { header, rows: body.map((values) => Object.fromEntries(header.map((h, i) => [h, values[i] ?? '']))) };
}

function isValidNpi(npi: string): boolean {
  return /^[12]\d{9}$/.test(npi) && computeNpiCheckDigit(npi.slice(0, 9)) === Number(npi[9]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crosswalk-generate-'));
  population = generatePopulation({ seed: 11, physicians: 1200, organizations: 90 });
  await writeSources({
    population,
    outDir: dir,
    sources: [
      { source: 'veeva-crm', options: { coverage: 0.85, corruptionRate: 0.4 } },
      { source: 'nppes', options: { coverage: 0.9, corruptionRate: 0.4 } },
      { source: 'xponent', options: { coverage: 0.7, corruptionRate: 0.4, weeks: 3 } },
    ],
  });
  const read = async (name: string, delimiter?: string) => {
    const text = await readFile(join(dir, name), 'utf8');
    return { ...parseFile(text, delimiter), text };
  };
  files.veeva = await read('veeva-crm.accounts.csv');
  files.nppes = await read('nppes.npidata.csv');
  files.xponent = await read('xponent.rx.txt', '|');
  files.truth = await read('truth.csv');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function truthOf(source: string): Map<string, Row> {
  return new Map(files.truth.rows.filter((r) => r.source === source).map((r) => [r.source_id as string, r]));
}

function physicianOf(entityId: string) {
  return population.physicianAt(Number(entityId.slice(4)) - 1);
}

describe('source files', () => {
  it('parse back with csv-parse under the exact headers', () => {
    expect(files.veeva.header).toEqual([...VEEVA_CRM_COLUMNS]);
    expect(files.nppes.header).toEqual([...NPPES_COLUMNS]);
    expect(files.xponent.header).toEqual([...XPONENT_COLUMNS]);
    expect(files.truth.header).toEqual([...TRUTH_COLUMNS]);
    for (const f of [files.veeva, files.nppes, files.xponent, files.truth]) {
      expect(f.rows.length).toBeGreaterThan(100);
      expect(f.rows.every((r) => Object.keys(r).length === f.header.length)).toBe(true);
    }
  });

  it('have a truth line for every row and a row for every truth line', () => {
    const sources = { 'veeva-crm': [files.veeva, 'Id'], nppes: [files.nppes, 'NPI'], xponent: [files.xponent, 'PRESCRIBER_ID'] } as const;
    for (const [source, [file, key]] of Object.entries(sources)) {
      const truth = truthOf(source);
      const ids = new Set(file.rows.map((r) => r[key] as string));
      expect([...ids].every((id) => truth.has(id))).toBe(true);
      expect([...truth.keys()].every((id) => ids.has(id))).toBe(true);
    }
    const keys = files.truth.rows.map((r) => `${r.source}|${r.source_id}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('roughly honour each source coverage', () => {
    const share = (source: string) => files.truth.rows.filter((r) => r.source === source && r.entity_type === 'hcp').length / 1200;
    expect(share('veeva-crm')).toBeGreaterThan(0.8);
    expect(share('veeva-crm')).toBeLessThan(0.9);
    expect(share('nppes')).toBeGreaterThan(0.86);
    expect(share('nppes')).toBeLessThan(0.94);
    expect(share('xponent')).toBeGreaterThan(0.65);
    expect(share('xponent')).toBeLessThan(0.75);
  });

  it('keep NPIs valid unless truth records them corrupted, and corrupted-invalid NPIs fail the check digit', () => {
    const check = (rows: Row[], source: string, key: string, npiColumn: string) => {
      const truth = truthOf(source);
      let invalid = 0;
      for (const row of rows) {
        const t = truth.get(row[key] as string) as Row;
        if (t.entity_type !== 'hcp') continue;
        const labels = (t.corruptions ?? '').split(';');
        const npi = row[npiColumn] as string;
        if (labels.includes('invalid-npi')) {
          invalid++;
          expect(isValidNpi(npi)).toBe(false);
        } else if (labels.includes('missing-npi')) {
          expect(npi).toBe('');
        } else {
          expect(npi).toBe(physicianOf(t.entity_id as string).npi);
        }
      }
      return invalid;
    };
    expect(check(files.veeva.rows, 'veeva-crm', 'Id', 'NPI_vod__c')).toBeGreaterThan(0);
    expect(check(files.xponent.rows, 'xponent', 'PRESCRIBER_ID', 'NPI')).toBeGreaterThan(0);
    expect(files.nppes.rows.every((r) => isValidNpi(r.NPI as string))).toBe(true);
  });

  it('write Veeva CRM ids as 18-character Account ids with the real case suffix', () => {
    for (const row of files.veeva.rows) {
      const id = row.Id as string;
      expect(id).toMatch(/^001[A-Za-z0-9]{15}$/);
      expect(id.slice(15)).toBe(computeSalesforceIdSuffix(id.slice(0, 15)));
      expect(normalizeSalesforceId(id.slice(0, 15))).toEqual({ ok: true, value: id });
    }
    expect(computeSalesforceIdSuffix('001A0000006Vm9r')).toBe('IAC');
  });

  it('link Veeva physicians to business accounts of the same file', () => {
    const business = files.veeva.rows.filter((r) => r.IsPersonAccount === 'false');
    const persons = files.veeva.rows.filter((r) => r.IsPersonAccount === 'true');
    expect(business.length).toBeGreaterThan(50);
    expect(business.every((r) => r.Name !== '' && r.FirstName === '' && r.LastName === '')).toBe(true);
    const ids = new Set(business.map((r) => r.Id));
    const parents = persons.map((r) => r.Primary_Parent_vod__c as string).filter((id) => id !== '');
    expect(parents.length).toBeGreaterThan(persons.length * 0.7);
    expect(parents.every((id) => ids.has(id))).toBe(true);
    expect(persons.some((r) => r.PDRP_Opt_Out_vod__c === 'true' && /^\d{4}-\d{2}-\d{2}$/.test(r.PDRP_Opt_Out_Date_vod__c as string))).toBe(true);
    expect(files.veeva.rows.every((r) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/.test(r.SystemModstamp as string))).toBe(true);
  });

  it('write NPPES the registry way: every value quoted, upper case, ZIP+4 without hyphen, US dates', () => {
    const lines = files.nppes.text.trimEnd().split('\n');
    expect(lines.every((line) => line.startsWith('"') && line.endsWith('"'))).toBe(true);
    for (const row of files.nppes.rows) {
      expect(['1', '2']).toContain(row['Entity Type Code']);
      expect(row['Provider Business Practice Location Address Postal Code']).toMatch(/^\d{5}(\d{4})?$/);
      expect(row['Provider Enumeration Date']).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      const name = row['Entity Type Code'] === '1' ? row['Provider Last Name (Legal Name)'] : row['Provider Organization Name (Legal Business Name)'];
      expect(name).toBe(name?.toUpperCase());
      expect(name).not.toBe('');
    }
  });

  it('write Rx rows for weeks ending on Friday with TRX at least NRX', () => {
    for (const row of files.xponent.rows) {
      const period = row.PERIOD_END as string;
      const day = new Date(`${period.slice(0, 4)}-${period.slice(4, 6)}-${period.slice(6)}T00:00:00Z`).getUTCDay();
      expect(day).toBe(5);
      expect(Number(row.TRX)).toBeGreaterThanOrEqual(Number(row.NRX));
    }
    const perPrescriber = new Map<string, number>();
    for (const row of files.xponent.rows) perPrescriber.set(row.PRESCRIBER_ID as string, (perPrescriber.get(row.PRESCRIBER_ID as string) ?? 0) + 1);
    expect(Math.max(...perPrescriber.values())).toBeGreaterThan(3);
    const missingNpi = files.xponent.rows.filter((r) => r.NPI === '').length / files.xponent.rows.length;
    expect(missingNpi).toBeGreaterThan(0.3);
  });

  it('show a married physician under her former name in the CRM and her legal name in NPPES', () => {
    const labelled = [...truthOf('veeva-crm').values()].filter((t) => (t.corruptions ?? '').split(';').includes('maiden-name'));
    expect(labelled.length).toBeGreaterThan(0);
    const nppes = new Map(files.nppes.rows.map((r) => [r.NPI as string, r]));
    let compared = 0;
    for (const t of labelled) {
      // Other operators may have moved or altered the last name; compare only where they did not.
      if (/swapped-names|:last_name/.test(t.corruptions ?? '')) continue;
      const p = physicianOf(t.entity_id as string);
      const row = files.veeva.rows.find((r) => r.Id === t.source_id) as Row;
      expect(row.LastName?.trim().toUpperCase().startsWith(p.maidenName.toUpperCase())).toBe(true);
      const registry = nppes.get(p.npi);
      if (registry && !/:last_name/.test(truthOf('nppes').get(p.npi)?.corruptions ?? '')) {
        expect(registry['Provider Last Name (Legal Name)']).toBe(p.lastName.toUpperCase());
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('render the same rows through the in-memory generators as through the file writer', () => {
    expect([...renderVeevaCrm(population, { coverage: 0.85, corruptionRate: 0.4 })].length).toBe(files.veeva.rows.length);
    expect([...renderNppes(population, { coverage: 0.9, corruptionRate: 0.4 })].length).toBe(files.nppes.rows.length);
    expect([...renderXponent(population, { coverage: 0.7, corruptionRate: 0.4, weeks: 3 })].length).toBe(files.xponent.rows.length);
  });
});

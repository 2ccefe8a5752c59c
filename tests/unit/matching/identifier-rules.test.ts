import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dedupeRecords } from '../../../src/matching/dedupe.js';
import { explainPair } from '../../../src/matching/explain.js';
import { deaValid, npiValid } from '../../../src/matching/identifier-validators.js';
import { loadModel } from '../../../src/matching/model-schema.js';
import { makeNpi } from './helpers.js';

const physician = loadModel(path.resolve(import.meta.dirname, '../../../mappings/matching/physician.yaml'));
const NPI_1 = makeNpi('123456789');
const NPI_2 = makeNpi('198765432');

const base = { first_name: 'John', middle_name: '', last_name: 'Carver', suffix: '', line1: '12 Elm St', city: 'Boston', state: 'MA', zip: '02110', specialty: 'cardiology' };

function run(records: Record<string, string>[], extra: Partial<Parameters<typeof dedupeRecords>[0]> = {}) {
  return dedupeRecords({ model: physician, sources: [{ name: 'test', records }], train: false, ...extra });
}

function sameCluster(res: ReturnType<typeof run>, a: string, b: string): boolean {
  const ia = res.store.indexOfId.get(a) as number;
  const ib = res.store.indexOfId.get(b) as number;
  return res.clustering.clusterOf[ia] === res.clustering.clusterOf[ib];
}

describe('identifier validators', () => {
  it('accepts Luhn-valid NPIs and DEA numbers with a correct check digit only', () => {
    expect(npiValid('1234567893')).toBe(true);
    expect(npiValid('1234567890')).toBe(false);
    expect(npiValid(NPI_1)).toBe(true);
    expect(deaValid('AB1234563')).toBe(true);
    expect(deaValid('AB1234564')).toBe(false);
  });
});

describe('identifier rules', () => {
  it('matches two records with the same valid NPI even when the names disagree', () => {
    const res = run([
      { id: 'a', ...base, npi: NPI_1 },
      { id: 'b', ...base, first_name: 'Jonathan', last_name: 'Karver-Smith', line1: '1 Main St', city: 'Salem', npi: NPI_1 },
    ]);
    expect(sameCluster(res, 'a', 'b')).toBe(true);
    const e = explainPair(res.scorer, 0, 1);
    expect(e.rules).toContain('same npi');
    expect(e.decision).toBe('match');
  });

  it('keeps records with different valid NPIs apart whatever the names say', () => {
    const res = run([
      { id: 'a', ...base, npi: NPI_1 },
      { id: 'b', ...base, npi: NPI_2 },
    ]);
    expect(sameCluster(res, 'a', 'b')).toBe(false);
    expect(explainPair(res.scorer, 0, 1).decision).toBe('distinct');
  });

  it('does not chain two different NPIs together through a record without one', () => {
    const res = run([
      { id: 'a', ...base, npi: NPI_1 },
      { id: 'b', ...base, npi: '' },
      { id: 'c', ...base, npi: NPI_2 },
    ]);
    expect(sameCluster(res, 'a', 'c')).toBe(false);
  });

  it('ignores an invalid NPI in the rules (it is only a string that failed its check)', () => {
    const res = run([
      { id: 'a', ...base, npi: '1234567890' },
      { id: 'b', ...base, first_name: 'Zed', last_name: 'Quill', line1: '9 Oak Rd', city: 'Salem', npi: '1234567890' },
    ]);
    expect(explainPair(res.scorer, 0, 1).rules).toEqual([]);
  });

  it('lets a cannot-link decision override the same NPI', () => {
    const res = run(
      [
        { id: 'a', ...base, npi: NPI_1 },
        { id: 'b', ...base, npi: NPI_1 },
      ],
      { cannotLink: [['a', 'b']] },
    );
    expect(sameCluster(res, 'a', 'b')).toBe(false);
  });

  it('treats JR against SR and different middle initials as strong evidence of different people', () => {
    const res = run([
      { id: 'jr', ...base, suffix: 'Jr.' },
      { id: 'sr', ...base, suffix: 'SR' },
      { id: 'm1', ...base, last_name: 'Dunmore', middle_name: 'A' },
      { id: 'm2', ...base, last_name: 'Dunmore', middle_name: 'B.' },
      { id: 'x1', ...base, last_name: 'Ellery' },
      { id: 'x2', ...base, last_name: 'Ellery' },
    ]);
    const w = (a: number, b: number) => explainPair(res.scorer, a, b).matchWeight;
    const suffixStep = explainPair(res.scorer, 0, 1).steps.find((s) => s.comparison === 'suffix');
    expect(suffixStep?.bayesFactor).toBeLessThanOrEqual(1e-6);
    expect(w(0, 1)).toBeLessThan(w(4, 5) - 9);
    expect(w(2, 3)).toBeLessThan(w(4, 5) - 5);
    expect(sameCluster(res, 'jr', 'sr')).toBe(false);
    expect(sameCluster(res, 'x1', 'x2')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import {
  adjacentKeys,
  applyCorruptions,
  applyTypo,
  changeOneDigit,
  chooseCorruptions,
  generatePopulation,
  NICKNAMES,
  findNicknames,
  Rng,
  type RecordDraft,
} from '../../../src/generate/index.js';
import { computeNpiCheckDigit } from '../../../src/model/identifiers/npi.js';

const population = generatePopulation({ seed: 3, physicians: 10, organizations: 10 });

function draft(): RecordDraft {
  return {
    firstName: 'William',
    middleName: 'Robert',
    lastName: 'Smith',
    suffix: 'JR',
    credentials: 'MD',
    name: '',
    npi: '1234567893',
    line1: '12 Main Street',
    line2: '',
    city: 'Boston',
    state: 'MA',
    zip: '02134',
    zip4: '1234',
    phone: '6175550123',
  };
}

describe('corruption operators', () => {
  it('offer about 80 formal names with their nicknames', () => {
    expect(NICKNAMES.length).toBeGreaterThanOrEqual(80);
    expect(findNicknames('William')).toContain('Bill');
    expect(findNicknames('Margaret')).toContain('Peggy');
    expect(findNicknames('Zyx')).toEqual([]);
  });

  it('make typos from neighbouring keys, swaps, drops and extra letters', () => {
    const rng = new Rng(1);
    expect(adjacentKeys('s')).toContain('a');
    expect(adjacentKeys('s')).toContain('d');
    for (let i = 0; i < 200; i++) {
      const sub = applyTypo('Johnson', 'substitution', rng);
      expect(sub.length).toBe(7);
      expect(sub).not.toBe('Johnson');
      expect(applyTypo('Johnson', 'deletion', rng).length).toBe(6);
      expect(applyTypo('Johnson', 'insertion', rng).length).toBe(8);
      const swapped = applyTypo('Johnson', 'transposition', rng);
      expect([...swapped.toLowerCase()].sort().join('')).toBe([...'johnson'].sort().join(''));
      expect(swapped).not.toBe('Johnson');
    }
  });

  it('change one NPI digit so that the check digit always fails', () => {
    const rng = new Rng(9);
    for (let i = 0; i < 2000; i++) {
      const bad = changeOneDigit('1234567893', rng);
      expect(bad[0]).toBe('1');
      expect(computeNpiCheckDigit(bad.slice(0, 9)) === Number(bad[9])).toBe(false);
    }
  });

  it('label every applied operator and skip those that do not apply', () => {
    const rng = new Rng(4);
    const ctx = { rng, population, formatPhone: (p: string) => p };
    const d = draft();
    const labels: string[] = [];
    applyCorruptions(d, ['nickname', 'suffix-dropped', 'missing-npi', 'middle-abbreviated'], 'content', ctx, labels);
    applyCorruptions(d, ['zip-leading-zero-lost', 'phone-format'], 'surface', ctx, labels);
    expect(labels).toEqual(['nickname', 'suffix-dropped', 'missing-npi', 'middle-abbreviated', 'zip-leading-zero-lost', 'phone-format']);
    expect(['Bill', 'Will', 'Billy']).toContain(d.firstName);
    expect(d).toMatchObject({ suffix: '', npi: '', zip: '2134' });
    expect(d.middleName).toMatch(/^R\.?$/);
    expect(d.phone).not.toBe('6175550123');
    expect(d.phone.replace(/\D/g, '')).toMatch(/6175550123$/);

    const plain = { ...draft(), middleName: '', suffix: '', zip: '60601' };
    const none: string[] = [];
    applyCorruptions(plain, ['middle-missing', 'suffix-dropped'], 'content', ctx, none);
    applyCorruptions(plain, ['zip-leading-zero-lost'], 'surface', ctx, none);
    expect(none).toEqual([]);
  });

  it('corrupt about the requested share of rows', () => {
    const rng = new Rng(8);
    let corrupted = 0;
    for (let i = 0; i < 4000; i++) if (chooseCorruptions(rng, { typo: 1, nickname: 1 }, draft(), 0.3).length > 0) corrupted++;
    expect(corrupted / 4000).toBeGreaterThan(0.27);
    expect(corrupted / 4000).toBeLessThan(0.33);
  });
});

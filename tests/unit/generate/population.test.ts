import { describe, expect, it } from 'vitest';
import { generatePopulation, TRAP_BLOCK_SIZE, type Physician } from '../../../src/generate/index.js';
import { STATES } from '../../../src/generate/reference-data.js';
import { computeDeaCheckDigit } from '../../../src/model/identifiers/dea.js';
import { computeNpiCheckDigit } from '../../../src/model/identifiers/npi.js';
import { normalizeHin } from '../../../src/model/identifiers/hin.js';
import { normalizeMeNumber } from '../../../src/model/identifiers/me-number.js';

const population = generatePopulation({ seed: 7, physicians: 1000, organizations: 80 });
const physicians: Physician[] = [...population.physicians()];

function isValidNpi(npi: string): boolean {
  return /^[12]\d{9}$/.test(npi) && computeNpiCheckDigit(npi.slice(0, 9)) === Number(npi[9]);
}

function isValidDea(dea: string): boolean {
  return /^[A-Z][A-Z9]\d{7}$/.test(dea) && computeDeaCheckDigit(dea.slice(2, 8)) === Number(dea[8]);
}

describe('generatePopulation', () => {
  it('gives every physician and organization a valid, unique NPI', () => {
    const npis = [...physicians.map((p) => p.npi), ...population.organizations.map((o) => o.npi)];
    expect(npis.every(isValidNpi)).toBe(true);
    expect(new Set(npis).size).toBe(npis.length);
  });

  it('gives valid DEA numbers whose second letter is the registered last-name initial', () => {
    const withDea = physicians.filter((p) => p.dea !== '');
    expect(withDea.length).toBeGreaterThan(700);
    for (const p of withDea) {
      expect(isValidDea(p.dea)).toBe(true);
      // A married physician's registration keeps the initial of the name she registered under.
      expect(p.dea[1]).toBe((p.maidenName || p.lastName).replace(/[^A-Za-z]/g, '')[0]?.toUpperCase());
    }
    expect(new Set(withDea.map((p) => p.dea)).size).toBe(withDea.length);
  });

  it('gives business DEAs the first letter of the business name or 9', () => {
    const withDea = population.organizations.filter((o) => o.dea !== '');
    expect(withDea.length).toBeGreaterThan(30);
    for (const o of withDea) {
      expect(isValidDea(o.dea)).toBe(true);
      expect(['9', o.name.replace(/[^A-Za-z]/g, '')[0]?.toUpperCase()]).toContain(o.dea[1]);
    }
  });

  it('gives MDs and DOs an 11-digit ME number, and organizations a 9-character HIN', () => {
    for (const p of physicians) {
      if (p.credentials === 'MD' || p.credentials === 'DO') {
        expect(p.meNumber).toMatch(/^\d{11}$/);
        expect(normalizeMeNumber(p.meNumber).ok).toBe(true);
      } else {
        expect(p.meNumber).toBe('');
      }
    }
    for (const o of population.organizations) expect(normalizeHin(o.hin)).toEqual({ ok: true, value: o.hin });
  });

  it('writes ZIP codes inside the real prefix ranges of the address state', () => {
    const ranges = new Map(STATES.map((s) => [s.code, s.zip3]));
    for (const { address } of [...physicians, ...population.organizations]) {
      expect(address.zip).toMatch(/^\d{5}$/);
      const zip3 = Number(address.zip.slice(0, 3));
      expect(ranges.get(address.state)?.some(([lo, hi]) => zip3 >= lo && zip3 <= hi)).toBe(true);
    }
  });

  it('affiliates each physician to an organization, mostly in the same city', () => {
    const sameCity = physicians.filter((p) => population.organizations[p.organizationIndex]?.address.city === p.address.city);
    expect(physicians.every((p) => population.organizations[p.organizationIndex]?.entityId === p.organizationId)).toBe(true);
    expect(sameCity.length / physicians.length).toBeGreaterThan(0.7);
  });

  it('places a father and son with SR/JR suffixes at one address, with different NPIs, in every block', () => {
    const fathers = physicians.filter((p) => p.trap === 'father');
    expect(fathers.length).toBe(1000 / TRAP_BLOCK_SIZE);
    for (const father of fathers) {
      const son = physicians[father.index + 1] as Physician;
      expect(son.trap).toBe('son');
      expect([father.suffix, son.suffix]).toEqual(['SR', 'JR']);
      expect([son.firstName, son.lastName]).toEqual([father.firstName, father.lastName]);
      expect(son.address).toEqual(father.address);
      expect(son.npi).not.toBe(father.npi);
      expect(son.birthYear - father.birthYear).toBeGreaterThanOrEqual(25);
      expect(son.birthYear - father.birthYear).toBeLessThanOrEqual(33);
    }
  });

  it('places two different people with the same common name in one city', () => {
    const pairs = physicians.filter((p) => p.trap === 'namesake' && p.relatedEntityId > p.entityId);
    expect(pairs.length).toBe(1000 / TRAP_BLOCK_SIZE);
    for (const a of pairs) {
      const b = physicians[a.index + 1] as Physician;
      expect(`${b.firstName} ${b.lastName}`).toBe(`${a.firstName} ${a.lastName}`);
      expect([b.address.city, b.address.state]).toEqual([a.address.city, a.address.state]);
      expect(b.npi).not.toBe(a.npi);
      expect(b.specialty).not.toBe(a.specialty);
    }
  });

  it('records a maiden name for married physicians', () => {
    const married = physicians.filter((p) => p.trap === 'married');
    expect(married.length).toBe(1000 / TRAP_BLOCK_SIZE);
    for (const p of married) {
      expect(p.gender).toBe('F');
      expect(p.maidenName).not.toBe('');
      expect(p.maidenName).not.toBe(p.lastName);
    }
    expect(physicians.filter((p) => p.trap !== 'married').every((p) => p.maidenName === '')).toBe(true);
  });

  it('rebuilds the same physician on every call', () => {
    expect(population.physicianAt(123)).toEqual(population.physicianAt(123));
    expect(generatePopulation({ seed: 7, physicians: 1000, organizations: 80 }).physicianAt(999)).toEqual(physicians[999]);
  });
});

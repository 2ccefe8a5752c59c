import { describe, expect, it } from 'vitest';
import {
  AMBIGUOUS_DISTINCT_KINDS,
  AMBIGUOUS_DUPLICATE_KINDS,
  generatePopulation,
  isAmbiguousDuplicate,
  renderNppes,
  renderVeevaCrm,
  VEEVA_CRM_COLUMNS,
  type Physician,
} from '../../../src/generate/index.js';

const population = generatePopulation({ seed: 11, physicians: 1000, organizations: 80, ambiguousRate: 0.28 });
const physicians: Physician[] = [...population.physicians()];
const byId = new Map(physicians.map((p) => [p.entityId, p]));
const column = (name: (typeof VEEVA_CRM_COLUMNS)[number]): number => VEEVA_CRM_COLUMNS.indexOf(name);

describe('ambiguous pairs in the population', () => {
  it('are off by default and leave the population as it was', () => {
    const plain = generatePopulation({ seed: 11, physicians: 200, organizations: 80 });
    expect([...plain.physicians()].every((p) => p.ambiguous === null)).toBe(true);
    expect(plain.ambiguousRate).toBe(0);
  });

  it('rejects a rate outside 0..0.88', () => {
    expect(() => generatePopulation({ seed: 1, physicians: 10, ambiguousRate: 0.9 })).toThrow(RangeError);
    expect(() => generatePopulation({ seed: 1, physicians: 10, ambiguousRate: -0.1 })).toThrow(RangeError);
  });

  it('places whole pairs per block of 50, never on a father, son, namesake or married position, with every kind', () => {
    const subjects = physicians.filter((p) => p.ambiguous?.role === 'subject');
    expect(population.ambiguousRate).toBeCloseTo(0.28);
    expect(subjects.length).toBe(7 * 20);
    expect(physicians.filter((p) => p.ambiguous !== null).every((p) => p.trap === '')).toBe(true);
    expect(physicians.filter((p) => p.trap !== '').length).toBe(5 * 20);
    expect(new Set(subjects.map((p) => p.ambiguous?.kind))).toEqual(new Set([...AMBIGUOUS_DUPLICATE_KINDS, ...AMBIGUOUS_DISTINCT_KINDS]));
    const duplicates = subjects.filter((p) => isAmbiguousDuplicate(p.ambiguous!.kind)).length;
    expect(duplicates / subjects.length).toBeGreaterThan(0.6);
  });

  it('builds each distinct pair as two people who are hard to tell apart', () => {
    const partners = physicians.filter((p) => p.ambiguous?.role === 'partner');
    expect(partners.length).toBeGreaterThan(20);
    for (const partner of partners) {
      const subject = byId.get(partner.relatedEntityId) as Physician;
      expect(subject.relatedEntityId).toBe(partner.entityId);
      expect(subject.ambiguous?.kind).toBe(partner.ambiguous?.kind);
      expect(subject.npi).not.toBe(partner.npi);
      expect(partner.lastName).toBe(subject.lastName);
      expect(partner.address.city).toBe(subject.address.city);
      expect(partner.specialty.taxonomy).not.toBe(subject.specialty.taxonomy);
      switch (partner.ambiguous?.kind) {
        case 'junior-senior':
          expect([subject.suffix, partner.suffix]).toEqual(['SR', 'JR']);
          expect(partner.firstName).toBe(subject.firstName);
          expect(partner.address.zip).toBe(subject.address.zip);
          expect(partner.birthYear - subject.birthYear).toBeGreaterThanOrEqual(25);
          break;
        case 'twins':
          expect(partner.firstName).not.toBe(subject.firstName);
          expect(partner.birthYear).toBe(subject.birthYear);
          expect(partner.address).toEqual(subject.address);
          expect(partner.phone).toBe(subject.phone);
          break;
        case 'namesake-specialty':
          expect(partner.firstName).toBe(subject.firstName);
          expect(partner.address.line1).not.toBe(subject.address.line1);
          break;
        default:
          throw new Error(`a ${partner.ambiguous?.kind} pair has no partner`);
      }
    }
  });
});

describe('ambiguous pairs in the sources', () => {
  const crm = [...renderVeevaCrm(population)].filter((r) => r.entityType === 'hcp');
  const nppes = [...renderNppes(population)].filter((r) => r.entityType === 'hcp');

  it('give each duplicate subject a second CRM account without identifiers, labelled in the truth', () => {
    const subjects = physicians.filter((p) => p.ambiguous?.role === 'subject' && isAmbiguousDuplicate(p.ambiguous.kind));
    for (const p of subjects) {
      const rows = crm.filter((r) => r.entityId === p.entityId);
      const second = rows.find((r) => r.corruptions.includes(`trap:${p.ambiguous!.kind}`));
      expect(second).toBeDefined();
      expect(rows.filter((r) => r !== second).every((r) => r.sourceId !== second!.sourceId)).toBe(true);
      for (const name of ['NPI_vod__c', 'ME__c', 'DEA_vod__c', 'License_vod__c', 'PersonEmail'] as const) expect(second!.values[column(name)]).toBe('');
      const first = second!.values[column('FirstName')];
      const last = second!.values[column('LastName')];
      switch (p.ambiguous!.kind) {
        case 'nickname-moved':
          expect(first).not.toBe(p.firstName);
          expect(first?.[0]).toBe(p.firstName[0]);
          expect(second!.values[column('Address_Line_1__c')]).not.toBe(p.address.line1);
          break;
        case 'typo-no-npi':
          expect(last).not.toBe(p.lastName);
          break;
        case 'swapped-no-npi':
          expect([first, last]).toEqual([p.lastName, p.firstName]);
          break;
        case 'former-name':
          expect(last).toBe(p.ambiguous!.formerLastName);
          expect(first).toBe(p.firstName);
          break;
      }
      // The registry has the subject, so the second account has a record to be compared with.
      expect(nppes.some((r) => r.entityId === p.entityId)).toBe(true);
    }
    expect(new Set(crm.map((r) => r.sourceId)).size).toBe(crm.length);
  });

  it('keep a distinct pair\'s partner out of the registry and in the CRM without NPI or suffix', () => {
    for (const p of physicians.filter((x) => x.ambiguous?.role === 'partner' && !isAmbiguousDuplicate(x.ambiguous.kind))) {
      expect(nppes.some((r) => r.entityId === p.entityId)).toBe(false);
      const rows = crm.filter((r) => r.entityId === p.entityId);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.corruptions).toContain(`trap:${p.ambiguous!.kind}`);
      expect(rows[0]!.values[column('NPI_vod__c')]).toBe('');
      expect(rows[0]!.values[column('Suffix_vod__c')]).toBe('');
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { GoldenValueSchema } from '../../../src/model/golden-record.js';
import { computeGoldenAttributes, explainAttribute, goldenToEntity, requireSurvivorshipConfig } from '../../../src/survivorship/index.js';
import { hco, hcp } from './members.js';

const PHYSICIAN = requireSurvivorshipConfig('mappings/survivorship/physician.yaml');
const ORGANIZATION = requireSurvivorshipConfig('mappings/survivorship/organization.yaml');

const MEMBERS = [
  hcp(11, 'nppes', 2, {
    firstName: 'JOHN', middleName: 'A', lastName: 'SMITH', credentials: ['MD'], gender: 'M',
    identifiers: [{ type: 'npi', value: '1234567893' }], addresses: [{ line1: '100 MAIN ST', zip5: '10001', primary: true }],
  }),
  hcp(12, 'veeva-crm', 9, {
    firstName: 'John', middleName: 'Alan', lastName: 'Smith', credentials: ['MD', 'FACC'], specialties: ['CARDIOLOGY'],
    identifiers: [{ type: 'npi', value: '1234567893' }, { type: 'salesforce_id', issuer: 'veeva-crm', value: '001A000001AbCdE' }],
    contactPoints: [{ kind: 'email', value: 'jsmith@clinic.org', primary: true }],
    consents: [{ channel: 'email', status: 'opted_in' }],
  }),
  hcp(13, 'xponent', 5, { firstName: 'Jon', lastName: 'Smith', consents: [{ channel: 'pdrp', status: 'opted_out' }] }),
];

describe('computeGoldenAttributes with the shipped configs', () => {
  it('builds a physician with a lineage on every attribute, each a valid golden value', () => {
    const golden = computeGoldenAttributes('hcp', MEMBERS, PHYSICIAN);
    for (const value of Object.values(golden)) expect(GoldenValueSchema.safeParse(value).success).toBe(true);
    const entity = goldenToEntity(golden, 'hcp');
    expect(entity).toMatchObject({ firstName: 'John', middleName: 'Alan', lastName: 'Smith', credentials: ['MD', 'FACC'], specialties: ['CARDIOLOGY'] });
    expect(entity.identifiers.map((i) => i.type)).toEqual(['npi', 'salesforce_id']);
    expect(entity.consents).toEqual([{ channel: 'email', status: 'opted_in' }, { channel: 'pdrp', status: 'opted_out' }]);
    expect(golden.firstName?.lineage).toMatchObject({ sourceRecordId: 11, rule: 'source_ranking' });
    expect(Object.keys(golden)).not.toContain('birthYear');
  });

  it('is the same for any order of the members', () => {
    const expected = computeGoldenAttributes('hcp', MEMBERS, PHYSICIAN);
    fc.assert(
      fc.property(fc.shuffledSubarray(MEMBERS, { minLength: MEMBERS.length, maxLength: MEMBERS.length }), (order) => {
        expect(computeGoldenAttributes('hcp', order, PHYSICIAN)).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });

  it('builds an organization from organization members', () => {
    const members = [
      hco(1, 'erp', 1, { name: 'GENERAL HOSPITAL', otherNames: ['GH'], attributes: { creditBlock: true } }),
      hco(2, 'nppes', 1, { name: 'General Hospital', type: 'hospital', identifiers: [{ type: 'hin', value: 'A1B2C3D4E' }] }),
    ];
    const entity = goldenToEntity(computeGoldenAttributes('hco', members, ORGANIZATION), 'hco');
    expect(entity).toMatchObject({ name: 'General Hospital', type: 'hospital', otherNames: ['GH'], attributes: { creditBlock: true } });
  });

  it('refuses a config written for the other entity type', () => {
    expect(() => computeGoldenAttributes('hco', [], PHYSICIAN)).toThrow(ConfigError);
  });

  it('gives an empty record for no members', () => {
    expect(computeGoldenAttributes('hcp', [], PHYSICIAN)).toEqual({});
    expect(goldenToEntity({}, 'hcp')).toMatchObject({ identifiers: [], status: 'active' });
  });
});

describe('explainAttribute', () => {
  it('says what won, from where, by which rule, and what it beat', () => {
    const golden = computeGoldenAttributes('hcp', MEMBERS, PHYSICIAN);
    const explained = explainAttribute(golden, 'firstName');
    expect(explained).toMatchObject({ attribute: 'firstName', value: 'John', from: 'nppes/npi #11', rule: 'source_ranking', ruleLabel: 'source ranking' });
    expect(explained?.competitors.map((c) => [c.display, c.from])).toEqual([['Jon', 'xponent/accounts #13']]);
    expect(explained?.summary).toBe('firstName = John, from nppes/npi #11 by source ranking; beat Jon (xponent/accounts #13, source ranking)');
    expect(explainAttribute(golden, 'birthYear')).toBeUndefined();
  });

  it('lists each item of a merged list with the members that carried it', () => {
    const explained = explainAttribute(computeGoldenAttributes('hcp', MEMBERS, PHYSICIAN), 'identifiers');
    expect(explained?.items?.map((i) => [i.display, i.primary, i.carriedBy])).toEqual([
      ['npi 1234567893', true, ['nppes/npi #11', 'veeva-crm/accounts #12']],
      ['salesforce_id (veeva-crm) 001A000001AbCdE', undefined, ['veeva-crm/accounts #12']],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Identifier, IdentifierSchema } from '../../../src/model/identifier.js';
import { computeGoldenAttributes, goldenToEntity } from '../../../src/survivorship/index.js';
import { config, hcp, permutations } from './members.js';

const CONFIG = config(`
entity: hcp
sources: [nppes, veeva-crm, xponent]
attributes:
  credentials: { rules: [union], primary: [source_ranking] }
  identifiers:
    rules: [union]
    primary: [validated_wins, source_ranking, most_frequent, most_recent]
    singleValuedTypes: [npi]
  addresses: { rules: [union], primary: [source_ranking, most_recent] }
  contactPoints: { rules: [union], primary: [source_ranking], sources: [veeva-crm, nppes] }
  affiliations: { rules: [union], primary: [most_recent] }
`);

const npi = (value: string, extra: Partial<z.input<typeof IdentifierSchema>> = {}) => ({ type: 'npi' as const, value, ...extra });

describe('union of identifiers', () => {
  it('dedupes identifiers across sources and keeps the lineage of every member that carried each', () => {
    const members = [
      hcp(1, 'nppes', 1, { identifiers: [npi('1234567893', { status: 'active' })] }),
      hcp(2, 'veeva-crm', 2, { identifiers: [npi(' 1234567893 '), { type: 'salesforce_id', issuer: 'veeva-crm', value: '001A000001' }] }),
      hcp(3, 'xponent', 3, { identifiers: [npi('1234567893'), { type: 'dea', value: 'AS1234563' }] }),
    ];
    const golden = computeGoldenAttributes('hcp', members, CONFIG).identifiers;
    expect(golden?.lineage.rule).toBe('union');
    expect(golden?.items?.map((i) => [(i.value as Identifier).type, i.lineage.sourceRecordId, i.carriedBy.map((l) => l.sourceRecordId)])).toEqual([
      ['npi', 1, [1, 2, 3]],
      ['salesforce_id', 2, [2]],
      ['dea', 3, [3]],
    ]);
    // The NPPES copy (status active) is shown; the CRM copy differs in status and is listed as competing.
    expect(golden?.items?.[0]?.value).toMatchObject({ value: '1234567893', status: 'active' });
    expect(golden?.items?.[0]?.primary).toBe(true);
    expect(golden?.competing.map((c) => c.lineage.sourceRecordId)).toEqual([2, 3]);
  });

  it('a valid NPI beats an invalid one even from a lower-ranked source', () => {
    const members = [hcp(1, 'nppes', 9, { identifiers: [npi('1234567890', { valid: false })] }), hcp(2, 'xponent', 1, { identifiers: [npi('1234567893')] })];
    const golden = computeGoldenAttributes('hcp', members, CONFIG).identifiers;
    expect(golden?.items?.map((i) => [(i.value as Identifier).value, i.primary])).toEqual([
      ['1234567893', true],
      ['1234567890', false],
    ]);
    expect(goldenToEntity(computeGoldenAttributes('hcp', members, CONFIG), 'hcp').identifiers.find((i) => i.type === 'npi')?.value).toBe('1234567893');
  });

  it('keeps conflicting values of a single-valued type, the ranked one first and primary', () => {
    const members = [hcp(1, 'veeva-crm', 1, { identifiers: [npi('1111111112')] }), hcp(2, 'nppes', 1, { identifiers: [npi('1234567893')] })];
    const golden = computeGoldenAttributes('hcp', members, CONFIG).identifiers;
    expect(golden?.value).toEqual([expect.objectContaining({ value: '1234567893' }), expect.objectContaining({ value: '1111111112' })]);
    expect(golden?.items?.map((i) => i.primary)).toEqual([true, false]);
  });

  it('treats a state license of another state as another identifier', () => {
    const members = [
      hcp(1, 'nppes', 1, { identifiers: [{ type: 'state_license', issuer: 'NY', value: '123456' }] }),
      hcp(2, 'veeva-crm', 1, { identifiers: [{ type: 'state_license', issuer: 'NJ', value: '123456' }, { type: 'state_license', issuer: 'ny', value: '123456' }] }),
    ];
    const golden = computeGoldenAttributes('hcp', members, CONFIG).identifiers;
    expect(golden?.items?.map((i) => [(i.value as Identifier).issuer, i.carriedBy.length, i.primary])).toEqual([
      ['NY', 2, undefined],
      ['NJ', 1, undefined],
    ]);
  });
});

describe('union of addresses, contact points, affiliations and codes', () => {
  it('dedupes addresses on normalized line 1 and ZIP5 and marks one primary', () => {
    const members = [
      hcp(1, 'veeva-crm', 5, { addresses: [{ line1: '100 MAIN ST.', zip5: '10001', city: 'NEW YORK', primary: true }, { line1: '9 ELM AVE', zip5: '10002' }] }),
      hcp(2, 'nppes', 1, { addresses: [{ line1: '100 Main St', zip5: '10001', zip4: '1234' }, { line1: '7 OAK RD', zip5: '10003', primary: true }] }),
    ];
    const golden = computeGoldenAttributes('hcp', members, CONFIG).addresses;
    const shown = golden?.items?.map((i) => [(i.value as { line1: string }).line1, i.primary, i.carriedBy.map((l) => l.sourceRecordId)]);
    expect(shown).toEqual([
      ['7 OAK RD', true, [2]],
      ['100 Main St', false, [1, 2]],
      ['9 ELM AVE', false, [1]],
    ]);
    const entity = goldenToEntity(computeGoldenAttributes('hcp', members, CONFIG), 'hcp');
    expect(entity.addresses.filter((a) => a.primary)).toHaveLength(1);
  });

  it('dedupes contact points on kind and value with one primary per kind', () => {
    const members = [
      hcp(1, 'nppes', 1, { contactPoints: [{ kind: 'phone', value: '+12125550100' }, { kind: 'email', value: 'J.Smith@Clinic.org' }] }),
      hcp(2, 'veeva-crm', 1, { contactPoints: [{ kind: 'email', value: 'j.smith@clinic.org' }, { kind: 'email', value: 'john@home.net' }, { kind: 'phone', value: '+12125550199' }] }),
    ];
    const golden = computeGoldenAttributes('hcp', members, CONFIG).contactPoints;
    const rows = golden?.items?.map((i) => [(i.value as { kind: string; value: string }).value.toLowerCase(), i.primary]);
    expect(rows).toHaveLength(4);
    expect(rows?.filter(([, primary]) => primary)).toEqual([
      ['j.smith@clinic.org', true],
      ['+12125550199', true],
    ]);
  });

  it('dedupes affiliations on the organization identifier', () => {
    const org = { identifier: { type: 'hin' as const, value: 'A1B2C3D4E' } };
    const members = [
      hcp(1, 'veeva-crm', 1, { affiliations: [{ organization: { ...org, name: 'General Hospital' }, role: 'attending' }] }),
      hcp(2, 'xponent', 4, { affiliations: [{ organization: { ...org, name: 'GENERAL HOSP' } }, { organization: { name: 'Elm Clinic' } }] }),
    ];
    const golden = computeGoldenAttributes('hcp', members, CONFIG).affiliations;
    expect(golden?.items?.map((i) => [i.carriedBy.map((l) => l.sourceRecordId), i.primary])).toEqual([
      [[1, 2], true],
      [[2], false],
    ]);
    expect(golden?.items?.[0]?.lineage.sourceRecordId).toBe(2);
  });

  it('merges credentials from every member in the order of the most trusted source', () => {
    const members = [hcp(1, 'xponent', 1, { credentials: ['MD', 'PHD'] }), hcp(2, 'nppes', 1, { credentials: ['M.D.', 'FACC'] })];
    const golden = computeGoldenAttributes('hcp', members, CONFIG).credentials;
    expect(golden?.value).toEqual(['M.D.', 'FACC', 'PHD']);
    expect(golden?.items?.[0]?.carriedBy.map((l) => l.sourceRecordId)).toEqual([1, 2]);
  });

  it('gives the same lists for every order of the members', () => {
    const members = [
      hcp(1, 'nppes', 1, { identifiers: [npi('1234567893')], addresses: [{ line1: '1 A ST', zip5: '10001' }] }),
      hcp(2, 'veeva-crm', 2, { identifiers: [npi('1111111112')], addresses: [{ line1: '1 A ST', zip5: '10001', zip4: '0001' }, { line1: '2 B ST', zip5: '10001' }] }),
      hcp(3, 'veeva-crm', 2, { identifiers: [npi('1234567893', { status: 'inactive' })], contactPoints: [{ kind: 'phone', value: '+12125550100' }] }),
    ];
    const expected = computeGoldenAttributes('hcp', members, CONFIG);
    for (const order of permutations(members)) expect(computeGoldenAttributes('hcp', order, CONFIG)).toEqual(expected);
  });
});

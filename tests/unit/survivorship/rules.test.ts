import { describe, expect, it } from 'vitest';
import { computeGoldenAttributes } from '../../../src/survivorship/index.js';
import { config, hcp, permutations } from './members.js';

const RANKED = config(`
entity: hcp
sources: [nppes, veeva-crm, xponent]
default: { rules: [source_ranking, most_recent] }
attributes:
  firstName: { rules: [source_ranking] }
  lastName: { rules: [most_frequent, source_ranking] }
  middleName: { rules: [most_complete, source_ranking] }
  suffix: { rules: [most_recent] }
  gender: { rules: [most_frequent, most_recent] }
  preferredName:
    rules: [source_ranking]
    sources: [veeva-crm, nppes]
`);

describe('single-value rules', () => {
  it('source_ranking takes the value of the most trusted connector', () => {
    const golden = computeGoldenAttributes('hcp', [hcp(1, 'veeva-crm', 9, { firstName: 'Jon' }), hcp(2, 'nppes', 1, { firstName: 'John' })], RANKED);
    expect(golden.firstName?.value).toBe('John');
    expect(golden.firstName?.lineage).toEqual({ sourceRecordId: 2, connector: 'nppes', stream: 'npi', rule: 'source_ranking', at: '2025-01-01T00:00:00.000Z' });
    expect(golden.firstName?.competing).toEqual([{ value: 'Jon', lineage: expect.objectContaining({ sourceRecordId: 1, rule: 'source_ranking' }) }]);
  });

  it('source_ranking ranks connectors the config does not list below every listed one', () => {
    const golden = computeGoldenAttributes('hcp', [hcp(1, 'homegrown', 9, { firstName: 'Jon' }), hcp(2, 'xponent', 1, { firstName: 'John' })], RANKED);
    expect(golden.firstName?.value).toBe('John');
  });

  it('an attribute with its own sources ranks by them instead of the top-level order', () => {
    const golden = computeGoldenAttributes('hcp', [hcp(1, 'nppes', 1, { preferredName: 'Robert' }), hcp(2, 'veeva-crm', 1, { preferredName: 'Bob' })], RANKED);
    expect(golden.preferredName?.value).toBe('Bob');
  });

  it('most_recent takes the value of the latest received record', () => {
    const golden = computeGoldenAttributes('hcp', [hcp(1, 'nppes', 3, { suffix: 'JR' }), hcp(2, 'xponent', 7, { suffix: 'III' }), hcp(3, 'veeva-crm', 5, { suffix: 'SR' })], RANKED);
    expect(golden.suffix?.value).toBe('III');
    expect(golden.suffix?.lineage.rule).toBe('most_recent');
  });

  it('most_frequent takes the value most members agree on, counting SMITH and Smith as one value', () => {
    const members = [hcp(1, 'nppes', 1, { lastName: 'Smyth' }), hcp(2, 'veeva-crm', 1, { lastName: 'SMITH' }), hcp(3, 'xponent', 1, { lastName: 'Smith' })];
    const golden = computeGoldenAttributes('hcp', members, RANKED);
    expect(golden.lastName?.value).toBe('Smith');
    expect(golden.lastName?.lineage.rule).toBe('most_frequent');
    expect(golden.lastName?.competing.map((c) => c.value)).toEqual(['Smyth']);
  });

  it('displays the winner in mixed case even when the member that settled it wrote ALL CAPS', () => {
    const members = [hcp(1, 'veeva-crm', 1, { lastName: 'McDonald' }), hcp(2, 'nppes', 1, { lastName: 'MCDONALD' })];
    const golden = computeGoldenAttributes('hcp', members, RANKED);
    expect(golden.lastName?.value).toBe('McDonald');
    expect(golden.lastName?.lineage).toMatchObject({ connector: 'nppes', rule: 'agreement' });
  });

  it('most_frequent breaks a tie with the next rule', () => {
    const members = [hcp(1, 'xponent', 1, { lastName: 'Smith' }), hcp(2, 'nppes', 1, { lastName: 'Smyth' })];
    const golden = computeGoldenAttributes('hcp', members, RANKED);
    expect(golden.lastName?.value).toBe('Smyth');
    expect(golden.lastName?.lineage.rule).toBe('source_ranking');
    expect(golden.lastName?.competing[0]?.lineage.rule).toBe('source_ranking');
  });

  it('most_complete prefers a full middle name to an initial, whoever sent it', () => {
    const members = [hcp(1, 'nppes', 1, { middleName: 'A.' }), hcp(2, 'xponent', 1, { middleName: 'Alan' })];
    const golden = computeGoldenAttributes('hcp', members, RANKED);
    expect(golden.middleName?.value).toBe('Alan');
    expect(golden.middleName?.lineage.rule).toBe('most_complete');
  });

  it('falls back along the rule list until one value is left', () => {
    // Gender: two votes each, so most_frequent ties and most_recent decides.
    const members = [hcp(1, 'nppes', 1, { gender: 'M' }), hcp(2, 'veeva-crm', 2, { gender: 'F' }), hcp(3, 'xponent', 3, { gender: 'M' }), hcp(4, 'veeva-crm', 9, { gender: 'F' })];
    const golden = computeGoldenAttributes('hcp', members, RANKED);
    expect(golden.gender).toMatchObject({ value: 'F', lineage: { sourceRecordId: 4, rule: 'most_recent' } });
  });

  it('settles a tie the rules leave by the lowest source record id', () => {
    const members = [hcp(8, 'veeva-crm', 4, { suffix: 'JR' }), hcp(5, 'veeva-crm', 4, { suffix: 'SR' })];
    const golden = computeGoldenAttributes('hcp', members, RANKED);
    expect(golden.suffix).toMatchObject({ value: 'SR', lineage: { sourceRecordId: 5, rule: 'tie_break' } });
    expect(golden.suffix?.competing[0]?.lineage.rule).toBe('tie_break');
  });

  it('names the lineage only_value when a single member knows the attribute and ignores members with no value', () => {
    const golden = computeGoldenAttributes('hcp', [hcp(1, 'nppes', 1, { firstName: '  ' }), hcp(2, 'xponent', 1, { firstName: 'Ann' })], RANKED);
    expect(golden.firstName).toEqual({ value: 'Ann', lineage: expect.objectContaining({ sourceRecordId: 2, rule: 'only_value' }), competing: [] });
    expect(golden.birthYear).toBeUndefined();
  });

  it('gives the same golden record for every order of the members', () => {
    const members = [
      hcp(1, 'nppes', 1, { firstName: 'JOHN', lastName: 'SMITH', middleName: 'A', gender: 'M', credentials: ['MD'] }),
      hcp(2, 'veeva-crm', 5, { firstName: 'John', lastName: 'Smith', middleName: 'Alan', gender: 'M', suffix: 'JR', credentials: ['MD', 'PHD'] }),
      hcp(3, 'veeva-crm', 5, { firstName: 'Jon', lastName: 'Smyth', suffix: 'SR', gender: 'F' }),
      hcp(4, 'xponent', 3, { firstName: 'J', lastName: 'Smith', preferredName: 'Jack' }),
    ];
    const expected = computeGoldenAttributes('hcp', members, RANKED);
    for (const order of permutations(members)) expect(computeGoldenAttributes('hcp', order, RANKED)).toEqual(expected);
  });
});

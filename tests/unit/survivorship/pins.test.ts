import { describe, expect, it } from 'vitest';
import { computeGoldenAttributes, goldenToEntity, validateStewardPin } from '../../../src/survivorship/index.js';
import { config, hcp } from './members.js';

const CONFIG = config('entity: hcp\nsources: [nppes, veeva-crm]\n');
const MEMBERS = [hcp(1, 'nppes', 1, { lastName: 'Smith' }), hcp(2, 'veeva-crm', 9, { lastName: 'Smyth' })];

describe('steward pins', () => {
  it('a pin overrides every rule and carries pinnedBy', () => {
    const golden = computeGoldenAttributes('hcp', MEMBERS, CONFIG, [{ attribute: 'lastName', value: 'Smith-Jones', by: 'jdoe', at: '2025-02-01T10:00:00Z', reason: 'married name' }]);
    expect(golden.lastName?.value).toBe('Smith-Jones');
    expect(golden.lastName?.lineage).toEqual({ rule: 'steward_pin', at: '2025-02-01T10:00:00Z', pinnedBy: 'jdoe' });
    expect(golden.lastName?.competing.map((c) => [c.value, c.lineage.rule])).toEqual([
      ['Smith', 'source_ranking'],
      ['Smyth', 'source_ranking'],
    ]);
  });

  it('the latest pin of an attribute holds, whatever order the pins come in', () => {
    const pins = [
      { attribute: 'firstName', value: 'Jack', by: 'amy', at: '2025-03-01T00:00:00Z' },
      { attribute: 'firstName', value: 'John', by: 'bob', at: '2025-02-01T00:00:00Z' },
    ];
    expect(computeGoldenAttributes('hcp', MEMBERS, CONFIG, pins).firstName?.value).toBe('Jack');
    expect(computeGoldenAttributes('hcp', MEMBERS, CONFIG, [...pins].reverse()).firstName?.value).toBe('Jack');
  });

  it('a pinned list replaces the merged list, each item with the pin lineage', () => {
    const pin = { attribute: 'consents', value: [{ channel: 'pdrp', status: 'opted_out' }], by: 'compliance', at: '2025-02-01T00:00:00Z' };
    const golden = computeGoldenAttributes('hcp', MEMBERS, CONFIG, [pin]);
    expect(golden.consents?.items?.[0]?.lineage.pinnedBy).toBe('compliance');
    expect(goldenToEntity(golden, 'hcp').consents).toEqual([{ channel: 'pdrp', status: 'opted_out' }]);
  });

  it('a pin whose value does not fit the attribute is not applied and shows as a rejected competitor', () => {
    const pin = { attribute: 'gender', value: 'Q', by: 'jdoe', at: '2025-02-01T00:00:00Z' };
    expect(validateStewardPin('hcp', pin)).toMatch(/does not fit `gender`/);
    expect(validateStewardPin('hcp', { ...pin, attribute: 'name' })).toMatch(/not an attribute of a physician/);
    const golden = computeGoldenAttributes('hcp', [hcp(1, 'nppes', 1, { gender: 'F' })], CONFIG, [pin]);
    expect(golden.gender?.value).toBe('F');
    expect(golden.gender?.competing).toEqual([{ value: 'Q', lineage: { rule: 'steward_pin_rejected', at: pin.at, pinnedBy: 'jdoe' } }]);
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dedupeRecords } from '../../../src/matching/dedupe.js';
import { createMatcher } from '../../../src/matching/matcher.js';
import { loadModel } from '../../../src/matching/model-schema.js';

const physician = loadModel(path.resolve(import.meta.dirname, '../../../mappings/matching/physician.yaml'));

const records = [
  { id: '1', first_name: 'William', last_name: 'Okafor', line1: '12 Elm St', city: 'Boston', state: 'MA', zip: '02110', phone: '617-555-0101' },
  { id: '2', first_name: 'Maria', last_name: 'Castillo', line1: '4 Oak Ave', city: 'Austin', state: 'TX', zip: '73301', phone: '512-555-0144' },
  { id: '3', first_name: 'Wilma', last_name: 'Okafor', line1: '90 Pine Rd', city: 'Denver', state: 'CO', zip: '80014', phone: '303-555-0199' },
];

describe('incremental matcher', () => {
  it('finds the right candidate with a waterfall explanation', () => {
    const matcher = createMatcher(physician, records);
    const found = matcher.matchRecord({ first_name: 'Bill', last_name: 'Okafor', line1: '12 Elm Street', city: 'Boston', state: 'MA', zip: '02110', phone: '(617) 555-0101' });
    expect(found[0]?.id).toBe('1');
    expect(found[0]?.decision).toBe('match');
    const steps = found[0]?.explanation?.steps ?? [];
    expect(steps.find((s) => s.comparison === 'first_name')?.label).toBe('nickname');
    expect(steps.find((s) => s.comparison === 'phone')?.label).toBe('exact');
    expect(found.some((c) => c.id === '2')).toBe(false);
  });

  it('sees records added and forgets records removed', () => {
    const matcher = createMatcher(physician, records);
    const probe = { first_name: 'Maria', last_name: 'Castilo', line1: '4 Oak Avenue', city: 'Austin', state: 'TX', zip: '73301' };
    expect(matcher.matchRecord(probe)[0]?.id).toBe('2');
    matcher.remove('2');
    expect(matcher.matchRecord(probe).some((c) => c.id === '2')).toBe(false);
    matcher.add({ first_name: 'Maria', last_name: 'Castillo', line1: '4 Oak Ave', city: 'Austin', state: 'TX', zip: '73301' }, '9');
    expect(matcher.matchRecord(probe)[0]?.id).toBe('9');
    expect(matcher.size).toBe(3);
  });

  it('scores a pair exactly as batch dedupe does', () => {
    const all = [...records, { id: '4', first_name: 'Bill', last_name: 'Okafor', line1: '12 Elm Street', city: 'Boston', state: 'MA', zip: '02110', phone: '6175550101' }];
    const batch = dedupeRecords({ model: physician, sources: [{ name: 'x', records: all }], train: false });
    const p = Array.from({ length: batch.pairs.length }, (_, i) => i).find(
      (i) => batch.store.ids[batch.pairs.left[i] as number] === '1' && batch.store.ids[batch.pairs.right[i] as number] === '4',
    ) as number;
    const matcher = createMatcher(physician, records);
    const hit = matcher.matchRecord(all[3] as Record<string, string>).find((c) => c.id === '1');
    expect(hit?.matchWeight).toBeCloseTo(batch.weights[p] as number, 9);
  });
});

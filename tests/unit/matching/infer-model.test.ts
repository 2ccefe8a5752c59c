import { describe, expect, it } from 'vitest';
import { inferModel } from '../../../src/matching/infer-model.js';

const columns = ['rec_id', 'given_name', 'surname', 'street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state', 'date_of_birth', 'soc_sec_id'];
const rows = [
  { rec_id: 'rec-1-org', given_name: 'mitchell', surname: 'green', street_number: '7', address_1: 'wallaby place', address_2: 'delmar', suburb: 'cleveland', postcode: '2119', state: 'sa', date_of_birth: '19560409', soc_sec_id: '1804974' },
  { rec_id: 'rec-1-dup-0', given_name: 'mitchel', surname: 'green', street_number: '7', address_1: 'wallaby pl', address_2: 'delmar', suburb: 'cleveland', postcode: '2119', state: 'sa', date_of_birth: '19560409', soc_sec_id: '1804974' },
  { rec_id: 'rec-2-org', given_name: 'harley', surname: 'mccarthy', street_number: '177', address_1: 'pridham street', address_2: 'milton', suburb: 'marsden', postcode: '3165', state: 'nsw', date_of_birth: '19080419', soc_sec_id: '6089216' },
];

describe('zero-config model inference', () => {
  it('recognises FEBRL-like columns and picks comparison types for each', () => {
    const { model, idColumn, profiles } = inferModel(columns, rows);
    expect(idColumn).toBe('rec_id');
    const role = Object.fromEntries(profiles.map((p) => [p.column, p.role]));
    expect(role).toMatchObject({
      given_name: 'given_name',
      surname: 'surname',
      street_number: 'street_number',
      address_1: 'address',
      suburb: 'city',
      postcode: 'postcode',
      state: 'state',
      date_of_birth: 'date',
      soc_sec_id: 'identifier',
    });
    const types = (name: string) => model.comparisons.find((c) => c.name === name)?.levels.map((l) => l.type) ?? [];
    expect(model.comparisons.some((c) => c.field === 'rec_id')).toBe(false);
    expect(types('given_name')).toEqual(expect.arrayContaining(['null', 'exact', 'swapped', 'nickname', 'jaro_winkler', 'double_metaphone', 'else']));
    expect(model.comparisons.find((c) => c.name === 'given_name')?.levels.find((l) => l.type === 'swapped')?.with).toBe('surname');
    expect(types('surname')).not.toContain('nickname');
    expect(types('date_of_birth')).toEqual(expect.arrayContaining(['date_typo', 'date_day_month_swap', 'date_year_month']));
    expect(types('soc_sec_id')).toEqual(['null', 'exact', 'levenshtein', 'levenshtein', 'else']);
    expect(types('address_1')).toContain('swapped');
    expect(types('state')).toEqual(['null', 'exact', 'else']);
    expect(model.comparisons.find((c) => c.name === 'given_name')?.levels[1]?.tf_adjust).toBe(true);
    expect(model.blocking.length).toBeGreaterThanOrEqual(4);
    expect(model.blocking.some((r) => r.keys.some((k) => k.field === 'soc_sec_id'))).toBe(true);
  });

  it('infers roles from values when the column names say nothing', () => {
    const data = Array.from({ length: 50 }, (_, i) => ({ a: `person${i}@example.com`, b: `2001-02-${String((i % 28) + 1).padStart(2, '0')}`, c: String(i % 3) }));
    const { profiles } = inferModel(['a', 'b', 'c'], data);
    expect(profiles.map((p) => p.role)).toEqual(['email', 'date', 'category']);
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRuleKeys, generateCandidatePairs, NO_KEY, PairIds, RuleKeys } from '../../../src/matching/blocking.js';
import { compileComparison } from '../../../src/matching/comparisons.js';
import { levenshtein, levenshteinWithin } from '../../../src/matching/comparators/levenshtein.js';
import { dedupeRecords } from '../../../src/matching/dedupe.js';
import { samplePairRows } from '../../../src/matching/em-training.js';
import { createMatcher } from '../../../src/matching/matcher.js';
import { loadModel, parseModel, type BlockingRule } from '../../../src/matching/model-schema.js';
import { RecordStore } from '../../../src/matching/record-store.js';
import { parseDelimited, phone10, stripCredentials, suffixCode, zip5 } from '../../../bench/lib/physician-sources.js';

const physician = loadModel(path.resolve(import.meta.dirname, '../../../mappings/matching/physician.yaml'));

function storeOf(fields: string[], rows: Record<string, string>[]): RecordStore {
  const store = new RecordStore(fields);
  rows.forEach((r, i) => store.add(String(i), r));
  return store;
}

describe('blocking at scale', () => {
  const rule: BlockingRule = { name: 'surname', keys: [{ field: 'last', fn: 'exact' }] };

  it('skips keys shared by more records than max_block_size and reports them', () => {
    const rows = [
      ...Array.from({ length: 6 }, () => ({ last: 'smith' })),
      { last: 'okafor' },
      { last: 'okafor' },
    ];
    const store = storeOf(['last'], rows);
    const res = generateCandidatePairs([{ ...rule, max_block_size: 5 }], store);
    expect(res.pairs.length).toBe(1); // okafor-okafor only
    const stat = res.stats[0]!;
    expect(stat.skippedBlocks).toBe(1);
    expect(stat.skippedRecords).toBe(6);
    expect(stat.skippedPairs).toBe(15);
    expect(stat.skippedKeys).toEqual([{ key: 'smith', records: 6 }]);
    expect(res.warnings).toHaveLength(1);
    expect(res.warnings[0]).toContain('"surname"');
    expect(res.warnings[0]).toContain('"smith" (6)');
  });

  it('applies a default cap to rules without their own, and none when it is Infinity', () => {
    const store = storeOf(['last'], Array.from({ length: 4 }, () => ({ last: 'smith' })));
    expect(generateCandidatePairs([rule], store, { maxBlockSize: 3 }).pairs.length).toBe(0);
    expect(generateCandidatePairs([rule], store, { maxBlockSize: Number.POSITIVE_INFINITY }).pairs.length).toBe(6);
    expect(generateCandidatePairs([rule], store).warnings).toEqual([]);
  });

  it('dedupe passes the skipped keys on as warnings', () => {
    const records = Array.from({ length: 8 }, (_, i) => ({ id: String(i), first_name: 'john', last_name: 'smith', zip: `0211${i}` }));
    const res = dedupeRecords({ model: physician, sources: [{ name: 'x', records }], train: false, maxBlockSize: 4 });
    expect(res.warnings.some((w) => w.includes('last name sound and first initial in zip3') && w.includes('(8)'))).toBe(true);
  });

  it('gives records the same multi-part key exactly when every part agrees, and never a key with a part missing', () => {
    const store = storeOf(['last', 'zip'], [
      { last: 'smith', zip: '02110' },
      { last: 'smith', zip: '02110' },
      { last: 'smith', zip: '02111' },
      { last: 'smyth', zip: '02110' },
      { last: 'smith' },
    ]);
    const [rk] = buildRuleKeys([{ keys: [{ field: 'last', fn: 'exact' }, { field: 'zip', fn: 'first_chars', n: 5 }] }], store);
    const keys = Array.from((rk as RuleKeys).keys.subarray(0, 5));
    expect(keys[0]).toBe(keys[1]);
    expect(new Set(keys.slice(1, 4)).size).toBe(3);
    expect(keys[4]).toBe(NO_KEY);
    expect(rk!.distinctKeys).toBe(3);
    expect(rk!.keyString(0)).toBe('smith | 02110');
  });

  it('looks keys up without creating them', () => {
    const store = storeOf(['last', 'zip'], [{ last: 'smith', zip: '02110' }]);
    const rk = new RuleKeys({ keys: [{ field: 'last', fn: 'exact' }, { field: 'zip', fn: 'exact' }] }, store);
    rk.push(0);
    store.add('probe', { last: 'smith', zip: '99999' });
    expect(rk.lookupKey(1)).toBe(NO_KEY);
    expect(rk.distinctKeys).toBe(1);
    store.add('probe2', { last: 'smith', zip: '02110' });
    expect(rk.lookupKey(2)).toBe(rk.keys[0]);
  });

  it('PairIds numbers distinct pairs densely through growth', () => {
    const ids = new PairIds();
    for (let i = 0; i < 5000; i++) expect(ids.get(i % 97, i, true)).toBe(i);
    for (let i = 0; i < 5000; i++) expect(ids.get(i % 97, i, false)).toBe(i);
    expect(ids.get(1, 2, false)).toBe(-1);
    expect(ids.size).toBe(5000);
  });
});

describe('record store', () => {
  it('keeps per-field dictionaries but still sees a value swapped between fields', () => {
    const store = storeOf(['first', 'last'], [
      { first: 'Lee', last: 'Morgan' },
      { first: 'Morgan', last: 'Lee' },
    ]);
    expect(store.value(0, 0)).not.toBe(store.value(1, 1)); // "lee" as a first and as a last name: two value ids
    const cmp = compileComparison(
      { name: 'first', field: 'first', levels: [{ type: 'null' }, { type: 'exact' }, { type: 'swapped', with: 'last' }, { type: 'else' }] },
      store,
    );
    expect(cmp.evaluate(0, 1)).toBe(2);
  });

  it('counts term frequencies per field and forgets removed records', () => {
    const store = storeOf(['city'], [{ city: 'Boston' }, { city: 'boston ' }, { city: 'Austin' }]);
    const f = store.field('city');
    expect(store.count(f, store.idOf(f, 'boston'))).toBe(2);
    expect(store.termFrequency(f, store.idOf(f, 'boston'))).toBeCloseTo(2 / 3);
    store.remove('0');
    expect(store.count(f, store.idOf(f, 'boston'))).toBe(1);
    expect(store.idOf(f, 'denver')).toBe(-1);
  });

  it('takes a temporary record back without a trace, and never lets it shadow a real record of the same id', () => {
    const store = storeOf(['city'], [{ city: 'Boston' }, { city: 'Austin' }]);
    const f = store.field('city');
    const probe = store.addTemporary('0', { city: 'Boston' });
    expect(store.count(f, store.idOf(f, 'boston'))).toBe(2);
    expect(store.indexOfId.get('0')).toBe(0); // the id still finds the stored record, not the probe
    store.popLast();
    expect(store.size).toBe(2);
    expect(probe).toBe(2);
    expect(store.count(f, store.idOf(f, 'boston'))).toBe(1);
    expect(store.liveCount).toBe(2);
    expect(store.remove('0')).toBe(true);
    expect(store.count(f, store.idOf(f, 'boston'))).toBe(0);
    // popLast still undoes an ordinary add, id included.
    store.add('9', { city: 'Denver' });
    store.popLast();
    expect(store.indexOfId.has('9')).toBe(false);
    expect(store.count(f, store.idOf(f, 'denver'))).toBe(0);
  });

  it('grows its typed columns past their first capacity', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ n: String(i % 7) }));
    const store = storeOf(['n'], rows);
    expect(store.size).toBe(3000);
    expect(store.strings[store.value(0, 2999)]).toBe(String(2999 % 7));
    expect(store.count(0, store.value(0, 0))).toBe(Math.ceil(3000 / 7));
  });
});

describe('bulk-loaded matcher', () => {
  const records = Array.from({ length: 300 }, (_, i) => ({
    id: String(i),
    first_name: ['ann', 'bob', 'cy', 'dee'][i % 4] as string,
    last_name: `surname${i}`,
    line1: `${i} main st`,
    zip: String(10000 + i),
    state: 'ma',
  }));

  it('finds bulk-loaded, later-added and not removed records', () => {
    const matcher = createMatcher(physician, records);
    expect(matcher.size).toBe(300);
    const probe = { first_name: 'Ann', last_name: 'Surname40', line1: '40 Main St', zip: '10040', state: 'MA' };
    expect(matcher.matchRecord(probe, { explain: false })[0]?.id).toBe('40');
    matcher.remove('40');
    expect(matcher.matchRecord(probe, { explain: false }).some((c) => c.id === '40')).toBe(false);
    matcher.add({ first_name: 'Ann', last_name: 'Surname40', line1: '40 Main St', zip: '10040', state: 'MA' }, 'new');
    expect(matcher.matchRecord(probe, { explain: false })[0]?.id).toBe('new');
  });

  it('finds no candidates through an over-common key, as batch blocking', () => {
    const model = parseModel(`
name: tiny
prior: 0.01
thresholds: { unit: weight, match: 5, review: 0 }
blocking:
  - { name: first name, keys: [{ field: first_name }], max_block_size: 50 }
comparisons:
  - name: first_name
    field: first_name
    levels:
      - { type: null }
      - { type: exact, m: 0.9, u: 0.01 }
      - { type: else, m: 0.1, u: 0.99 }
`);
    const many = Array.from({ length: 60 }, (_, i) => ({ id: `a${i}`, first_name: 'ann' }));
    const few = Array.from({ length: 3 }, (_, i) => ({ id: `b${i}`, first_name: 'bob' }));
    const matcher = createMatcher(model, [...many, ...few]);
    expect(matcher.matchRecord({ first_name: 'ann' }, { explain: false, minWeight: -100 })).toEqual([]);
    expect(matcher.matchRecord({ first_name: 'bob' }, { explain: false, minWeight: -100 })).toHaveLength(3);
  });
});

describe('training on a sample of pairs', () => {
  it('samples exactly max rows, ascending and reproducibly, and nothing when all fit', () => {
    const a = samplePairRows(100_000, 1000, 7)!;
    expect(a).toHaveLength(1000);
    for (let i = 1; i < a.length; i++) expect(a[i]!).toBeGreaterThan(a[i - 1]!);
    expect(Array.from(samplePairRows(100_000, 1000, 7)!)).toEqual(Array.from(a));
    expect(samplePairRows(500, 1000, 7)).toBeUndefined();
  });
});

describe('levenshteinWithin one edit', () => {
  it('agrees with the full distance', () => {
    const words = ['', 'a', 'ab', 'ba', 'abc', 'acb', 'abd', 'xabc', 'abcx', 'axc', '1234567890', '1234567809', '123456789'];
    for (const x of words) for (const y of words) expect(levenshteinWithin(x, y, 1)).toBe(levenshtein(x, y) <= 1);
  });
});

describe('physician source projection (bench)', () => {
  it('parses quoted and unquoted delimited text', () => {
    const rows: string[][] = [];
    parseDelimited('a,"b, c","say ""hi"""\r\n1,,3\nx|y', ',', (f) => rows.push(f));
    expect(rows).toEqual([['a', 'b, c', 'say "hi"'], ['1', '', '3'], ['x|y']]);
  });

  it('cleans the fields sources garble', () => {
    expect(stripCredentials('SMITH MD')).toBe('SMITH');
    expect(stripCredentials('Smith, M.D.')).toBe('Smith');
    expect(stripCredentials('Do')).toBe('Do');
    expect(zip5('2134')).toBe('02134');
    expect(zip5('021341234')).toBe('02134');
    expect(zip5('21341234')).toBe('02134');
    expect(phone10('+1 617 555 0123')).toBe('6175550123');
    expect(suffixCode('Jr.')).toBe('JR');
  });
});

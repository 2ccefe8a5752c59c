import { describe, expect, it } from 'vitest';
import { MasterSearchIndex, type SearchKeys } from '../../../src/api/search/master-search-index.js';
import { similarity, trigramText, trigrams } from '../../../src/api/search/trigram.js';
import { WordDictionary } from '../../../src/api/search/word-dictionary.js';
import type { Queryable } from '../../../src/store/database.js';

/** The index is fed rows directly here; it never reaches the store. */
const noStore = { query: () => Promise.reject(new Error('no store in this test')) } as unknown as Queryable;

type Row = Parameters<MasterSearchIndex['apply']>[0][number];
const rowOf = (k: SearchKeys): Row => [k.id, k.entityType, k.active, k.nameKey, k.lastKey, k.firstKey, k.filters];

/** A small random generator with a seed, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  return { next, pick };
}

const LAST = ['smith', 'smyth', 'smithers', 'jones', 'johnson', 'johns', 'garcia', 'garza', 'lee', 'leeds', 'nguyen', 'obrien'];
const FIRST = ['john', 'jon', 'johanna', 'mary', 'maria', 'marie', 'lee', 'ana', 'anna', 'smith'];
const STATES = ['MA', 'NY', 'CA'];
const SPECIALTIES = ['Cardiology', 'Oncology'];

const cmp = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
const nameOrder = (a: SearchKeys, b: SearchKeys) => cmp(a.nameKey, b.nameKey) || cmp(a.id, b.id);
const personOrder = (a: SearchKeys, b: SearchKeys) => cmp(a.lastKey, b.lastKey) || cmp(a.firstKey, b.firstKey) || nameOrder(a, b);

function randomKeys(r: ReturnType<typeof random>, id: string): SearchKeys {
  if (r.next() < 0.15) {
    const name = `${r.pick(['st mary', 'mercy', 'johns hopkins', 'smith clinic'])} ${r.pick(['hospital', 'pharmacy', 'center'])}`;
    return { id, entityType: 'hco', active: r.next() < 0.9, nameKey: name, lastKey: null, firstKey: null, filters: [`state:${r.pick(STATES)}`] };
  }
  const last = r.pick(LAST);
  const first = r.pick(FIRST);
  const state = r.pick(STATES);
  return {
    id,
    entityType: 'hcp',
    active: r.next() < 0.9,
    nameKey: r.next() < 0.03 ? null : `${last}, ${first}${r.next() < 0.3 ? ' a' : ''}`,
    lastKey: last,
    firstKey: r.next() < 0.05 ? null : first,
    filters: [`state:${state}`, ...(r.next() < 0.5 ? [`specialty:${r.pick(SPECIALTIES)}`] : [])],
  };
}

describe('master search index', () => {
  it('keeps its orders right through loads, updates, deactivations and removals in small and large batches', () => {
    const r = random(20261123);
    const index = new MasterSearchIndex(noStore);
    const truth = new Map<string, SearchKeys>();
    let nextId = 0;
    for (let round = 0; round < 40; round++) {
      // Batches of 1 to 200 changes: both the in-place edits and the filter-and-merge path of the sorted lists.
      const size = round % 3 === 0 ? 1 + Math.floor(r.next() * 200) : 1 + Math.floor(r.next() * 12);
      const changed: SearchKeys[] = [];
      const removed: string[] = [];
      for (let i = 0; i < size; i++) {
        const existing = [...truth.keys()];
        const roll = r.next();
        if (roll < 0.5 || existing.length === 0) changed.push(randomKeys(r, `hcp_${String(nextId++).padStart(6, '0')}`));
        else if (roll < 0.9) changed.push(randomKeys(r, r.pick(existing)));
        else removed.push(r.pick(existing));
      }
      // One state per id, as the store's change read gives (the last write wins).
      const latest = new Map(changed.map((k) => [k.id, k]));
      for (const id of removed) latest.delete(id);
      index.apply([...latest.values()].map(rowOf), removed.filter((id) => !latest.has(id)));
      for (const [id, k] of latest) truth.set(id, k);
      for (const id of removed) if (!latest.has(id)) truth.delete(id);

      const active = [...truth.values()].filter((k) => k.active);
      const need = 1 + Math.floor(r.next() * 40);
      // No words: every active master in name order, through the shortest filter list when there are filters.
      expect(index.find({ tokens: [], filters: [], need })).toEqual(active.sort(nameOrder).slice(0, need).map((k) => k.id));
      const state = `state:${r.pick(STATES)}`;
      const specialty = `specialty:${r.pick(SPECIALTIES)}`;
      expect(index.find({ tokens: [], filters: [state, specialty], need })).toEqual(
        active.filter((k) => k.filters.includes(state) && k.filters.includes(specialty)).sort(nameOrder).slice(0, need).map((k) => k.id),
      );
      expect(index.find({ tokens: [], filters: [], entityType: 'hco', need })).toEqual(active.filter((k) => k.entityType === 'hco').sort(nameOrder).slice(0, need).map((k) => k.id));
      // One word that is a last name: the exact step in person order, then names starting with it, in name order.
      const last = r.pick(LAST);
      const exact = active.filter((k) => k.lastKey === last).sort(personOrder);
      const prefixed = active.filter((k) => k.nameKey?.startsWith(last) && k.lastKey !== last).sort(nameOrder);
      expect(index.find({ tokens: [last], filters: [], need }).slice(0, exact.length + prefixed.length)).toEqual(
        [...exact, ...prefixed].slice(0, need).map((k) => k.id),
      );
      // "first last": that pair, either way round, in (last, first) order.
      const first = r.pick(FIRST);
      const pairs = active.filter((k) => (k.lastKey === last && k.firstKey === first) || (k.lastKey === first && k.firstKey === last)).sort(personOrder);
      const found = index.find({ tokens: [first, last], filters: [], need });
      expect(found.slice(0, pairs.length)).toEqual(pairs.slice(0, need).map((k) => k.id));
      // Then names that start with one of the words and hold both (the letter-pair signatures of renamed masters
      // must follow their names), in name order.
      const paired = new Set(pairs.map((k) => k.id));
      const holding = active
        .filter((k) => k.nameKey !== null && (k.nameKey.startsWith(first) || k.nameKey.startsWith(last)) && k.nameKey.includes(first) && k.nameKey.includes(last) && !paired.has(k.id))
        .sort(nameOrder);
      const taken = Math.min(need, pairs.length);
      expect(found.slice(taken, taken + holding.length)).toEqual(holding.slice(0, need - taken).map((k) => k.id));
      // An identifier's masters: only those, active, in name order.
      const within = [...truth.keys()].filter(() => r.next() < 0.01);
      expect(index.find({ tokens: [], filters: [], within, need })).toEqual(
        within.map((id) => truth.get(id)!).filter((k) => k.active).sort(nameOrder).slice(0, need).map((k) => k.id),
      );
    }
    expect(index.size).toBe(truth.size);
    // The word dictionary counts every row, active or not, and forgets words nobody has.
    const counted = new Map<string, number>();
    for (const k of truth.values()) for (const w of [k.lastKey, k.firstKey]) if (w) counted.set(w, (counted.get(w) ?? 0) + 1);
    expect(index.words.size).toBe(counted.size);
    for (const [w, n] of counted) expect(index.words.count(w)).toBe(n);
  });

  it('answers exact names, then prefixes, then similar words, without repeating anyone and ranking closer words first', () => {
    const index = new MasterSearchIndex(noStore);
    const person = (id: string, last: string, first: string): SearchKeys => ({
      id,
      entityType: 'hcp',
      active: true,
      nameKey: `${last}, ${first}`,
      lastKey: last,
      firstKey: first,
      filters: ['state:MA'],
    });
    index.apply(
      [
        person('a', 'harrington', 'william'),
        person('b', 'harrington', 'mary'),
        person('c', 'harringtonsmith', 'william'),
        person('d', 'harington', 'william'),
        person('e', 'herrington', 'walter'),
        person('f', 'williams', 'harrington'),
        { ...person('g', 'abbott', 'william'), nameKey: 'abbott, william harrington' },
      ].map(rowOf),
      [],
    );
    // "william harrington": the pair; then names that start with one of the words and hold both, in name order;
    // then similar words: a close last name with the first name (1.75) before the exact last name alone (1.0)
    // before a farther last name alone (0.57).
    expect(index.find({ tokens: ['william', 'harrington'], filters: [], need: 10 })).toEqual(['a', 'c', 'f', 'd', 'b', 'e']);
    // Misspelt: nothing exact or prefixed; similar last and first names rank the pair first.
    expect(index.find({ tokens: ['wiliam', 'harington'], filters: [], need: 10 })[0]).toBe('d');
    expect(index.find({ tokens: ['wiliam', 'harrinton'], filters: [], need: 10 })[0]).toBe('a');
    expect(index.find({ tokens: ['zzzz'], filters: [], need: 10 })).toEqual([]);
    // An initial must appear in the name but starts one only when every word is an initial: "william a harrington"
    // does not walk every name that starts with "a".
    expect(index.find({ tokens: ['william', 'a', 'harrington'], filters: [], need: 10 })).not.toContain('g');
    expect(index.find({ tokens: ['a'], filters: [], need: 10 })).toEqual(['g']);
    expect(index.find({ tokens: ['abbott', 'harrington'], filters: [], need: 10 })[0]).toBe('g');
    // The page is a page: no more than asked for.
    expect(index.find({ tokens: ['harrington'], filters: [], need: 2 })).toEqual(['b', 'a']);
  });

  it('says whether it is loading, ready or failed to load, and tries again after a failure', async () => {
    let fail = true;
    const store = {
      query: (text: string | { text: string }) => {
        if (fail) return Promise.reject(new Error('connection refused'));
        const sql = typeof text === 'string' ? text : text.text;
        if (sql.includes('AS k FROM master_search')) return Promise.resolve({ rows: [] });
        return Promise.resolve({ rows: [{ horizon: '7', changed: [], removed: [] }] });
      },
    } as unknown as Queryable;
    const index = new MasterSearchIndex(store);
    expect(index.state.status).toBe('loading');
    await expect(index.catchUp()).rejects.toThrow('connection refused');
    expect(index.state).toMatchObject({ status: 'failed', detail: 'connection refused' });
    fail = false;
    await index.ready();
    expect(index.state).toMatchObject({ status: 'ready', masters: 0 });
    expect(index.seenUpTo).toBe('7');
  });

  it('computes trigram similarity the way pg_trgm does', () => {
    expect([...trigrams('Ab')].map(trigramText).sort()).toEqual(['  a', ' ab', 'ab '].sort());
    expect([...trigrams('jo-anne 2')].map(trigramText).sort()).toEqual(['  j', ' jo', 'jo ', '  a', ' an', 'ann', 'nne', 'ne ', '  2', ' 2 '].sort());
    // Characters beyond ten bits (Cyrillic, CJK) are held in the wide form, the rest (Latin, Greek) in the small one;
    // both read back alike, and a word mixing them has each of its trigrams once.
    expect([...trigrams('Ωμέγα é Ива')].map(trigramText).sort()).toEqual(['  ω', ' ωμ', 'ωμέ', 'μέγ', 'έγα', 'γα ', '  é', ' é ', '  и', ' ив', 'ива', 'ва '].sort());
    expect(similarity('Иванов', 'иванова')).toBeCloseTo(similarity('ivanov', 'ivanova'), 6);
    expect(trigrams("o'brien, john")).toEqual(new Set([...trigrams('o'), ...trigrams('brien'), ...trigrams('john')]));
    expect(similarity('word', 'word')).toBe(1);
    expect(similarity('', 'word')).toBe(0);
    // 9 shared of 11 and 10 trigrams; 8 shared of 11 and 11, in single precision as pg_trgm's real.
    expect(similarity('harrington', 'harington')).toBe(0.75);
    expect(similarity('harrington', 'herrington')).toBe(Math.fround(8 / 14));
    expect(similarity('harrington', 'herrington')).not.toBe(8 / 14);
  });

  it('finds similar dictionary words closest first, as a brute-force comparison of every word would', () => {
    const r = random(7);
    const dictionary = new WordDictionary();
    const words = Array.from({ length: 400 }, () => Array.from({ length: 3 + Math.floor(r.next() * 6) }, () => r.pick('abcdeilmnorst'.split(''))).join(''));
    for (const w of words) dictionary.add(w, 1);
    for (const w of words.slice(0, 100)) dictionary.add(w, -1);
    const left = [...new Set(words)].filter((w) => dictionary.count(w) > 0);
    for (let i = 0; i < 50; i++) {
      const query = r.pick(left).slice(0, -1) + r.pick(['a', 'e', 'x']);
      const expected = left
        .map((term) => ({ term, sim: similarity(term, query) }))
        .filter((w) => w.sim >= 0.4)
        .sort((a, b) => b.sim - a.sim || cmp(a.term, b.term))
        .slice(0, 5);
      expect(dictionary.similar(query, 0.4, 5)).toEqual(expected);
    }
  });
});

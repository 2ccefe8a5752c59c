import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTrigramSearch, searchMasters, type MasterSearch } from '../../src/api/queries/master-search.js';
import { MasterSearchIndex } from '../../src/api/search/master-search-index.js';
import { similarity } from '../../src/api/search/trigram.js';
import { resolveMasters } from '../../src/pipeline/resolve-masters.js';
import { eraseSubject } from '../../src/privacy/erase.js';
import { parsePrivacyKey, type PrivacyKeyring } from '../../src/privacy/privacy-key.js';
import { generateSecretKey } from '../../src/secrets/secret-box.js';
import type { Database } from '../../src/store/database.js';
import { mergeMasters, unmergeMaster } from '../../src/survivorship/merge.js';
import { STORE_KINDS, openTestDatabase } from '../helpers/database.js';
import { ingest, masterOf, physician, rules, survivorship } from '../helpers/masters.js';

const keyring: PrivacyKeyring = { current: parsePrivacyKey(generateSecretKey(), 'CROSSWALK_PRIVACY_KEY'), previous: [] };
const goldenRules = { ...survivorship, referenceOnly: new Set<string>() };

describe.each(STORE_KINDS)('master search rows on %s', (kind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  let trigram: boolean;
  let index: MasterSearchIndex;
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(kind));
    trigram = await hasTrigramSearch(db);
    // Made before anything is written: every search below sees the writes before it by catching up.
    index = new MasterSearchIndex(db);
  });
  afterAll(async () => dispose?.());

  const search = (s: Partial<MasterSearch>) => searchMasters(db, index, { limit: 25, offset: 0, ...s }, { trigram });
  const ids = async (s: Partial<MasterSearch>) => (await search(s)).hits.map((h) => h.id);
  const searchRow = async (id: string) => (await db.query('SELECT * FROM master_search WHERE master_id = $1', [id])).rows[0];
  const termCount = async (term: string) => (await db.query<{ masters: number }>('SELECT masters FROM master_search_term WHERE term = $1', [term])).rows[0]?.masters;

  it('has fuzzy search on both stores', () => {
    expect(trigram).toBe(true);
  });

  it('gives a golden record its search row as resolution writes it, and follows the record when it changes', async () => {
    const record = await ingest(db, 'crm', 'a', physician({ firstName: 'Wilhelmina', lastName: 'Quackenbush', npi: '1234567893', city: 'BOSTON' }));
    await resolveMasters(db, rules, 'hcp');
    const id = await masterOf(db, record);
    expect(await searchRow(id)).toMatchObject({
      active: true,
      entity_type: 'hcp',
      last_key: 'quackenbush',
      first_key: 'wilhelmina',
      city: 'BOSTON',
      state: 'MA',
      identifiers: [{ type: 'npi', value: '1234567893' }],
      filters: expect.arrayContaining(['state:MA', 'city:BOSTON', 'place:MA:BOSTON']),
    });
    expect(await termCount('quackenbush')).toBe(1);
    expect(await ids({ name: 'wilhelmina quackenbush' })).toEqual([id]);
    expect(await ids({ identifier: { type: 'npi', value: '1234567893' } })).toEqual([id]);
    expect(await ids({ city: 'Boston', state: 'ma' })).toContain(id);

    // The CRM renames her and moves her practice: the same master, its golden record changes, and so does its row.
    await ingest(db, 'crm', 'a', physician({ firstName: 'Wilhelmina', lastName: 'Quackenbosch', npi: '1234567893', city: 'WORCESTER', zip: '01608' }));
    await resolveMasters(db, rules, 'hcp');
    expect(await masterOf(db, record)).toBe(id);
    expect(await searchRow(id)).toMatchObject({ last_key: 'quackenbosch', city: 'WORCESTER' });
    expect(await termCount('quackenbush')).toBeUndefined();
    expect(await termCount('quackenbosch')).toBe(1);
    expect(await ids({ city: 'BOSTON' })).not.toContain(id);
    expect(await ids({ city: 'WORCESTER', state: 'MA' })).toEqual([id]);
  });

  it('leaves a merged master out of search and brings it back when the merge is undone', async () => {
    const b = await ingest(db, 'crm', 'b', physician({ firstName: 'Theodora', lastName: 'Vanterpool', npi: '1558598797', zip: '02138' }));
    const c = await ingest(db, 'nppes', 'c', physician({ firstName: 'Theo', lastName: 'Vanterpoel', npi: '1003000126', zip: '02445' }));
    await resolveMasters(db, rules, 'hcp');
    const [winner, loser] = [await masterOf(db, b), await masterOf(db, c)];
    expect(winner).not.toBe(loser);
    expect(await ids({ name: 'theo vanterpoel' })).toContain(loser);

    const merged = await mergeMasters(db, goldenRules, { winnerId: winner, loserId: loser, actor: 'steward1', reason: 'same person' });
    expect(merged.status).toBe('merged');
    expect(await searchRow(loser)).toMatchObject({ active: false });
    expect(await ids({ name: 'theo vanterpoel' })).not.toContain(loser);
    expect(await ids({ identifier: { value: '1003000126' } })).toEqual([winner]);

    await unmergeMaster(db, goldenRules, { retiredId: loser, actor: 'steward1', reason: 'different people' });
    expect(await searchRow(loser)).toMatchObject({ active: true, last_key: 'vanterpoel' });
    expect((await ids({ name: 'theo vanterpoel' }))[0]).toBe(loser);
  });

  it('forgets an erased physician: no search row, and a surname nobody else has leaves the word dictionary', async () => {
    const d = await ingest(db, 'crm', 'd', physician({ firstName: 'Ottoline', lastName: 'Zabriskie', npi: '1987654328', zip: '02760' }));
    await resolveMasters(db, rules, 'hcp');
    const id = await masterOf(db, d);
    expect(await termCount('zabriskie')).toBe(1);
    await eraseSubject(db, { key: '1987654328', actor: 'dpo.lee', reason: 'DSAR-2026-0042', survivorship: goldenRules, keyring });
    expect(await searchRow(id)).toBeUndefined();
    expect(await termCount('zabriskie')).toBeUndefined();
    expect(await termCount('ottoline')).toBeUndefined();
    expect(await ids({ name: 'zabriskie' })).toEqual([]);
  });

  it('finds exact names first, then prefixes, then similar words, and pages across the steps without repeating anyone', async () => {
    const people: Array<[string, string, string]> = [
      ['Alma', 'Pemberton', '01001'],
      ['Basil', 'Pemberton', '01201'],
      ['Cora', 'Pemberton', '01301'],
      ['Dmitri', 'Pembertin', '01401'],
      ['Edna', 'Pembertonshire', '01501'],
    ];
    const id: Record<string, string> = {};
    for (const [first, last, zip] of people) {
      const record = await ingest(db, 'crm', `p-${first}`, physician({ firstName: first, lastName: last, zip, line1: `${zip} HIGH ST` }));
      await resolveMasters(db, rules, 'hcp');
      id[first] = await masterOf(db, record);
    }
    expect(new Set(Object.values(id)).size).toBe(people.length);

    const all = await search({ name: 'pemberton' });
    // The three exact surnames first (in name order), then the name that merely starts with it, then the misspelling.
    expect(all.hits.map((h) => h.id)).toEqual([id.Alma, id.Basil, id.Cora, id.Edna, id.Dmitri]);
    expect(all.hasMore).toBe(false);

    const pages = [await search({ name: 'pemberton', limit: 2 }), await search({ name: 'pemberton', limit: 2, offset: 2 }), await search({ name: 'pemberton', limit: 2, offset: 4 })];
    expect(pages.map((p) => p.hasMore)).toEqual([true, true, false]);
    expect(pages.flatMap((p) => p.hits.map((h) => h.id))).toEqual(all.hits.map((h) => h.id));

    expect((await ids({ name: 'alma pemberton' }))[0]).toBe(id.Alma);
    expect((await ids({ name: 'Pemberton, Alma' }))[0]).toBe(id.Alma);
    expect((await ids({ name: 'dmitri pemberton' }))[0]).toBe(id.Dmitri);
    expect(await ids({ name: 'pembe' })).toEqual(expect.arrayContaining([id.Alma, id.Basil, id.Cora, id.Dmitri, id.Edna]));
    expect(await ids({ name: 'pemberton', entityType: 'hco' })).toEqual([]);

    const record = await ingest(db, 'crm', 'p-obrien', physician({ firstName: 'Fionnuala', lastName: "O'Brien", zip: '01601', line1: '1601 HIGH ST' }));
    await resolveMasters(db, rules, 'hcp');
    const obrien = await masterOf(db, record);
    // The words of a query lose their apostrophes, and so does the name they are compared with.
    expect(await searchRow(obrien)).toMatchObject({ name_key: 'obrien, fionnuala', last_key: 'obrien', first_key: 'fionnuala' });
    expect(await ids({ name: "O'Bri" })).toContain(obrien);
    expect(await ids({ name: 'obri' })).toContain(obrien);
  });

  it('computes word similarity as pg_trgm does in this store', async () => {
    const pairs: Array<[string, string]> = [
      ['harrington', 'harington'],
      ['harrington', 'herrington'],
      ['wiliam', 'williams'],
      ['obrien, fionnuala', 'fionnuala obrien'],
      ['smith, john a', 'john smith'],
      ['st mary hospital', 'mary hosp'],
      ['a', 'ab'],
      ['2nd avenue clinic', 'avenue 2'],
    ];
    for (const [a, b] of pairs) {
      const { rows } = await db.query<{ sim: number }>('SELECT public.similarity($1, $2) AS sim', [a, b]);
      expect(similarity(a, b), `${a} ~ ${b}`).toBe(Math.fround(rows[0]!.sim));
    }
  });

  it('loads a second index page by page from the store, and it answers as the one that followed the writes', async () => {
    const loaded = new MasterSearchIndex(db, { pageSize: 2 });
    await loaded.catchUp();
    expect(loaded.size).toBe(Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM master_search')).rows[0]!.n));
    await index.catchUp();
    for (const tokens of [['pemberton'], ['alma', 'pemberton'], ['pembe'], ['wiliam', 'pembertin'], []]) {
      for (const filters of [[], ['state:MA']]) {
        const query = { tokens, filters, need: 50 };
        expect(loaded.find(query)).toEqual(index.find(query));
      }
    }
  });

  it('heals stamps from another server (a restored dump) when it loads, so searches do not catch up forever', async () => {
    const { rows } = await db.query<{ master_id: string }>('SELECT master_id FROM master_search ORDER BY master_id LIMIT 2');
    const ahead = `${Number((await db.query<{ x: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x')).rows[0]!.x) + 1_000_000}`;
    await db.query('ALTER TABLE master_search DISABLE TRIGGER master_search_stamp');
    await db.query('UPDATE master_search SET changed_xid = $2::xid8 WHERE master_id = ANY ($1::text[])', [rows.map((r) => r.master_id), ahead]);
    await db.query('ALTER TABLE master_search ENABLE TRIGGER master_search_stamp');
    await db.query('INSERT INTO master_search_removed (master_id, removed_xid) VALUES ($1, $2::xid8)', ['hcp_gone_elsewhere00', ahead]);
    const loaded = new MasterSearchIndex(db);
    await loaded.ready();
    const future = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
    expect(await future('SELECT count(*) AS n FROM master_search WHERE changed_xid >= pg_snapshot_xmax(pg_current_snapshot())')).toBe(0);
    expect(await future('SELECT count(*) AS n FROM master_search_removed WHERE removed_xid >= pg_snapshot_xmax(pg_current_snapshot())')).toBe(0);
    expect(loaded.size).toBe(await future('SELECT count(*) AS n FROM master_search'));
  });

  it.runIf(kind === 'postgres')('sees a write whose transaction began before it last looked, once that transaction commits', async () => {
    // Two physicians with different surnames, renamed to different words: the two writers share no word count.
    const pick = async (sql: string) => (await db.query<{ master_id: string }>(sql)).rows[0]!.master_id;
    const early = await pick("SELECT master_id FROM master_search WHERE active AND last_key = 'pemberton' ORDER BY master_id LIMIT 1");
    const late = await pick("SELECT master_id FROM master_search WHERE active AND last_key = 'pembertin' ORDER BY master_id LIMIT 1");
    await index.catchUp();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let begun!: () => void;
    const started = new Promise<void>((resolve) => (begun = resolve));
    // A long transaction renames one physician and stays open...
    const slow = db.transaction(async (client) => {
      await client.query("UPDATE master_search SET name_key = 'quillfeather, alma', last_key = 'quillfeather' WHERE master_id = $1", [early]);
      begun();
      await held;
    });
    await started;
    // ...while a quick one renames another and commits: the index sees the quick one, not the open one.
    await db.query("UPDATE master_search SET name_key = 'quillfeathers, basil', last_key = 'quillfeathers' WHERE master_id = $1", [late]);
    await index.catchUp();
    expect(index.find({ tokens: ['quillfeather'], filters: [], need: 10 })).toEqual([late]);
    // The long one commits after the index last looked; its write has the older transaction id, and is still read.
    release();
    await slow;
    await index.catchUp();
    expect(index.find({ tokens: ['quillfeather'], filters: [], need: 10 }).sort()).toEqual([early, late].sort());
    expect((await ids({ name: 'quillfeather' })).sort()).toEqual([early, late].sort());
  });
});

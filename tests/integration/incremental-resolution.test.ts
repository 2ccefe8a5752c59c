import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetMasterIndex } from '../../src/pipeline/master-index-cache.js';
import { resolveMasters } from '../../src/pipeline/resolve-masters.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { clearPending, readPending } from '../../src/store/match-pending.repository.js';
import { resolveMasterId } from '../../src/store/master.repository.js';
import { saveNormalizedRecords } from '../../src/store/normalized-record.repository.js';
import { storeSourceRecords } from '../../src/store/source-record.repository.js';
import { mergeMasters } from '../../src/survivorship/merge.js';
import { STORE_KINDS, TEST_DATABASE_URL, openTestDatabase } from '../helpers/database.js';
import { ingest, masterOf, physician, rules, survivorship } from '../helpers/masters.js';

const FIRST = ['Ann', 'Bill', 'Carla', 'Dev', 'Elena', 'Farid', 'Grace', 'Hugo'];
const LAST = ['Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Barros', 'Novak', 'Quinlan', 'Reyes'];
// Valid NPIs (Luhn over 80840 + the first nine digits).
const NPIS = ['1234567893', '1558598797', '1003000126', '1987654328', '1497758544', '1245319599', '1111111112', '1770556466'];

/** Three sources describing eight physicians, each spelled its own way; some carry the NPI, some do not. */
function sourceRecords(): Array<{ connector: string; id: string; draft: ReturnType<typeof physician> }> {
  const out: Array<{ connector: string; id: string; draft: ReturnType<typeof physician> }> = [];
  FIRST.forEach((first, i) => {
    const last = LAST[i]!;
    const zip = String(2100 + i).padStart(5, '0');
    out.push({ connector: 'crm', id: `c${i}`, draft: physician({ firstName: first, lastName: last, npi: NPIS[i], zip, line1: `${10 + i} MAIN ST` }) });
    out.push({ connector: 'nppes', id: `n${i}`, draft: physician({ firstName: first.toUpperCase(), lastName: last.toUpperCase(), npi: NPIS[i], zip, line1: `${10 + i} MAIN STREET` }) });
    out.push({ connector: 'erp', id: `e${i}`, draft: physician({ firstName: first, lastName: last, zip, line1: `${10 + i} MAIN ST` }) });
  });
  return out;
}

/** Which source records share a master, as sets of `connector/id`, independent of the master ids. */
async function partition(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ members: string }>(
    `SELECT string_agg(s.connector || '/' || s.source_id, ',' ORDER BY s.connector, s.source_id) AS members
       FROM crosswalk c JOIN source_record s ON s.id = c.source_record_id GROUP BY c.master_id`,
  );
  return rows.map((r) => r.members).sort();
}

describe.each(STORE_KINDS)('incremental master resolution on %s', (kind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(kind));
  });
  afterAll(async () => dispose?.());

  it('reads only the records written since the last resolution and ends with the masters a full reload finds', async () => {
    const records = sourceRecords();
    const modes: string[] = [];
    for (let i = 0; i < records.length; i += 6) {
      for (const r of records.slice(i, i + 6)) await ingest(db, r.connector, r.id, r.draft);
      const report = await resolveMasters(db, rules, 'hcp');
      modes.push(report.mode);
    }
    expect(modes[0]).toBe('full');
    expect(modes.slice(1).every((m) => m === 'incremental')).toBe(true);
    expect(await readPending(db, 'hcp')).toEqual([]);
    const incremental = await partition(db);
    expect(incremental).toHaveLength(FIRST.length);

    // The same batches with the index thrown away before every resolution: the result must not differ.
    const { db: other, dispose: disposeOther } = await openTestDatabase(kind);
    try {
      for (let i = 0; i < records.length; i += 6) {
        for (const r of records.slice(i, i + 6)) await ingest(other, r.connector, r.id, r.draft);
        forgetMasterIndex(other, 'hcp');
        expect((await resolveMasters(other, rules, 'hcp')).mode).toBe('full');
      }
      expect(await partition(other)).toEqual(incremental);
    } finally {
      await disposeOther();
    }
  });

  it('changes nothing when nothing was written since', async () => {
    const before = await db.query('SELECT master_id, version FROM golden_record ORDER BY 1');
    const report = await resolveMasters(db, rules, 'hcp');
    expect(report).toMatchObject({ mode: 'incremental', newMasters: 0, linkedToExisting: 0, goldenWritten: 0 });
    expect((await db.query('SELECT master_id, version FROM golden_record ORDER BY 1')).rows).toEqual(before.rows);
  });

  it('follows a changed draft into its golden record without re-reading the master', async () => {
    const crm = await ingest(db, 'crm', 'c0', physician({ firstName: 'Ann', lastName: 'Okafor-Smith', npi: NPIS[0], zip: '02100', line1: '10 MAIN ST' }));
    const report = await resolveMasters(db, rules, 'hcp');
    expect(report).toMatchObject({ mode: 'incremental', newMasters: 0, goldenWritten: 1 });
    const { rows } = await db.query<{ display_name: string }>('SELECT display_name FROM golden_record WHERE master_id = $1', [await masterOf(db, crm)]);
    expect(rows[0]!.display_name).toMatch(/Okafor/);
  });

  it('drops the link of a deleted record and keeps the index in step', async () => {
    const lone = await ingest(db, 'crm', 'lone', physician({ firstName: 'Ivo', lastName: 'Stanchev', npi: '1669421806', zip: '30301', city: 'ATLANTA' }));
    await resolveMasters(db, rules, 'hcp');
    const master = await masterOf(db, lone);
    const deleted = await storeSourceRecords(db, { connector: 'crm', stream: 's' }, [{ sourceId: 'lone', payload: {}, deleted: true }]);
    const change = deleted.changes[0]!;
    await saveNormalizedRecords(db, [{ sourceRecordId: change.id, sourceVersion: change.version, mappingChecksum: 't', drafts: [], issues: [] }]);
    const report = await resolveMasters(db, rules, 'hcp');
    expect(report).toMatchObject({ mode: 'incremental', unlinked: 1 });
    const { rows } = await db.query<{ status: string }>('SELECT status FROM master_entity WHERE id = $1', [master]);
    expect(rows[0]!.status).toBe('retired');
    // The same physician arriving again is a new master: the deleted record no longer matches anything.
    const back = await ingest(db, 'erp', 'ivo', physician({ firstName: 'Ivo', lastName: 'Stanchev', npi: '1669421806', zip: '30301', city: 'ATLANTA' }));
    await resolveMasters(db, rules, 'hcp');
    expect(await masterOf(db, back)).not.toBe(master);
  });

  it('rebuilds from the store after a steward merge, so new records follow the surviving master', async () => {
    const a = await ingest(db, 'crm', 'split-a', physician({ firstName: 'Jonas', lastName: 'Vrba', npi: '1780604256', zip: '60601', city: 'CHICAGO' }));
    const b = await ingest(db, 'crm', 'split-b', physician({ firstName: 'Jonas', lastName: 'Vrba', npi: '1326046400', zip: '60601', city: 'CHICAGO' }));
    await resolveMasters(db, rules, 'hcp');
    const [winner, loser] = [await masterOf(db, a), await masterOf(db, b)];
    expect(winner).not.toBe(loser);
    await mergeMasters(db, survivorship, { winnerId: winner, loserId: loser, actor: 'steward.ann', reason: 'one person, two NPIs on file' });
    // Matches both on name and address (no NPI of its own): it must join the surviving master, not the retired one.
    const c = await ingest(db, 'erp', 'split-c', physician({ firstName: 'Jonas', lastName: 'Vrba', zip: '60601', city: 'CHICAGO' }));
    const report = await resolveMasters(db, rules, 'hcp');
    expect(report.mode).toBe('full');
    expect(await masterOf(db, c)).toBe(winner);
    expect(await resolveMasterId(db, loser)).toEqual({ id: winner, redirectedFrom: loser });
    expect((await resolveMasters(db, rules, 'hcp')).mode).toBe('incremental');
  });

  it('keeps an Rx prescriber waiting across resolutions until a physician it matches arrives', async () => {
    const rxOnly = new Set(['xponent']);
    const rx = await ingest(db, 'xponent', 'rx-wait', physician({ firstName: 'Mina', lastName: 'Sorensen', npi: '1679576722', zip: '55401', city: 'MINNEAPOLIS' }), { rxNpi: '1679576722' });
    expect(await resolveMasters(db, rules, 'hcp', { resolveOnlyConnectors: rxOnly })).toMatchObject({ mode: 'incremental', newMasters: 0, unresolved: 1 });
    expect(await resolveMasters(db, rules, 'hcp', { resolveOnlyConnectors: rxOnly })).toMatchObject({ mode: 'incremental', unresolved: 1 });
    const crm = await ingest(db, 'crm', 'mina', physician({ firstName: 'Mina', lastName: 'Sorensen', npi: '1679576722', zip: '55401', city: 'MINNEAPOLIS' }));
    expect(await resolveMasters(db, rules, 'hcp', { resolveOnlyConnectors: rxOnly })).toMatchObject({ mode: 'incremental', newMasters: 1, unresolved: 0 });
    expect(await masterOf(db, rx)).toBe(await masterOf(db, crm));
  });

  it('keeps a record written again while a resolution ran for the next one', async () => {
    const id = await ingest(db, 'crm', 'racing', physician({ firstName: 'Kai', lastName: 'Lund', zip: '98101', city: 'SEATTLE' }));
    const seen = await readPending(db, 'hcp');
    expect(seen.map((p) => p.sourceRecordId)).toEqual([id]);
    // Written again after the resolution read its inbox, before it cleared what it read.
    await saveNormalizedRecords(db, [{ sourceRecordId: id, sourceVersion: 2, mappingChecksum: 't', drafts: [{ kind: 'hcp', key: 'hcp', data: physician({ firstName: 'Kai', lastName: 'Lunde', zip: '98101', city: 'SEATTLE' }) }], issues: [] }]);
    await clearPending(db, 'hcp', seen);
    expect((await readPending(db, 'hcp')).map((p) => p.sourceRecordId)).toEqual([id]);
    await resolveMasters(db, rules, 'hcp');
    expect(await readPending(db, 'hcp')).toEqual([]);
  });

  if (kind === 'postgres') {
    it('notices that another worker process resolved in between and rebuilds its index', async () => {
      await resolveMasters(db, rules, 'hcp');
      const { rows } = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
      const second = await openDatabase({ url: TEST_DATABASE_URL, schema: rows[0]!.schema, maxConnections: 2 });
      try {
        const x = await ingest(second, 'crm', 'x-proc', physician({ firstName: 'Lena', lastName: 'Marsh', npi: '1912301953', zip: '73301', city: 'AUSTIN' }));
        expect((await resolveMasters(second, rules, 'hcp')).mode).toBe('full');
        // This process's index does not know x's master; a record matching x must still find it.
        const y = await ingest(db, 'erp', 'y-proc', physician({ firstName: 'Lena', lastName: 'Marsh', npi: '1912301953', zip: '73301', city: 'AUSTIN' }));
        expect((await resolveMasters(db, rules, 'hcp')).mode).toBe('full');
        expect(await masterOf(db, y)).toBe(await masterOf(db, x));
      } finally {
        await second.close();
      }
    });
  }
});

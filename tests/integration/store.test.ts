import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../../src/store/checkpoint.repository.js';
import type { Database } from '../../src/store/database.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { saveNormalizedRecords, summarizeStore } from '../../src/store/normalized-record.repository.js';
import { listQuarantine, quarantineRecords } from '../../src/store/quarantine.repository.js';
import { loadSourceRecords, storeSourceRecords } from '../../src/store/source-record.repository.js';
import { STORE_KINDS, openTestDatabase } from '../helpers/database.js';

describe.each(STORE_KINDS)('the master store on %s', (kind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(kind));
  });
  afterAll(async () => dispose?.());

  const key = { connector: 'veeva-crm', stream: 'accounts' };
  const row = (id: string, last: string) => ({ sourceId: id, payload: { Id: id, LastName: last, FirstName: 'Ann' } });

  it('runs migrations once and reports nothing to do the second time', async () => {
    const again = await migrate(db);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(listMigrations().length);
  });

  it('refuses a migration whose file changed after it was applied', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'crosswalk-mig-'));
    const [first] = listMigrations();
    writeFileSync(path.join(dir, `001-${first!.name}.sql`), `${first!.sql}\n-- edited`);
    await expect(migrate(db, listMigrations(dir))).rejects.toMatchObject({ code: 'migrate.changed' });
  });

  it('stores new records and counts them as new', async () => {
    const result = await storeSourceRecords(db, key, [row('a1', 'Smith'), row('a2', 'Jones')]);
    expect(result).toMatchObject({ new: 2, changed: 0, unchanged: 0, deleted: 0 });
    expect(result.changes.map((c) => c.sourceId).sort()).toEqual(['a1', 'a2']);
  });

  it('changes nothing when the same records arrive again, even with their fields in another order', async () => {
    const before = await db.query('SELECT id, version, last_changed_at FROM source_record ORDER BY id');
    const result = await storeSourceRecords(db, key, [
      { sourceId: 'a1', payload: { FirstName: 'Ann', LastName: 'Smith', Id: 'a1' } },
      row('a2', 'Jones'),
    ]);
    expect(result).toMatchObject({ new: 0, changed: 0, unchanged: 2, changes: [] });
    const after = await db.query('SELECT id, version, last_changed_at FROM source_record ORDER BY id');
    expect(after.rows).toEqual(before.rows);
  });

  it('records a changed record as a new version', async () => {
    const result = await storeSourceRecords(db, key, [row('a1', 'Smith-Jones'), row('a2', 'Jones')]);
    expect(result).toMatchObject({ new: 0, changed: 1, unchanged: 1 });
    expect(result.changes[0]).toMatchObject({ sourceId: 'a1', version: 2, kind: 'changed' });
  });

  it('keeps a deleted record as a tombstone with its last payload', async () => {
    const result = await storeSourceRecords(db, key, [{ sourceId: 'a2', payload: {}, deleted: true }]);
    expect(result).toMatchObject({ deleted: 1 });
    const [stored] = await loadSourceRecords(db, [result.changes[0]!.id]);
    expect(stored).toMatchObject({ sourceId: 'a2', deleted: true, payload: { LastName: 'Jones' } });
    const again = await storeSourceRecords(db, key, [{ sourceId: 'a2', payload: {}, deleted: true }]);
    expect(again).toMatchObject({ deleted: 0, unchanged: 1 });
  });

  it('keeps the last of two versions of one record in a batch', async () => {
    const result = await storeSourceRecords(db, key, [row('a3', 'First'), row('a3', 'Second')]);
    expect(result.new).toBe(1);
    const [stored] = await loadSourceRecords(db, [result.changes[0]!.id]);
    expect(stored!.payload.LastName).toBe('Second');
  });

  it('keeps the same source id of two streams apart', async () => {
    const result = await storeSourceRecords(db, { connector: 'veeva-crm', stream: 'addresses' }, [row('a1', 'Smith')]);
    expect(result.new).toBe(1);
  });

  it('stores thousands of records in one batched statement', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => row(`bulk-${i}`, `Name${i}`));
    const result = await storeSourceRecords(db, { connector: 'bulk', stream: 's' }, many);
    expect(result.new).toBe(5000);
    const again = await storeSourceRecords(db, { connector: 'bulk', stream: 's' }, many);
    expect(again.unchanged).toBe(5000);
  });

  it('saves and loads a checkpoint per stream', async () => {
    await saveCheckpoint(db, 'veeva-crm', 'accounts', { offset: 10 });
    await saveCheckpoint(db, 'veeva-crm', 'accounts', { offset: 20 });
    expect(await loadCheckpoint(db, 'veeva-crm', 'accounts')).toEqual({ offset: 20 });
    expect(await loadCheckpoint(db, 'veeva-crm', 'other')).toBeUndefined();
  });

  it('quarantines records with their reason and payload', async () => {
    await quarantineRecords(db, [{ ...key, sourceId: 'bad', reasonCode: 'record.no_id', reason: 'no id', payload: { LastName: 'X' } }]);
    const items = await listQuarantine(db, { connector: 'veeva-crm' });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ sourceId: 'bad', reasonCode: 'record.no_id', payload: { LastName: 'X' }, replayedAt: null });
  });

  it('stores normalized drafts with their issues and the Rx facts they carry', async () => {
    const stored = await storeSourceRecords(db, { connector: 'xponent', stream: 'rx' }, [row('rx1', 'Doe')]);
    const id = stored.changes[0]!.id;
    const fact = {
      prescriber: { npi: '1234567893' },
      product: { name: 'CARDIOZEN' },
      period: { end: '2026-11-20', grain: 'week' as const },
      measures: { trx: 12, nrx: 4 },
      suppressed: [],
    };
    const input = {
      sourceRecordId: id,
      sourceVersion: 1,
      mappingChecksum: 'abc',
      drafts: [{ kind: 'rx_fact' as const, key: 'fact', data: fact }],
      issues: [{ field: 'identifiers[npi].value', code: 'npi.check_digit', message: 'bad' }],
    };
    await saveNormalizedRecords(db, [input]);
    await saveNormalizedRecords(db, [input]);
    const facts = await db.query('SELECT product, measures FROM rx_fact WHERE source_record_id = $1', [id]);
    expect(facts.rows).toEqual([{ product: 'CARDIOZEN', measures: { trx: 12, nrx: 4 } }]);
    const summary = await summarizeStore(db);
    expect(summary.withIssues).toBe(1);
    expect(summary.drafts.rx_fact).toBe(1);
  });

  it('refuses to change or delete the audit log', async () => {
    await db.query(`INSERT INTO audit_log (actor, action, entity_type, entity_id) VALUES ('steward', 'merge', 'hcp', 'hcp_1')`);
    await expect(db.query(`UPDATE audit_log SET actor = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    const { rows } = await db.query<{ actor: string }>('SELECT actor FROM audit_log');
    expect(rows.map((r) => r.actor)).toEqual(['steward']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMasters } from '../../src/pipeline/resolve-masters.js';
import type { Database } from '../../src/store/database.js';
import { getGoldenRecord, resolveMasterId } from '../../src/store/master.repository.js';
import { storeSourceRecords } from '../../src/store/source-record.repository.js';
import { mergeMasters, unmergeMaster } from '../../src/survivorship/merge.js';
import { STORE_KINDS, openTestDatabase } from '../helpers/database.js';
import { ingest, masterOf, physician, rules, survivorship } from '../helpers/masters.js';

describe.each(STORE_KINDS)('master records on %s', (kind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(kind));
  });
  afterAll(async () => dispose?.());

  let crm: number;
  let registry: number;
  let other: number;

  it('links two sources that share a valid NPI to one master with lineage for every value', async () => {
    crm = await ingest(db, 'veeva-crm', 'c1', physician({ firstName: 'Bill', lastName: 'Harrington', npi: '1234567893' }));
    registry = await ingest(db, 'nppes', 'n1', physician({ firstName: 'William', middleName: 'James', lastName: 'Harrington', npi: '1234567893', credentials: ['MD'] }));
    const report = await resolveMasters(db, rules, 'hcp');
    expect(report).toMatchObject({ newMasters: 1, linkedToExisting: 1 });
    const id = await masterOf(db, crm);
    expect(await masterOf(db, registry)).toBe(id);
    const golden = await getGoldenRecord(db, id);
    expect(golden!.attributes.lastName!.value).toBe('Harrington');
    // NPPES ranks first for names in the shipped survivorship rules.
    expect(golden!.attributes.firstName).toMatchObject({ value: 'William', lineage: { connector: 'nppes' } });
    expect(golden!.attributes.firstName!.competing.map((c) => c.value)).toEqual(['Bill']);
  });

  it('changes nothing when resolution runs again on the same data', async () => {
    const before = await db.query('SELECT master_id, version FROM golden_record ORDER BY 1');
    const report = await resolveMasters(db, rules, 'hcp');
    expect(report).toMatchObject({ newMasters: 0, linkedToExisting: 0, goldenWritten: 0 });
    expect((await db.query('SELECT master_id, version FROM golden_record ORDER BY 1')).rows).toEqual(before.rows);
  });

  it('keeps two physicians with the same name but different valid NPIs apart', async () => {
    other = await ingest(db, 'veeva-crm', 'c2', physician({ firstName: 'William', lastName: 'Harrington', npi: '1558598797' }));
    await resolveMasters(db, rules, 'hcp');
    expect(await masterOf(db, other)).not.toBe(await masterOf(db, crm));
  });

  it('does not chain a record into a master through a member when another member holds a different valid NPI', async () => {
    const a = await ingest(db, 'chain', 'a', physician({ firstName: 'Oscar', lastName: 'Pellham', npi: '1003000126', line1: '5 ELM ST', zip: '02139', city: 'CAMBRIDGE' }));
    const b = await ingest(db, 'chain', 'b', physician({ firstName: 'Oscar', lastName: 'Pellham', line1: '5 ELM ST', zip: '02139', city: 'CAMBRIDGE' }));
    await resolveMasters(db, rules, 'hcp');
    expect(await masterOf(db, b)).toBe(await masterOf(db, a));
    // Agrees with b on everything, but its NPI says it is not a.
    const c = await ingest(db, 'chain', 'c', physician({ firstName: 'Oscar', lastName: 'Pellham', npi: '1987654328', line1: '5 ELM ST', zip: '02139', city: 'CAMBRIDGE' }));
    await resolveMasters(db, rules, 'hcp');
    expect(await masterOf(db, c)).not.toBe(await masterOf(db, a));
  });

  it('lets an Rx-feed prescriber attach to an existing physician by NPI but never create one', async () => {
    const known = await ingest(db, 'xponent', 'x1', physician({ firstName: 'W', lastName: 'Harrington', npi: '1234567893' }), { rxNpi: '1234567893' });
    const unknown = await ingest(db, 'xponent', 'x2', physician({ firstName: 'Zed', lastName: 'Quill', npi: '1497758544', zip: '94105', city: 'SAN FRANCISCO' }), { rxNpi: '1497758544' });
    const report = await resolveMasters(db, rules, 'hcp', { resolveOnlyConnectors: new Set(['xponent']) });
    expect(report).toMatchObject({ newMasters: 0, unresolved: 1 });
    expect(await masterOf(db, known)).toBe(await masterOf(db, crm));
    const facts = await db.query<{ source_record_id: number; master_id: string | null }>('SELECT source_record_id, master_id FROM rx_fact ORDER BY 1');
    expect(facts.rows).toEqual([
      { source_record_id: known, master_id: await masterOf(db, crm) },
      { source_record_id: unknown, master_id: null },
    ]);
  });

  it('merges two masters without deleting anything, redirects the retired id, and does it only once', async () => {
    const winner = await masterOf(db, crm);
    const loser = await masterOf(db, other);
    const merged = await mergeMasters(db, survivorship, { winnerId: winner, loserId: loser, actor: 'steward.ann', reason: 'same person, NPI typo' });
    expect(merged.status).toBe('merged');
    expect(await masterOf(db, other)).toBe(winner);
    expect(await resolveMasterId(db, loser)).toEqual({ id: winner, redirectedFrom: loser });
    const again = await mergeMasters(db, survivorship, { winnerId: winner, loserId: loser, actor: 'steward.ann' });
    expect(again.status).toBe('already_merged');
    const audit = await db.query<{ actor: string; action: string; reason: string }>(`SELECT actor, action, reason FROM audit_log WHERE action = 'master.merge'`);
    expect(audit.rows).toEqual([{ actor: 'steward.ann', action: 'master.merge', reason: 'same person, NPI typo' }]);
    const outbox = await db.query<{ topic: string }>(`SELECT topic FROM outbox WHERE topic = 'golden.merged'`);
    expect(outbox.rows).toHaveLength(1);
    const golden = await getGoldenRecord(db, winner);
    const npis = (golden!.attributes.identifiers!.value as Array<{ type: string; value: string }>).filter((i) => i.type === 'npi').map((i) => i.value);
    expect(npis.sort()).toEqual(['1234567893', '1558598797']);
  });

  it('unmerges back to exactly the records each master had, restores the retired id, and does it only once', async () => {
    const winner = await masterOf(db, crm);
    const { rows } = await db.query<{ loser_id: string }>('SELECT loser_id FROM merge_event ORDER BY id DESC LIMIT 1');
    const loser = rows[0]!.loser_id;
    const result = await unmergeMaster(db, survivorship, { retiredId: loser, actor: 'steward.bob', reason: 'different people after all' });
    expect(result.status).toBe('unmerged');
    expect(await masterOf(db, other)).toBe(loser);
    expect(await masterOf(db, crm)).toBe(winner);
    expect(await resolveMasterId(db, loser)).toEqual({ id: loser });
    expect((await getGoldenRecord(db, loser))!.status).toBe('active');
    expect((await unmergeMaster(db, survivorship, { retiredId: loser, actor: 'steward.bob' })).status).toBe('already_unmerged');
    const decisions = await db.query<{ decision: string; author: string }>(`SELECT decision, author FROM match_decision WHERE revoked_at IS NULL`);
    expect(decisions.rows).toEqual([{ decision: 'cannot_link', author: 'steward.bob' }]);
    const history = await db.query<{ n: number }>('SELECT count(*) AS n FROM golden_record_history WHERE master_id = $1', [winner]);
    expect(history.rows[0]!.n).toBeGreaterThanOrEqual(3);
  });

  it('drops a deleted source record from its master and recomputes the golden record', async () => {
    const id = await masterOf(db, crm);
    await storeSourceRecords(db, { connector: 'nppes', stream: 's' }, [{ sourceId: 'n1', payload: {}, deleted: true }]);
    await db.query('UPDATE normalized_record SET drafts = $2 WHERE source_record_id = $1', [registry, '[]']);
    const report = await resolveMasters(db, rules, 'hcp');
    expect(report.unlinked).toBe(1);
    const golden = await getGoldenRecord(db, id);
    expect(golden!.attributes.firstName!.value).toBe('Bill');
  });
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesforceConnector } from '../../connectors/salesforce/connector.js';
import { pino } from 'pino';
import { runWriteBack } from '../../connectors/salesforce/write-back.js';
import { publishChanges } from '../../src/pipeline/publish.js';
import { loadMappingCatalog } from '../../src/pipeline/load-mapping-catalog.js';
import { syncStream } from '../../src/pipeline/sync-stream.js';
import type { ConnectorDefinition } from '../../src/sdk/index.js';
import type { Database } from '../../src/store/database.js';
import { appendOutbox, createMasters, linkMembers, memberRef, saveGoldenRecord } from '../../src/store/master.repository.js';
import { createRun } from '../../src/store/sync-run.repository.js';
import type { Workspace } from '../../src/workspace/workspace.js';
import type { FakeSalesforceOrg } from '../fakes/salesforce/fake-org.js';
import { silentLogger, startFakeOrg } from '../fakes/salesforce/harness.js';
import type { SeedResult } from '../fakes/salesforce/seed.js';
import { openTestDatabase } from '../helpers/database.js';

describe('Salesforce streams through the sync engine into the store', () => {
  let db: Database;
  let dispose: () => Promise<void>;
  let org: FakeSalesforceOrg;
  let seed: SeedResult;
  let workspace: Workspace;
  const mappings = loadMappingCatalog(path.resolve('mappings/sources'));

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase('pglite'));
    const h = await startFakeOrg({ accounts: 2_000, addresses: true, affiliations: true });
    ({ org, seed } = h);
    const config = h.config({ bulkThreshold: 1_500, writeBack: { fields: { Preferred_Name_vod__c: 'lastName' }, mergedIntoAccountField: 'ParentId' } });
    workspace = {
      name: 'test',
      dir: process.cwd(),
      mappingsDir: path.resolve('mappings/sources'),
      matchingDir: path.resolve('mappings/matching'),
      survivorshipDir: path.resolve('mappings/survivorship'),
      connectors: [
        { id: 'salesforce-veeva', type: 'salesforce', enabled: true, masters: 'create', config, definition: salesforceConnector as ConnectorDefinition, streams: salesforceConnector.discover(config) },
      ],
    };
  });
  afterAll(async () => {
    await org?.stop();
    await dispose?.();
  });

  async function run(stream: string) {
    const r = await createRun(db, { connector: 'salesforce-veeva', stream, trigger: 'test' });
    return syncStream({ db, workspace, mappings, logger: silentLogger }, { runId: r.id, connectorId: 'salesforce-veeva', stream });
  }

  it('stores every account (over Bulk API 2.0) with its drafts, and a second run finds everything unchanged', async () => {
    const first = await run('account');
    expect(first).toMatchObject({ new: 2_000, changed: 0, quarantined: 0, normalized: 2_000 });
    const { rows } = await db.query<{ n: number; hcp: number; hco: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE n.drafts @> '[{"kind":"hcp"}]')::int AS hcp,
              count(*) FILTER (WHERE n.drafts @> '[{"kind":"hco"}]')::int AS hco
         FROM source_record s JOIN normalized_record n ON n.source_record_id = s.id
        WHERE s.connector = 'salesforce-veeva' AND s.stream = 'account'`,
    );
    expect(rows[0]).toEqual({ n: 2_000, hcp: 1_600, hco: 400 });
    const { rows: issues } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM normalized_record n CROSS JOIN LATERAL jsonb_array_elements(n.issues) i`);
    expect(issues[0]!.n).toBe(0);

    // The overlap window re-reads the last five minutes (about 3,000 records at ten a second, so here all):
    // the same content hashes, nothing new, nothing changed.
    const second = await run('account');
    expect(second.read).toBeGreaterThan(0);
    expect(second).toMatchObject({ new: 0, changed: 0, deleted: 0, unchanged: second.read });
  });

  it('maps addresses and affiliations to drafts keyed by the account salesforce_id', async () => {
    const addresses = await run('address');
    expect(addresses).toMatchObject({ new: seed.addressIds.length, quarantined: 0 });
    const affiliations = await run('child-account');
    expect(affiliations).toMatchObject({ new: seed.childAccountIds.length, quarantined: 0 });
    const { rows } = await db.query<{ drafts: Array<{ kind: string; data: Record<string, unknown> }> }>(
      `SELECT n.drafts FROM normalized_record n JOIN source_record s ON s.id = n.source_record_id WHERE s.stream = 'address' AND s.source_id = $1`,
      [seed.addressIds[seed.addressIds.length - 1]],
    );
    const draft = rows[0]!.drafts[0]!;
    expect(draft.kind).toBe('hcp');
    expect(draft.data.identifiers).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'salesforce_id', issuer: 'salesforce-veeva' })]));
    expect((draft.data.addresses as unknown[]).length).toBe(1);
  });

  it('records deletes as tombstones on the next run', async () => {
    org.remove('Account', seed.personIds[5]!);
    const counts = await run('account');
    expect(counts.deleted).toBe(1);
    const { rows } = await db.query<{ deleted: boolean }>(`SELECT deleted FROM source_record WHERE stream = 'account' AND source_id = $1`, [seed.personIds[5]]);
    expect(rows[0]!.deleted).toBe(true);
  });

  it('writes master ids and golden values back from the outbox, and marks a merged loser with the winner', async () => {
    const [a, b] = [seed.personIds[10]!, seed.personIds[11]!];
    const { rows } = await db.query<{ id: number; source_id: string }>(`SELECT id, source_id FROM source_record WHERE stream = 'account' AND source_id = ANY($1)`, [[a, b]]);
    const recordOf = (id: string) => rows.find((r) => r.source_id === id)!.id;
    await createMasters(db, 'hcp', ['hcp_winner', 'hcp_loser']);
    await linkMembers(db, [
      { ref: memberRef(recordOf(a), 'hcp'), masterId: 'hcp_winner', linkedBy: 'test', reason: 'test' },
      { ref: memberRef(recordOf(b), 'hcp'), masterId: 'hcp_loser', linkedBy: 'test', reason: 'test' },
    ]);
    const lineage = { sourceRecordId: recordOf(a), connector: 'salesforce-veeva', rule: 'test', receivedAt: new Date().toISOString() };
    await saveGoldenRecord(db, {
      masterId: 'hcp_winner',
      entityType: 'hcp',
      attributes: {
        lastName: { value: 'GOLDEN', lineage, competing: [] },
        // An opt-out received from any source reaches the CRM.
        consents: { value: [{ channel: 'pdrp', status: 'opted_out', date: '2024-01-05' }, { channel: 'email', status: 'opted_out' }], lineage, competing: [] },
      } as never,
      displayName: 'x',
      cause: 'test',
    });
    const config = workspace.connectors[0]!.config as Parameters<typeof runWriteBack>[1]['config'];
    // The publish stage (run after every master resolution) finds the write-back connector and runs it.
    const [published] = await publishChanges(db, workspace, pino({ level: 'silent' }));
    expect(published).toMatchObject({ connector: 'salesforce-veeva', report: { written: 1, failed: [] } });
    expect(org.objects.get('Account')!.rows.get(a)).toMatchObject({
      Crosswalk_Master_Id__c: 'hcp_winner',
      Preferred_Name_vod__c: 'GOLDEN',
      PDRP_Opt_Out_vod__c: true,
      PDRP_Opt_Out_Date_vod__c: '2024-01-05',
      PersonHasOptedOutOfEmail: true,
    });

    // The loser's member moves to the winner; the merge event lists it.
    await db.query(`UPDATE crosswalk SET master_id = 'hcp_winner' WHERE master_id = 'hcp_loser'`);
    await db.query(`UPDATE master_entity SET status = 'retired', replaced_by = 'hcp_winner' WHERE id = 'hcp_loser'`);
    const { rows: ev } = await db.query<{ id: number }>(
      `INSERT INTO merge_event (entity_type, winner_id, loser_id, member_refs, actor) VALUES ('hcp', 'hcp_winner', 'hcp_loser', $1, 'test') RETURNING id`,
      [JSON.stringify([memberRef(recordOf(b), 'hcp')])],
    );
    await appendOutbox(db, 'golden.merged', 'hcp_winner', { winnerId: 'hcp_winner', loserId: 'hcp_loser', mergeEventId: ev[0]!.id });
    const second = await runWriteBack(db, { connectorId: 'salesforce-veeva', config });
    expect(second).toMatchObject({ events: 1, written: 2, failed: [] });
    expect(org.objects.get('Account')!.rows.get(b)).toMatchObject({ Crosswalk_Master_Id__c: 'hcp_winner', Crosswalk_Merged_Into__c: 'hcp_winner', ParentId: a, IsDeleted: false });

    // Nothing new in the outbox: nothing to write.
    expect(await runWriteBack(db, { connectorId: 'salesforce-veeva', config })).toMatchObject({ events: 0, requests: 0 });
  });

  it('keeps failed write-backs and retries them on the next pass', async () => {
    const c = seed.personIds[12]!;
    const { rows } = await db.query<{ id: number }>(`SELECT id FROM source_record WHERE stream = 'account' AND source_id = $1`, [c]);
    await createMasters(db, 'hcp', ['hcp_third']);
    await linkMembers(db, [{ ref: memberRef(rows[0]!.id, 'hcp'), masterId: 'hcp_third', linkedBy: 'test', reason: 'test' }]);
    const lineage = { sourceRecordId: rows[0]!.id, connector: 'salesforce-veeva', rule: 'test', receivedAt: new Date().toISOString() };
    await saveGoldenRecord(db, { masterId: 'hcp_third', entityType: 'hcp', attributes: { lastName: { value: 'THIRD', lineage, competing: [] } } as never, displayName: 'x', cause: 'test' });
    const config = workspace.connectors[0]!.config as Parameters<typeof runWriteBack>[1]['config'];
    const failing = await runWriteBack(db, {
      connectorId: 'salesforce-veeva',
      config,
      write: async (requests) => ({ written: [], failed: requests.map((r) => ({ crmId: r.crmId, ...(r.masterId ? { masterId: r.masterId } : {}), errorCode: 'UNABLE_TO_LOCK_ROW', message: 'locked', attempts: 3, fields: r.fields })), apiCalls: 1 }),
    });
    expect(failing.failed).toHaveLength(1);
    const retried = await runWriteBack(db, { connectorId: 'salesforce-veeva', config });
    expect(retried).toMatchObject({ events: 0, requests: 1, written: 1 });
    expect(org.objects.get('Account')!.rows.get(c)).toMatchObject({ Crosswalk_Master_Id__c: 'hcp_third', Preferred_Name_vod__c: 'THIRD' });
    const { rows: left } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM salesforce_write_back_failure');
    expect(left[0]!.n).toBe(0);
  });
});

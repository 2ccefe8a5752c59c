import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consent } from '../../src/model/index.js';
import { resolveMasters } from '../../src/pipeline/resolve-masters.js';
import { consentsToCrmFields } from '../../src/privacy/consent-write-back.js';
import { listRxFactsForReps } from '../../src/privacy/rx-for-reps.js';
import type { Database } from '../../src/store/database.js';
import { getGoldenRecord } from '../../src/store/master.repository.js';
import { mergeMasters, unmergeMaster } from '../../src/survivorship/merge.js';
import { STORE_KINDS, openTestDatabase } from '../helpers/database.js';
import { ingest as ingestDraft, masterOf, physician, rules, survivorship } from '../helpers/masters.js';
import { crmRow, ingest, npi, sfid } from './privacy-fixtures.js';

const NPI = npi('167245893');
const OTHER_NPI = npi('188812345');
const CRM_ID = sfid('0014x00000PRV01');

/** The golden consents of a master, channel -> status. */
async function consentsOf(db: Database, masterId: string): Promise<Record<string, string>> {
  const golden = await getGoldenRecord(db, masterId);
  const list = (golden?.attributes.consents?.value ?? []) as Consent[];
  return Object.fromEntries(list.map((c) => [c.channel, c.status]));
}

async function sourceRecordId(db: Database, connector: string, sourceId: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM source_record WHERE connector = $1 AND source_id = $2', [connector, sourceId]);
  return rows[0]!.id;
}

describe.each(STORE_KINDS)('consents and PDRP opt-outs follow the physician on %s', (kind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(kind));
  });
  afterAll(async () => dispose?.());

  const resolveOnly = new Set(['xponent']);
  let main: string;
  let dup: string;

  it('keeps an opt-out from the CRM over a newer opt-in from another source (most restrictive wins, per channel)', async () => {
    // A CRM export row, through the shipped mapping: PDRP and email opt-outs.
    await ingest(db, 'veeva-crm', 'accounts', {
      records: [
        {
          payload: crmRow({
            Id: CRM_ID, FirstName: 'Marguerite', LastName: 'Olufemi-Strand', NPI_vod__c: NPI, PersonEmail: 'm.olufemi@clinic.example',
            PersonHasOptedOutOfEmail: 'true', PDRP_Opt_Out_vod__c: 'true', PDRP_Opt_Out_Date_vod__c: '2025-03-01',
            Address_Line_1__c: '40 Harbor St', City_vod__c: 'Boston', State_vod__c: 'MA', Zip_vod__c: '02116',
          }),
        },
      ],
    });
    // A registry-like source with the same NPI says the opposite, and more recently.
    await ingestDraft(db, 'nppes', 'n-1', {
      ...physician({ firstName: 'Marguerite', lastName: 'Olufemi-Strand', npi: NPI, line1: '40 HARBOR ST', zip: '02116' }),
      consents: [
        { channel: 'email', status: 'opted_in', source: 'nppes', date: '2026-06-01' },
        { channel: 'pdrp', status: 'opted_in', source: 'nppes', date: '2026-06-01' },
        { channel: 'visit', status: 'opted_in', source: 'nppes', date: '2026-06-01' },
      ],
    });
    await resolveMasters(db, rules, 'hcp');
    main = await masterOf(db, await sourceRecordId(db, 'veeva-crm', CRM_ID));
    expect(await masterOf(db, await sourceRecordId(db, 'nppes', 'n-1'))).toBe(main);
    expect(await consentsOf(db, main)).toEqual({ email: 'opted_out', pdrp: 'opted_out', visit: 'opted_in' });
  });

  it('adds the opt-outs of a merged duplicate on every channel, and an opt-in of the duplicate lifts nothing', async () => {
    const dupRecord = await ingestDraft(db, 'salesforce-veeva', 'dup-1', {
      ...physician({ firstName: 'Margo', lastName: 'Strand', line1: '9 ELM RD', zip: '98101', city: 'SEATTLE' }),
      consents: [
        { channel: 'phone', status: 'opted_out', date: '2024-01-01' },
        { channel: 'fax', status: 'opted_out', date: '2024-01-01' },
        { channel: 'mail', status: 'opted_out', date: '2024-01-01' },
        { channel: 'pdrp', status: 'opted_in', date: '2026-07-01' },
        { channel: 'email', status: 'opted_in', date: '2026-07-01' },
      ],
    });
    await resolveMasters(db, rules, 'hcp');
    dup = await masterOf(db, dupRecord);
    expect(dup).not.toBe(main);
    expect(await consentsOf(db, dup)).toEqual({ email: 'opted_in', phone: 'opted_out', fax: 'opted_out', mail: 'opted_out', pdrp: 'opted_in' });

    await mergeMasters(db, survivorship, { winnerId: main, loserId: dup, actor: 'steward.kim', reason: 'same physician, moved' });
    expect(await consentsOf(db, main)).toEqual({ email: 'opted_out', phone: 'opted_out', fax: 'opted_out', visit: 'opted_in', mail: 'opted_out', pdrp: 'opted_out' });
    // Running resolution again changes nothing.
    await resolveMasters(db, rules, 'hcp');
    expect(await consentsOf(db, main)).toEqual({ email: 'opted_out', phone: 'opted_out', fax: 'opted_out', visit: 'opted_in', mail: 'opted_out', pdrp: 'opted_out' });
  });

  it('gives each side back exactly its own consents on unmerge', async () => {
    await unmergeMaster(db, survivorship, { retiredId: dup, actor: 'steward.kim', reason: 'not the same after all' });
    expect(await consentsOf(db, main)).toEqual({ email: 'opted_out', pdrp: 'opted_out', visit: 'opted_in' });
    expect(await consentsOf(db, dup)).toEqual({ email: 'opted_in', phone: 'opted_out', fax: 'opted_out', mail: 'opted_out', pdrp: 'opted_in' });
  });

  it('keeps the PDRP opt-out whichever master survives the merge', async () => {
    await mergeMasters(db, survivorship, { winnerId: dup, loserId: main, actor: 'steward.kim', reason: 'same after all; keep the newer id' });
    expect(await consentsOf(db, dup)).toMatchObject({ pdrp: 'opted_out', email: 'opted_out', phone: 'opted_out', fax: 'opted_out', mail: 'opted_out' });
    expect((await getGoldenRecord(db, dup))!.attributes.consents!.items!.find((i) => (i.value as Consent).channel === 'pdrp')!.lineage.connector).toBe('veeva-crm');
  });

  it('leaves an opted-out physician\'s Rx facts out of what representatives see, and flags them for internal use', async () => {
    await ingestDraft(db, 'xponent', 'rx-1', physician({ firstName: 'M', lastName: 'Olufemi-Strand', npi: NPI }), { rxNpi: NPI });
    await ingestDraft(db, 'veeva-crm-2', 'other-1', physician({ firstName: 'Tobias', lastName: 'Wrenfield', npi: OTHER_NPI, zip: '10001', city: 'NEW YORK' }));
    await ingestDraft(db, 'xponent', 'rx-2', physician({ firstName: 'T', lastName: 'Wrenfield', npi: OTHER_NPI, zip: '10001', city: 'NEW YORK' }), { rxNpi: OTHER_NPI });
    await ingestDraft(db, 'xponent', 'rx-3', physician({ firstName: 'Nobody', lastName: 'Known', npi: npi('199999999'), zip: '60601', city: 'CHICAGO' }), { rxNpi: npi('199999999') });
    await resolveMasters(db, rules, 'hcp', { resolveOnlyConnectors: resolveOnly });
    const other = await masterOf(db, await sourceRecordId(db, 'veeva-crm-2', 'other-1'));

    const forReps = await listRxFactsForReps(db);
    expect(forReps.map((f) => f.masterId)).toEqual([other]);
    const all = await listRxFactsForReps(db, { includeOptedOut: true, includeUnresolved: true });
    expect(all.map((f) => [f.masterId, f.pdrpOptedOut, f.resolved])).toEqual(
      expect.arrayContaining([
        [dup, true, true],
        [other, false, true],
        [null, false, false],
      ]),
    );
    expect(all).toHaveLength(3);
  });

  it('flags the facts still credited to a retired master through its survivor', async () => {
    // A fact pointing at the retired id (written before the merge moved it) is judged by the survivor's consents.
    await db.query(`UPDATE rx_fact SET master_id = $1 WHERE master_id = $2`, [main, dup]);
    const all = await listRxFactsForReps(db, { includeOptedOut: true });
    expect(all.find((f) => f.masterId === dup)).toMatchObject({ pdrpOptedOut: true });
    expect((await listRxFactsForReps(db)).some((f) => f.masterId === dup)).toBe(false);
  });

  it('maps the golden opt-outs to the Veeva CRM fields the write-back sets', async () => {
    const golden = await getGoldenRecord(db, dup);
    expect(consentsToCrmFields(golden!.attributes.consents!.value)).toEqual({
      PersonHasOptedOutOfEmail: true,
      PersonDoNotCall: true,
      PDRP_Opt_Out_vod__c: true,
      PDRP_Opt_Out_Date_vod__c: '2025-03-01',
    });
  });
});

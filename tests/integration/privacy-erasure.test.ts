import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMasters } from '../../src/pipeline/resolve-masters.js';
import { eraseSubject } from '../../src/privacy/erase.js';
import { ERASED_REASON_CODE } from '../../src/privacy/erasure-screen.js';
import { exportSubject } from '../../src/privacy/export.js';
import { parsePrivacyKey, type PrivacyKeyring } from '../../src/privacy/privacy-key.js';
import { generateSecretKey } from '../../src/secrets/secret-box.js';
import type { Database } from '../../src/store/database.js';
import { getGoldenRecord } from '../../src/store/master.repository.js';
import { mergeMasters, unmergeMaster } from '../../src/survivorship/merge.js';
import { STORE_KINDS, openTestDatabase } from '../helpers/database.js';
import { ingest as ingestDraft, masterOf, physician, rules, survivorship } from '../helpers/masters.js';
import { crmRow, dea, findInDatabase, ingest, ingestScreened, npi, rxRow, sfid } from './privacy-fixtures.js';

// The person who asks to be erased, and a colleague who must not lose anything.
const S = {
  first: 'Anneliese',
  last: 'Okonkwo-Brandt',
  npi: npi('176543219'),
  dea: dea('BO', '482913'),
  me: '04812345671',
  license: 'MD-99817',
  email: 'a.okonkwo-brandt@harborclinic.example',
  phone: '(617) 555-0142',
  crmId: sfid('0014x00000ERA01'),
  dupId: 'sfv-dup-77812345',
  vendorId: '991827364',
};
const C = { first: 'Bartholomew', last: 'Quenneville', npi: npi('154321987'), email: 'bq@lakeside.example', crmId: sfid('0014x00000KEEP1') };

const subjectRow = crmRow({
  Id: S.crmId, Salutation: 'Dr.', FirstName: S.first, LastName: S.last, NPI_vod__c: S.npi, ME__c: S.me, DEA_vod__c: S.dea, License_vod__c: S.license,
  PersonEmail: S.email, Phone: S.phone, PDRP_Opt_Out_vod__c: 'true', PDRP_Opt_Out_Date_vod__c: '2025-02-03', Credentials_vod__c: 'MD',
  Address_Line_1__c: '40 Harbor St', City_vod__c: 'Boston', State_vod__c: 'MA', Zip_vod__c: '02116',
});
const colleagueRow = crmRow({
  Id: C.crmId, FirstName: C.first, LastName: C.last, NPI_vod__c: C.npi, PersonEmail: C.email, Phone: '(617) 555-0199',
  Address_Line_1__c: '40 Harbor St', City_vod__c: 'Boston', State_vod__c: 'MA', Zip_vod__c: '02116',
});
const subjectRx = rxRow({ PRESCRIBER_ID: S.vendorId, ME_NUMBER: S.me, NPI: S.npi, LAST_NAME: S.last.toUpperCase(), FIRST_NAME: S.first.toUpperCase(), ADDRESS: '40 HARBOR ST', CITY: 'BOSTON', STATE: 'MA', ZIP: '02116', PRODUCT: 'CARDIOZEN 10MG', PERIOD_END: '20261030', TRX: '7', NRX: '2', UNITS: '210', DOLLARS: '512.00' });
const colleagueRx = rxRow({ PRESCRIBER_ID: '551122334', NPI: C.npi, LAST_NAME: C.last.toUpperCase(), FIRST_NAME: C.first.toUpperCase(), ADDRESS: '40 HARBOR ST', CITY: 'BOSTON', STATE: 'MA', ZIP: '02116', PRODUCT: 'CARDIOZEN 10MG', PERIOD_END: '20261030', TRX: '3' });

/** What must not be found anywhere after the erasure: names, identifiers, contact details, source ids. */
const FORBIDDEN = [S.first, S.last, 'Okonkwo', S.npi, S.dea, S.me, S.license, S.email, '6175550142', '555-0142', S.crmId, S.crmId.slice(0, 15), S.dupId, S.vendorId];

const keyring: PrivacyKeyring = { current: parsePrivacyKey(generateSecretKey(), 'CROSSWALK_PRIVACY_KEY'), previous: [] };
const goldenRules = { ...survivorship, referenceOnly: new Set(['xponent']) };

describe.each(STORE_KINDS)('erasing a physician on %s', (kind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(kind));
  });
  afterAll(async () => dispose?.());

  let subject: string;
  let colleague: string;
  let dup: string;

  it('starts from a store holding the person in every table a real history leaves them in', async () => {
    await ingest(db, 'veeva-crm', 'accounts', {
      records: [{ payload: subjectRow }, { payload: colleagueRow }, { payload: { ...subjectRow, Id: '' } }],
      rejected: [{ reasonCode: 'file.malformed_line', reason: 'Invalid closing quote (accounts.csv, line 7)', raw: `"${S.crmId}",true,,${S.first},"${S.last},${S.npi},${S.email}` }],
    });
    await ingest(db, 'xponent', 'rx', { records: [{ payload: subjectRx }, { payload: colleagueRx }] });
    const dupRecord = await ingestDraft(db, 'salesforce-veeva', S.dupId, {
      ...physician({ firstName: 'Anna', lastName: 'Okonkwo', line1: '9 ELM RD', zip: '98101', city: 'SEATTLE' }),
      contactPoints: [{ kind: 'email', value: S.email, use: 'work', primary: true }],
    });
    await resolveMasters(db, rules, 'hcp', { resolveOnlyConnectors: new Set(['xponent']) });
    const crmRecord = (await db.query<{ id: number }>('SELECT id FROM source_record WHERE source_id = $1', [S.crmId])).rows[0]!.id;
    subject = await masterOf(db, crmRecord);
    colleague = await masterOf(db, (await db.query<{ id: number }>('SELECT id FROM source_record WHERE source_id = $1', [C.crmId])).rows[0]!.id);
    dup = await masterOf(db, dupRecord);
    expect(new Set([subject, colleague, dup]).size).toBe(3);

    // A merge, its undoing and a merge again: merge events, decisions, audit entries with golden values, outbox events.
    await mergeMasters(db, goldenRules, { winnerId: subject, loserId: dup, actor: 'steward.ann', reason: 'same physician' });
    await unmergeMaster(db, goldenRules, { retiredId: dup, actor: 'steward.ann', reason: 'checking' });
    await mergeMasters(db, goldenRules, { winnerId: subject, loserId: dup, actor: 'steward.ann', reason: 'same physician, confirmed' });
    const refs = (await db.query<{ ref: string }>(`SELECT source_record_id || ':' || draft_key AS ref FROM crosswalk WHERE master_id = ANY($1::text[]) ORDER BY 1`, [[subject, colleague]])).rows.map((r) => r.ref);
    await db.query(`INSERT INTO review_item (entity_type, member_refs, score, explanation) VALUES ('hcp', $1, 0.7, $2)`, [
      JSON.stringify(refs.slice(0, 2)),
      JSON.stringify({ steps: [{ comparison: 'name', left: `${S.first} ${S.last}`, right: `${C.first} ${C.last}` }] }),
    ]);
    await db.query(`INSERT INTO attribute_pin (master_id, attribute, value, pinned_by, reason) VALUES ($1, 'preferredName', $2, 'steward.ann', 'asked by phone')`, [subject, JSON.stringify('Anneliese')]);
    await db.query(`INSERT INTO salesforce_write_back_failure (connector, object, crm_id, master_id, fields, error_code, message) VALUES ('salesforce-veeva', 'Account', $1, $2, $3, 'UNABLE_TO_LOCK_ROW', 'row lock')`, [
      S.crmId,
      subject,
      JSON.stringify({ PersonEmail: S.email, PDRP_Opt_Out_vod__c: true }),
    ]);
    const segments = await db.query<{ t: string | null }>(`SELECT to_regclass('physician_segment')::text AS t`);
    if (segments.rows[0]!.t) {
      await db.query(`INSERT INTO physician_segment (master_id, product, decile, trx, share, key_account, pdrp_opted_out) VALUES ($1, 'CARDIOZEN 10MG', 10, 7, 0.7, true, true), ($2, 'CARDIOZEN 10MG', 5, 3, 0.3, false, false)`, [subject, colleague]);
    }

    const before = await findInDatabase(db, FORBIDDEN);
    expect(Object.keys(before)).toEqual(expect.arrayContaining([S.npi, S.email, S.crmId, S.dupId, S.first]));
    expect(before[S.npi]).toEqual(expect.arrayContaining(['source_record.payload', 'normalized_record.drafts', 'golden_record.attributes', 'golden_record_history.attributes', 'master_identifier.value', 'rx_fact.prescriber', 'quarantine.payload']));
    // Merge and unmerge audit values about physicians are kept apart from the append-only log (migration 010).
    expect(before[S.first]).toContain('audit_log_detail.before');
    expect(before[S.first]).not.toContain('audit_log.before');
  });

  it('exports everything held about the person, found by NPI, with lineage, and records the request', async () => {
    const doc = await exportSubject(db, { key: S.npi, actor: 'dpo.lee', reason: 'DSAR-2026-0042' });
    expect(doc.subject.masterId).toBe(subject);
    expect(doc.subject.masterIds.sort()).toEqual([subject, dup].sort());
    const json = JSON.stringify(doc);
    for (const value of [S.email, S.crmId, S.dupId, S.vendorId, S.license]) expect(json).toContain(value);
    expect(json).not.toContain(C.email);
    expect(doc.sourceRecords.map((r) => (r as { source_id: string }).source_id).sort()).toEqual(
      expect.arrayContaining([S.crmId, S.dupId, `${S.vendorId}:CARDIOZEN 10MG:20261030`]),
    );
    expect(doc.sourceRecords.every((r) => (r as { drafts: unknown }).drafts !== null)).toBe(true);
    expect(doc.goldenRecords).toHaveLength(2);
    expect(doc.goldenHistory.length).toBeGreaterThanOrEqual(3);
    expect(doc.mergeEvents).toHaveLength(2);
    expect(doc.rxFacts).toHaveLength(1);
    expect(doc.reviewItems).toHaveLength(1);
    expect(doc.matchDecisions.length).toBeGreaterThanOrEqual(1);
    expect(doc.pins).toHaveLength(1);
    expect(doc.writeBackFailures).toHaveLength(1);
    expect(doc.quarantine).toHaveLength(2);
    expect(doc.auditEntries.map((a) => (a as { action: string }).action)).toEqual(expect.arrayContaining(['master.merge', 'master.unmerge']));
    expect(JSON.stringify(doc.auditEntries)).toContain(S.last);
    const audit = await db.query<{ actor: string; reason: string; after: unknown }>(`SELECT actor, reason, after FROM audit_log WHERE action = 'privacy.export'`);
    expect(audit.rows).toEqual([{ actor: 'dpo.lee', reason: 'DSAR-2026-0042', after: { masterIds: doc.subject.masterIds, sourceRecords: doc.sourceRecords.length } }]);
  });

  it('refuses to erase without the privacy key, or without who and why', async () => {
    await expect(eraseSubject(db, { key: S.npi, actor: 'dpo.lee', reason: 'x', survivorship: goldenRules, keyring: { previous: [] } })).rejects.toMatchObject({ code: 'privacy.key_missing' });
    await expect(eraseSubject(db, { key: S.npi, actor: ' ', reason: 'x', survivorship: goldenRules, keyring })).rejects.toMatchObject({ code: 'privacy.actor_missing' });
    await expect(eraseSubject(db, { key: S.npi, actor: 'dpo.lee', reason: '', survivorship: goldenRules, keyring })).rejects.toMatchObject({ code: 'privacy.reason_missing' });
  });

  it('counts everything on a dry run and changes nothing', async () => {
    const before = await findInDatabase(db, FORBIDDEN);
    const report = await eraseSubject(db, { key: S.crmId, actor: 'dpo.lee', reason: 'DSAR-2026-0042', survivorship: goldenRules, keyring, dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.deleted.source_record).toBe(3);
    expect(await findInDatabase(db, FORBIDDEN)).toEqual(before);
    expect((await db.query('SELECT 1 FROM privacy_tombstone')).rowCount).toBe(0);
  });

  it('erases the person from every table, leaving nothing of them but keyed hashes', async () => {
    const auditBefore = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]!.n;
    const report = await eraseSubject(db, { key: S.npi, actor: 'dpo.lee', reason: 'DSAR-2026-0042', survivorship: goldenRules, keyring });
    expect(report.masterIds.sort()).toEqual([subject, dup].sort());
    expect(report.deleted).toMatchObject({ source_record: 3, golden_record: 2, attribute_pin: 1, review_item: 1, merge_event: 2, quarantine: 2, salesforce_write_back_failure: 1, rx_fact: 1 });
    expect(report.tombstones.length).toBeGreaterThanOrEqual(8);
    expect(report.redactedAuditEntries).toBeGreaterThanOrEqual(3);
    expect(report.auditEntriesStillMentioning).toBe(0);
    expect(report.mentionedBy).toEqual([]);

    // The whole database, every text and JSON column of every table.
    expect(await findInDatabase(db, FORBIDDEN)).toEqual({});

    // The colleague lost nothing, and the golden record shows no trace of the review pair.
    expect((await getGoldenRecord(db, colleague))!.attributes.lastName!.value).toBe(C.last);
    expect((await findInDatabase(db, [C.npi, C.email, C.crmId]))[C.npi]).toEqual(expect.arrayContaining(['source_record.payload', 'golden_record.attributes']));

    // The audit log was only appended to: every entry is still there, the merge entries without their values.
    const after = await db.query<{ id: number; action: string; before: unknown; after: unknown; redacted_by_request: number | null }>(
      'SELECT id, action, before, after, redacted_by_request FROM audit_log_entry ORDER BY id',
    );
    expect(after.rows).toHaveLength(auditBefore + 1);
    for (const merge of after.rows.filter((r) => r.action === 'master.merge' || r.action === 'master.unmerge')) {
      expect(merge).toMatchObject({ before: null, after: null, redacted_by_request: report.requestId });
    }
    const erasure = after.rows.at(-1)!;
    expect(erasure).toMatchObject({ action: 'privacy.erase', after: { masterIds: report.masterIds, tombstones: report.tombstones, keyId: keyring.current!.id } });
    const entry = await db.query<{ actor: string; reason: string; entity_type: string; entity_id: string }>(`SELECT actor, reason, entity_type, entity_id FROM audit_log WHERE action = 'privacy.erase'`);
    expect(entry.rows).toEqual([{ actor: 'dpo.lee', reason: 'DSAR-2026-0042', entity_type: 'privacy_request', entity_id: String(report.requestId) }]);
    const events = await db.query<{ payload: unknown }>(`SELECT payload FROM outbox WHERE topic = 'privacy.erased'`);
    expect(events.rows).toEqual([{ payload: { requestId: report.requestId, masterIds: report.masterIds } }]);
  });

  it('keeps the person out of later syncs: their records are counted and quarantined without payload, others go on', async () => {
    const again = await ingestScreened(db, 'veeva-crm', 'accounts', {
      records: [{ payload: subjectRow }, { payload: colleagueRow }],
      rejected: [{ reasonCode: 'file.malformed_line', reason: 'Invalid closing quote (accounts.csv, line 7)', raw: `"x",true,,${S.first},"${S.last},${S.npi}` }],
    }, keyring);
    expect(again).toMatchObject({ erased: 2, stored: 0, unchanged: 1 });
    const rx = await ingestScreened(db, 'xponent', 'rx', { records: [{ payload: subjectRx }, { payload: colleagueRx }] }, keyring);
    expect(rx).toMatchObject({ erased: 1, unchanged: 1 });
    // A record the hub never saw, from a new source: the NPI alone gives the person away.
    const fresh = await ingestScreened(db, 'veeva-crm', 'accounts', { records: [{ payload: { ...subjectRow, Id: sfid('0014x00000NEW99'), PersonEmail: 'new@else.example' } }] }, keyring);
    expect(fresh).toMatchObject({ erased: 1, stored: 0 });

    const kept = await db.query<{ reason_code: string; source_id: string | null; payload: unknown; reason: string }>(`SELECT reason_code, source_id, payload, reason FROM quarantine ORDER BY id`);
    expect(kept.rows).toHaveLength(4);
    for (const row of kept.rows) expect(row).toMatchObject({ reason_code: ERASED_REASON_CODE, source_id: null, payload: null });
    expect(kept.rows[0]!.reason).toMatch(/privacy request #\d+ \(tombstone [0-9a-f]{12}\)/);
    expect(await findInDatabase(db, [...FORBIDDEN, sfid('0014x00000NEW99'), 'new@else.example'])).toEqual({});
  });

  it('refuses to ingest when tombstones exist under a key the environment does not hold', async () => {
    const other = { current: parsePrivacyKey(generateSecretKey(), 'CROSSWALK_PRIVACY_KEY'), previous: [] };
    await expect(ingestScreened(db, 'veeva-crm', 'accounts', { records: [{ payload: subjectRow }] }, other)).rejects.toMatchObject({ code: 'privacy.key_missing' });
    // A rotated key with the old one kept as previous still holds.
    const rotated = { current: other.current, previous: [keyring.current!] };
    expect(await ingestScreened(db, 'veeva-crm', 'accounts', { records: [{ payload: subjectRow }] }, rotated)).toMatchObject({ erased: 1, stored: 0 });
  });

  it('finds nobody the second time', async () => {
    await expect(eraseSubject(db, { key: S.npi, actor: 'dpo.lee', reason: 'again', survivorship: goldenRules, keyring })).rejects.toMatchObject({ code: 'privacy.not_found' });
    await expect(exportSubject(db, { key: subject, actor: 'dpo.lee' })).rejects.toMatchObject({ code: 'privacy.not_found' });
  });
});

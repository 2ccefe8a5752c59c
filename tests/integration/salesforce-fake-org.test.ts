import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesforceConnector } from '../../connectors/salesforce/connector.js';
import type { SalesforceCheckpoint } from '../../connectors/salesforce/sync.js';
import { REDACT_PATHS } from '../../src/logger.js';
import { ConfigError, TransientError } from '../../src/sdk/index.js';
import type { FakeSalesforceOrg } from '../fakes/salesforce/fake-org.js';
import { readAll, startFakeOrg } from '../fakes/salesforce/harness.js';
import type { SeedResult } from '../fakes/salesforce/seed.js';

type Harness = Awaited<ReturnType<typeof startFakeOrg>>;

const liveAccounts = (org: FakeSalesforceOrg) => org.rows('Account').filter((r) => !r.IsDeleted).length;

describe('the Salesforce connector against a fake org over HTTP', () => {
  let h: Harness;
  let org: FakeSalesforceOrg;
  let seed: SeedResult;
  beforeAll(async () => {
    h = await startFakeOrg({ accounts: 10_000, addresses: true, affiliations: true });
    ({ org, seed } = h);
  });
  afterAll(async () => org?.stop());

  it('reads 10,000 accounts in REST pages, each once, ordered, and ends idle at the newest SystemModstamp', async () => {
    const before = org.countRequests(/\/query\/01g/);
    const { records, checkpoint, batches } = await readAll(h.config({ bulkThreshold: 20_000 }), 'account');
    expect(records).toHaveLength(10_000);
    expect(new Set(records.map((r) => r.sourceId)).size).toBe(10_000);
    expect(batches.length).toBeGreaterThanOrEqual(10);
    expect(org.countRequests(/\/query\/01g/) - before).toBe(4); // 2000-record pages: 1 query + 4 queryMore
    const stamps = records.map((r) => r.sourceUpdatedAt!);
    expect([...stamps].sort()).toEqual(stamps);
    const cp = checkpoint as SalesforceCheckpoint;
    expect(cp.mode).toBe('idle');
    expect(cp.watermark).toBe(stamps[stamps.length - 1]);
    const person = records.find((r) => r.payload.IsPersonAccount === true)!;
    expect(person.payload).toMatchObject({ IsPersonAccount: true, PDRP_Opt_Out_vod__c: expect.any(Boolean), Crosswalk_Network_Id: expect.stringMatching(/^NET-P-/) });
    expect(person.payload).not.toHaveProperty('attributes');
    expect(person.payload).not.toHaveProperty('BillingAddress'); // compound fields are left out
  });

  it('reads the same records over Bulk API 2.0 above the threshold, with identical payloads', async () => {
    const rest = await readAll(h.config({ bulkThreshold: 20_000 }), 'address');
    const jobsBefore = org.countRequests(/^POST .*\/jobs\/query$/);
    const bulk = await readAll(h.config({ bulkThreshold: 1000, bulkPageSize: 3000 }), 'address');
    expect(org.countRequests(/^POST .*\/jobs\/query$/) - jobsBefore).toBe(1);
    expect(bulk.records).toHaveLength(rest.records.length);
    const byId = new Map(rest.records.map((r) => [r.sourceId, r.payload]));
    for (const r of bulk.records) expect(r.payload).toEqual(byId.get(r.sourceId));
    expect((bulk.checkpoint as SalesforceCheckpoint).watermark).toBe((rest.checkpoint as SalesforceCheckpoint).watermark);
    expect(bulk.records[0]!.payload).toHaveProperty(['Account_vod__r.IsPersonAccount']);
  });

  it('resumes an interrupted bulk read at its locator and offset, without a new job and without repeats', async () => {
    const config = h.config({ bulkThreshold: 1000, bulkPageSize: 2500 });
    const jobsBefore = org.countRequests(/^POST .*\/jobs\/query$/);
    const first = await readAll(config, 'account', { batchSize: 1000, stopAfter: 5 }); // the job's empty batch + 4
    const cp = first.checkpoint as SalesforceCheckpoint;
    expect(cp).toMatchObject({ mode: 'bulk', offset: 1000 }); // 2500-row pages: 1000 + 1000 + 500, then 1000 of page 2
    expect(cp.locator).toBeTruthy();
    const rest = await readAll(config, 'account', { checkpoint: first.checkpoint });
    expect(org.countRequests(/^POST .*\/jobs\/query$/) - jobsBefore).toBe(1);
    const ids = [...first.records, ...rest.records].map((r) => r.sourceId);
    expect(ids).toHaveLength(10_000);
    expect(new Set(ids).size).toBe(10_000);
  });

  it('reads only the delta after edits, with the overlap window, and deleted accounts as tombstones', async () => {
    const config = h.config({ bulkThreshold: 20_000, overlapMinutes: 1 });
    const full = await readAll(config, 'account');
    const edited = seed.personIds.slice(100, 105);
    for (const id of edited) org.update('Account', id, { LastName: 'Edited' });
    const added = org.insert('Account', { IsPersonAccount: true, FirstName: 'New', LastName: 'Doctor' }, org.tick());
    const removed = seed.personIds.slice(200, 203);
    for (const id of removed) org.remove('Account', id);
    const delta = await readAll(config, 'account', { checkpoint: full.checkpoint });
    const live = delta.records.filter((r) => !r.deleted);
    const tombstones = delta.records.filter((r) => r.deleted);
    expect(live.map((r) => r.sourceId)).toEqual(expect.arrayContaining([...edited, added.Id]));
    // One minute of overlap at ten records a second re-reads about 600 unchanged records, not 10,000.
    expect(live.length).toBeLessThan(1000);
    expect(live.find((r) => r.sourceId === edited[0])!.payload.LastName).toBe('Edited');
    expect(tombstones.map((r) => r.sourceId).sort()).toEqual([...removed].sort());
    expect(tombstones[0]).toMatchObject({ deleted: true, payload: { IsDeleted: true } });
    expect(org.countRequests(/\/queryAll$/)).toBeGreaterThan(0);
  });

  it('finds deletes through /sobjects/{type}/deleted when configured so', async () => {
    const config = h.config({ bulkThreshold: 20_000, streams: [{ name: 'address', object: 'Address_vod__c', deletes: 'deleted-endpoint', relatedFields: ['Account_vod__r.IsPersonAccount'] }] });
    const full = await readAll(config, 'address');
    const gone = seed.addressIds[7]!;
    org.remove('Address_vod__c', gone);
    const delta = await readAll(config, 'address', { checkpoint: full.checkpoint });
    expect(delta.records.filter((r) => r.deleted).map((r) => r.sourceId)).toEqual([gone]);
    expect(org.countRequests(/\/sobjects\/Address_vod__c\/deleted\/?$/)).toBe(1);
  });

  it('gets a new token once when the session expires mid-run and carries on', async () => {
    const tokensBefore = org.countRequests(/oauth2\/token/);
    const { records } = await readAll(h.config({ bulkThreshold: 20_000 }), 'account', {
      onBatch: (_b, i) => {
        if (i === 2) org.expireSessions();
      },
    });
    expect(records).toHaveLength(liveAccounts(org));
    expect(org.countRequests(/oauth2\/token/) - tokensBefore).toBe(2);
  });

  it('fails with a config error naming the fix when the refresh token is rejected', async () => {
    const config = h.config({ auth: { kind: 'refresh_token', clientId: '3MVG9fakeConsumerKey', refreshToken: 'revoked-token' } });
    const error = await readAll(config, 'account').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/Salesforce rejected the refresh token.*reconnect the connector/);
  });

  it('treats a session not valid for the REST API as a config error, without a refresh loop', async () => {
    const tokensBefore = org.countRequests(/oauth2\/token/);
    org.restDisabled = true;
    try {
      const error = await readAll(h.config(), 'account').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe('salesforce.session_not_valid_for_rest');
      expect(org.countRequests(/oauth2\/token/) - tokensBefore).toBe(1);
    } finally {
      org.restDisabled = false;
    }
  });

  it('stops at its share of the daily budget with retryAt, and the rerun resumes from the checkpoint', async () => {
    const config = h.config({ bulkThreshold: 20_000, restPageSize: 2000, budget: { share: 0.5, backoffMinutes: 30 } });
    org.apiLimit = org.apiUsed * 2 + 8; // the share is reached a few calls into the run
    const got: Array<{ sourceId?: string }> = [];
    let checkpoint: Record<string, unknown> | undefined;
    const error = await readAll(config, 'account', { onBatch: (b) => ((checkpoint = b.checkpoint), got.push(...b.records)) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).code).toBe('salesforce.api_budget_reached');
    expect((error as TransientError).retryAt).toBeGreaterThan(Date.now() + 29 * 60_000);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(liveAccounts(org));
    org.apiLimit = 1_000_000;
    const rest = await readAll(config, 'account', { checkpoint });
    const ids = [...got, ...rest.records].map((r) => r.sourceId);
    expect(new Set(ids).size).toBe(liveAccounts(org));
    expect(ids).toHaveLength(liveAccounts(org));
  });

  it('backs off until midnight UTC when Salesforce answers 403 REQUEST_LIMIT_EXCEEDED', async () => {
    // Other integrations spent the org's budget: the header said there was room, the next call is refused.
    org.inject({ path: /\/query$/, status: 403, body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] });
    try {
      const error = await readAll(h.config(), 'account').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect((error as TransientError).code).toBe('salesforce.api_limit_exceeded');
      const midnight = new Date();
      midnight.setUTCHours(24, 0, 0, 0);
      expect((error as TransientError).retryAt).toBe(midnight.getTime());
    } finally {
      org.clearFaults();
    }
  });

  it('rides out a burst of 503s through jsforce retries, and reports a longer outage as transient', async () => {
    org.inject({ path: /\/query\/01g/, status: 503, times: 3 });
    const { records } = await readAll(h.config({ bulkThreshold: 20_000 }), 'child-account');
    expect(records.length).toBe(seed.childAccountIds.length);

    org.inject({ path: /\/query\/01g/, status: 503, times: 10 });
    const error = await readAll(h.config({ bulkThreshold: 20_000, http: { maxRetries: 2, retryMinTimeoutMs: 5, timeoutMs: 30_000 } }), 'child-account').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).code).toBe('salesforce.unavailable');
    org.clearFaults();
  });

  it('starts a new bulk job when the interrupted one failed', async () => {
    const config = h.config({ bulkThreshold: 1000 });
    const first = await readAll(config, 'child-account', { stopAfter: 1 });
    const cp = first.checkpoint as SalesforceCheckpoint;
    expect(cp.mode).toBe('bulk');
    org.failJob(cp.bulkJobId!);
    const rest = await readAll(config, 'child-account', { checkpoint: first.checkpoint });
    expect(rest.records).toHaveLength(seed.childAccountIds.length);
  });

  it('warns about schema drift and goes on: a configured field gone, a new field in describe', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) }));
    const config = h.config({ bulkThreshold: 20_000, streams: [{ name: 'child-account', object: 'Child_Account_vod__c', fields: ['Parent_Account_vod__c', 'Child_Account_vod__c', 'Gone_Field__c'] }] });
    const first = await readAll(config, 'child-account', { logger });
    expect(first.records.length).toBe(seed.childAccountIds.length);
    expect((first.checkpoint as SalesforceCheckpoint).warnings).toEqual(['warn.salesforce.field_missing: Child_Account_vod__c.Gone_Field__c']);
    expect(lines.join('')).toContain('warn.salesforce.field_missing');

    const store = org.objects.get('Child_Account_vod__c')!;
    store.fields.push({ name: 'Role_vod__c', type: 'string' });
    try {
      const second = await readAll(config, 'child-account', { logger, checkpoint: first.checkpoint });
      expect((second.checkpoint as SalesforceCheckpoint).warnings).toContain('warn.salesforce.field_new: Child_Account_vod__c.Role_vod__c');
    } finally {
      store.fields.pop();
    }
  });

  it('never prints a credential or token through a logger with the repo redaction, even at trace level', async () => {
    const out: string[] = [];
    const logger = pino({ level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, new Writable({ write: (chunk, _e, cb) => (out.push(String(chunk)), cb()) }));
    const config = h.config({ bulkThreshold: 20_000, auth: { kind: 'password', clientId: '3MVG9fakeConsumerKey', clientSecret: 'fake-secret', username: 'integration@crosswalk.example', password: 'pw+token' } });
    const tokenSeen: string[] = [];
    await readAll(config, 'child-account', { logger, onBatch: () => tokenSeen.push('x') });
    org.expireSessions();
    await readAll(h.config(), 'child-account', { logger });
    const text = out.join('');
    expect(text.length).toBeGreaterThan(100);
    expect(text).toContain('[redacted]');
    for (const secret of ['fake-secret', 'pw+token', 'BEGIN PRIVATE KEY', '00D4x000000FAKE!']) expect(text).not.toContain(secret);
  });

  it('upserts master ids through composite collections, 200 a call, retrying a locked row', async () => {
    const config = h.config({ writeBack: { fields: { Preferred_Name_vod__c: 'preferredName' } } });
    const ids = seed.personIds.slice(1000, 1450);
    org.lockedOnce.add(ids[3]!);
    const before = org.countRequests(/composite\/sobjects/);
    const result = await salesforceConnector.write(
      config,
      ids.map((id, i) => ({ crmId: id, masterId: `hcp_${i}`, fields: { Crosswalk_Master_Id__c: `hcp_${i}` } })).concat([{ crmId: '0014x0000NOSUCHAAA', masterId: 'hcp_x', fields: { Crosswalk_Master_Id__c: 'hcp_x' } }]),
    );
    expect(result.written).toHaveLength(450);
    expect(result.failed).toEqual([expect.objectContaining({ crmId: '0014x0000NOSUCHAAA', errorCode: 'NOT_FOUND' })]);
    expect(org.countRequests(/composite\/sobjects/) - before).toBe(4); // 200 + 200 + 51, then the locked row again
    expect(org.objects.get('Account')!.rows.get(ids[3]!)!.Crosswalk_Master_Id__c).toBe('hcp_3');
    expect(org.rows('Account').length).toBeGreaterThan(10_000); // nothing deleted
  });

  it('checks a connection and reports the API usage', async () => {
    const result = await salesforceConnector.check(h.config(), { workspaceDir: process.cwd() });
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.message).toMatch(/API requests used today \d+\/\d+/);
    const bad = await salesforceConnector.check(h.config({ auth: { kind: 'refresh_token', clientId: '3MVG9fakeConsumerKey', refreshToken: 'nope' } }), { workspaceDir: process.cwd() });
    expect(bad).toMatchObject({ ok: false, code: 'salesforce.refresh_token_rejected' });
  });
});

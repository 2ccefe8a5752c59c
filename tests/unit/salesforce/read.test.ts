import nock from 'nock';
import { pino } from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { salesforceConnector } from '../../../connectors/salesforce/connector.js';
import { normalizeValue } from '../../../connectors/salesforce/records.js';
import { afterPosition } from '../../../connectors/salesforce/sync.js';
import type { Checkpoint } from '../../../src/sdk/index.js';

const LOGIN = 'https://login.example.test';
const INSTANCE = 'https://acme.my.example.test';
const API = '/services/data/v61.0';

const config = (overrides: Record<string, unknown> = {}) =>
  salesforceConnector.configSchema.parse({
    loginUrl: LOGIN,
    auth: { kind: 'refresh_token', clientId: 'cid', refreshToken: 'rt' },
    streams: [{ name: 'account', object: 'Account', fields: ['Name', 'IsPersonAccount'] }],
    http: { maxRetries: 0, retryMinTimeoutMs: 1, timeoutMs: 2000 },
    bulkPollIntervalMs: 5,
    ...overrides,
  });

function org() {
  nock(LOGIN).post('/services/oauth2/token').reply(200, { access_token: 'at', instance_url: INSTANCE });
  nock(INSTANCE).get(`${API}/limits`).reply(200, { DailyApiRequests: { Max: 1000, Remaining: 1000 } });
  nock(INSTANCE)
    .get(`${API}/sobjects/Account/describe`)
    .reply(200, { fields: ['Id', 'Name', 'IsPersonAccount', 'SystemModstamp', 'BillingAddress'].map((name) => ({ name, type: name === 'IsPersonAccount' ? 'boolean' : name === 'SystemModstamp' ? 'datetime' : name === 'BillingAddress' ? 'address' : 'string' })) });
}

async function drain(cfg: ReturnType<typeof config>, checkpoint?: Checkpoint) {
  const out = [];
  for await (const b of salesforceConnector.read(cfg, { stream: 'account', ...(checkpoint ? { checkpoint } : {}), batchSize: 2, logger: pino({ level: 'silent' }), signal: new AbortController().signal, workspaceDir: '.' })) out.push(b);
  return out;
}

const soqlOf = (uri: string) => new URL(uri, INSTANCE).searchParams.get('q') ?? '';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('the read path', () => {
  it('re-reads from the watermark minus the overlap, in stable order, and looks for deletes from the same point', async () => {
    org();
    const queries: string[] = [];
    nock(INSTANCE)
      .get(`${API}/query`)
      .query(true)
      .times(2)
      .reply((uri) => {
        queries.push(soqlOf(uri));
        return queries.length === 1
          ? [200, { totalSize: 1, done: true, records: [] }]
          : [200, { totalSize: 1, done: true, records: [{ attributes: { type: 'Account' }, Id: '0014x0000000001AAA', Name: 'A', IsPersonAccount: false, SystemModstamp: '2026-01-01T10:00:00.000+0000' }] }];
      });
    nock(INSTANCE)
      .get(`${API}/queryAll`)
      .query(true)
      .reply((uri) => (queries.push(soqlOf(uri)), [200, { totalSize: 1, done: true, records: [{ attributes: { type: 'Account' }, Id: '0014x0000000002AAA', SystemModstamp: '2026-01-01T10:01:00.000+0000' }] }]));
    const batches = await drain(config(), { mode: 'idle', watermark: '2026-01-01T10:00:00.000Z', lastId: '0014x0000000001AAA' });
    expect(queries).toEqual([
      'SELECT COUNT() FROM Account WHERE SystemModstamp >= 2026-01-01T09:55:00.000Z',
      'SELECT Id, SystemModstamp, Name, IsPersonAccount FROM Account WHERE SystemModstamp >= 2026-01-01T09:55:00.000Z ORDER BY SystemModstamp, Id',
      'SELECT Id, SystemModstamp FROM Account WHERE (IsDeleted = true) AND (SystemModstamp >= 2026-01-01T09:55:00.000Z) ORDER BY SystemModstamp, Id',
    ]);
    const records = batches.flatMap((b) => b.records);
    expect(records[0]).toEqual({ sourceId: '0014x0000000001AAA', payload: { Id: '0014x0000000001AAA', SystemModstamp: '2026-01-01T10:00:00.000Z', Name: 'A', IsPersonAccount: false }, sourceUpdatedAt: '2026-01-01T10:00:00.000Z' });
    expect(records[1]).toMatchObject({ sourceId: '0014x0000000002AAA', deleted: true });
    expect(batches[batches.length - 1]!.checkpoint).toMatchObject({ mode: 'idle', watermark: '2026-01-01T10:00:00.000Z', lastId: '0014x0000000001AAA' });
  });

  it('resumes an interrupted REST read strictly after the last stored record', async () => {
    org();
    const queries: string[] = [];
    nock(INSTANCE).get(`${API}/query`).query(true).times(2).reply((uri) => (queries.push(soqlOf(uri)), [200, { totalSize: 0, done: true, records: [] }]));
    nock(INSTANCE).get(`${API}/queryAll`).query(true).reply(200, { totalSize: 0, done: true, records: [] });
    await drain(config(), { mode: 'rest', watermark: '2026-01-01T10:00:00.000Z', lastId: '0014x0000000001AAA', runFrom: '2026-01-01T09:00:00.000Z' });
    expect(queries[1]).toContain(`WHERE ${afterPosition({ watermark: '2026-01-01T10:00:00.000Z', lastId: '0014x0000000001AAA' })} ORDER BY`);
    expect(queries[1]).toContain("(SystemModstamp > 2026-01-01T10:00:00.000Z OR (SystemModstamp = 2026-01-01T10:00:00.000Z AND Id > '0014x0000000001AAA'))");
  });

  it('runs a Bulk API 2.0 job above the threshold and pages its CSV by Sforce-Locator until "null"', async () => {
    org();
    nock(INSTANCE).get(`${API}/query`).query(true).reply(200, { totalSize: 3, done: true, records: [] });
    nock(INSTANCE)
      .post(`${API}/jobs/query`, (b: Record<string, string>) => b.operation === 'query' && b.query === 'SELECT Id, SystemModstamp, Name, IsPersonAccount FROM Account')
      .reply(200, { id: '7504x000001', state: 'UploadComplete' });
    nock(INSTANCE).get(`${API}/jobs/query/7504x000001`).reply(200, { id: '7504x000001', state: 'InProgress' });
    nock(INSTANCE).get(`${API}/jobs/query/7504x000001`).reply(200, { id: '7504x000001', state: 'JobComplete', numberRecordsProcessed: 3 });
    nock(INSTANCE)
      .get(`${API}/jobs/query/7504x000001/results`)
      .query({ maxRecords: '2' })
      .reply(200, 'Id,SystemModstamp,Name,IsPersonAccount\n0014x0000000001AAA,2026-01-01T10:00:00.000Z,"Smith, Jane",true\n0014x0000000002AAA,2026-01-01T10:00:01.000Z,B,false\n', { 'Content-Type': 'text/csv', 'Sforce-Locator': 'Mg' });
    nock(INSTANCE)
      .get(`${API}/jobs/query/7504x000001/results`)
      .query({ maxRecords: '2', locator: 'Mg' })
      .reply(200, 'Id,SystemModstamp,Name,IsPersonAccount\n0014x0000000003AAA,2026-01-01T09:00:00.000Z,C,\n', { 'Content-Type': 'text/csv', 'Sforce-Locator': 'null' });
    const batches = await drain(config({ bulkThreshold: 2, bulkPageSize: 2 }));
    const records = batches.flatMap((b) => b.records);
    expect(records.map((r) => r.payload)).toEqual([
      { Id: '0014x0000000001AAA', SystemModstamp: '2026-01-01T10:00:00.000Z', Name: 'Smith, Jane', IsPersonAccount: true },
      { Id: '0014x0000000002AAA', SystemModstamp: '2026-01-01T10:00:01.000Z', Name: 'B', IsPersonAccount: false },
      { Id: '0014x0000000003AAA', SystemModstamp: '2026-01-01T09:00:00.000Z', Name: 'C', IsPersonAccount: null },
    ]);
    expect(batches[0]!.checkpoint).toMatchObject({ mode: 'bulk', bulkJobId: '7504x000001', locator: null });
    expect(batches[1]!.checkpoint).toMatchObject({ mode: 'bulk', locator: 'Mg', offset: 0 });
    expect(batches[batches.length - 1]!.checkpoint).toMatchObject({ mode: 'idle', watermark: '2026-01-01T10:00:01.000Z', lastId: '0014x0000000002AAA' });
    expect(nock.isDone()).toBe(true);
  });

  it('stops polling after the poll timeout with a transient error, keeping the job for the retry', async () => {
    org();
    nock(INSTANCE).get(`${API}/query`).query(true).reply(200, { totalSize: 5, done: true, records: [] });
    nock(INSTANCE).post(`${API}/jobs/query`).reply(200, { id: '7504x000002', state: 'UploadComplete' });
    nock(INSTANCE).get(`${API}/jobs/query/7504x000002`).times(100).reply(200, { id: '7504x000002', state: 'InProgress' });
    const seen: Checkpoint[] = [];
    const error = await (async () => {
      for await (const b of salesforceConnector.read(config({ bulkThreshold: 1, bulkPollTimeoutMs: 30 }), { stream: 'account', batchSize: 10, logger: pino({ level: 'silent' }), signal: new AbortController().signal, workspaceDir: '.' })) seen.push(b.checkpoint);
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'salesforce.bulk_poll_timeout', failureType: 'transient' });
    expect(seen).toEqual([expect.objectContaining({ mode: 'bulk', bulkJobId: '7504x000002' })]);
  });

  it('gives REST and Bulk values one form', () => {
    expect(normalizeValue('boolean', 'true')).toBe(true);
    expect(normalizeValue('boolean', true)).toBe(true);
    expect(normalizeValue('double', '12.5')).toBe(12.5);
    expect(normalizeValue('datetime', '2026-01-01T10:00:00.000+0000')).toBe('2026-01-01T10:00:00.000Z');
    expect(normalizeValue('datetime', '2026-01-01T10:00:00.000Z')).toBe('2026-01-01T10:00:00.000Z');
    expect(normalizeValue('string', '')).toBeNull();
    expect(normalizeValue('date', '2023-06-01')).toBe('2023-06-01');
  });
});

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { erpConnector } from '../../../connectors/erp/connector.js';
import type { Organization } from '../../../src/model/index.js';
import { mapping, payloads, readAll, rejections, workspaceWith } from '../rx/helpers.js';

const erp = mapping('erp.customers.yaml');
const s4 = mapping('erp-s4.customers.yaml');
const hco = (payload: Record<string, unknown>, m = erp) => m.apply(payload).drafts.find((d) => d.kind === 'hco')!.data as Organization;

describe('the erp connector reading SAP DEBMAS IDocs', () => {
  it('reads several IDocs of one file with general data, company code, sales area and credit data', async () => {
    const dir = workspaceWith(['erp/debmas-3-idocs.xml']);
    const batches = await readAll(erpConnector, dir, { format: 'sap-debmas', path: 'debmas-3-idocs.xml' });
    const records = batches.flatMap((b) => b.records);
    expect(records.map((r) => [r.sourceId, r.deleted ?? false])).toEqual([
      ['PRDCLNT100:0000100001', false],
      ['PRDCLNT100:0000100002', false],
      ['PRDCLNT100:0000100003', true],
    ]);
    expect(records[0]!.payload).toMatchObject({
      KUNNR: '0000100001',
      customerNumber: '100001',
      MSGFN: '009',
      KTOKD: 'Z001',
      NAME1: 'Cartwright Memorial',
      NAME3: 'Main Pharmacy & Stores',
      STCD1: '58-1234567',
      companyCodes: '1000',
      reconciliationAccount: '0000140000',
      salesAreas: '1000/10/00',
      creditLimit: 250000,
      creditRiskCategory: '002',
      idocNumber: '0000000004711001',
    });
  });

  it('reads partner functions sold-to, ship-to, bill-to and payer in SAP and English codes', async () => {
    const dir = workspaceWith(['erp/debmas-3-idocs.xml']);
    const rows = payloads(await readAll(erpConnector, dir, { format: 'sap-debmas', path: 'debmas-3-idocs.xml' }));
    expect(rows[0]).toMatchObject({ soldTo: '0000100001', shipTo: '0000100001;0000100002', billTo: '0000100009', payer: '0000100009' });
    expect(rows[0]!.partners).toHaveLength(5);
    expect(rows[1]).toMatchObject({ shipTo: '0000100002', soldTo: '' });
  });

  it('keeps ERP credit and blocked flags as organization attributes, and the customer number as an erp_customer id', async () => {
    const dir = workspaceWith(['erp/debmas-3-idocs.xml']);
    const rows = payloads(await readAll(erpConnector, dir, { format: 'sap-debmas', path: 'debmas-3-idocs.xml', system: 'PRD-100' }));
    const open = hco(rows[0]!);
    expect(open.name).toBe('Cartwright Memorial Hospital');
    expect(open.identifiers).toEqual([expect.objectContaining({ type: 'erp_customer', issuer: 'PRD-100', value: '0000100001' })]);
    expect(open.attributes).toMatchObject({ erpBlocked: false, erpPostingBlock: false, erpCreditBlocked: false, erpCreditLimit: 250000, erpAccountGroup: 'Z001', erpShipTo: '0000100001;0000100002' });
    expect(open.addresses[0]).toMatchObject({ type: 'billing', city: 'ATLANTA', state: 'GA', zip5: '30318', zip4: '7382' });
    const blocked = hco(rows[1]!);
    expect(blocked.attributes).toMatchObject({ erpBlocked: true, erpPostingBlock: true, erpOrderBlock: '01', erpDeliveryBlock: '02', erpCreditBlocked: true, erpCreditLimit: 0 });
    expect(hco(rows[2]!).status).toBe('inactive');
  });

  it('refuses an XXE payload with a clear error and reads no file', async () => {
    const dir = workspaceWith([], { 'secret.txt': 'TOP-SECRET-CONTENT' });
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE DEBMAS07 [<!ENTITY xxe SYSTEM "file://${path.join(dir, 'secret.txt')}">]>\n<DEBMAS07><IDOC BEGIN="1"><E1KNA1M SEGMENT="1"><KUNNR>1</KUNNR><NAME1>&xxe;</NAME1></E1KNA1M></IDOC></DEBMAS07>\n`;
    writeFileSync(path.join(dir, 'xxe.xml'), xxe);
    const error = await readAll(erpConnector, dir, { format: 'sap-debmas', path: 'xxe.xml' }).catch((e: unknown) => e as Error & { code?: string });
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toBe('erp.dtd_refused');
    expect((error as Error).message).toMatch(/declares a DTD.*refused and never processed/);
    expect(JSON.stringify(error)).not.toContain('TOP-SECRET');

    // In an inbox the file goes to error/ with its report, and nothing of it becomes a record.
    mkdirSync(path.join(dir, 'idocs', 'inbox'), { recursive: true });
    writeFileSync(path.join(dir, 'idocs', 'inbox', 'xxe.xml'), xxe);
    const batches = await readAll(erpConnector, dir, { format: 'sap-debmas', folder: 'idocs' });
    expect(payloads(batches)).toEqual([]);
    expect(rejections(batches)).toEqual([expect.objectContaining({ reasonCode: 'erp.dtd_refused' })]);
    expect(JSON.stringify(batches)).not.toContain('TOP-SECRET');
    expect(readdirSync(path.join(dir, 'idocs', 'error')).sort()).toEqual(['xxe.xml', 'xxe.xml.report.json']);
  });

  it('refuses an undeclared entity and keeps the IDocs read before a file breaks', async () => {
    const dir = workspaceWith([], {
      'broken.xml': '<DEBMAS07><IDOC BEGIN="1"><E1KNA1M SEGMENT="1"><KUNNR>0000000001</KUNNR><NAME1>A</NAME1></E1KNA1M></IDOC><IDOC BEGIN="1"><E1KNA1M SEGMENT="1"><KUNNR>2</KUNNR><NAME1>&ext;</NAME1></E1KNA1M></IDOC></DEBMAS07>',
    });
    const batches = await readAll(erpConnector, dir, { format: 'sap-debmas', path: 'broken.xml', system: 'X' });
    expect(payloads(batches).map((p) => p.KUNNR)).toEqual(['0000000001']);
    expect(rejections(batches)).toEqual([expect.objectContaining({ reasonCode: 'erp.xml_malformed', reason: expect.stringContaining('were not read') })]);
  });

  it('resumes after the last stored IDoc', async () => {
    const dir = workspaceWith(['erp/debmas-3-idocs.xml']);
    const config = { format: 'sap-debmas', path: 'debmas-3-idocs.xml' };
    const first = await readAll(erpConnector, dir, config, { batchSize: 1, stopAfter: 2 });
    const rest = await readAll(erpConnector, dir, config, { batchSize: 1, checkpoint: first.at(-1)!.checkpoint });
    expect([...payloads(first), ...payloads(rest)].map((p) => p.KUNNR)).toEqual(['0000100001', '0000100002', '0000100003']);
  });
});

describe('the erp connector reading customer exports', () => {
  it('reads a CSV export with SAP column names into the same organization shape', async () => {
    const dir = workspaceWith(['erp/customers.csv']);
    const rows = payloads(await readAll(erpConnector, dir, { format: 'csv', path: 'customers.csv', system: 'ECC-200' }));
    expect(rows).toHaveLength(2);
    const lakeside = hco(rows[0]!);
    expect(lakeside).toMatchObject({ name: 'Lakeside Clinic, P.C.', attributes: { erpBlocked: false, erpCreditLimit: 50000 } });
    expect(lakeside.identifiers[0]).toMatchObject({ type: 'erp_customer', issuer: 'ECC-200', value: '0000200001' });
    expect(hco(rows[1]!).attributes).toMatchObject({ erpBlocked: true, erpPostingBlock: true, erpOrderBlock: '01', erpCreditBlocked: true });
  });

  it('reads JSON lines one at a time and rejects a line that is not JSON', async () => {
    const dir = workspaceWith(['erp/customers.jsonl']);
    const batches = await readAll(erpConnector, dir, { format: 'json', path: 'customers.jsonl', system: 'ECC-200' });
    expect(payloads(batches).map((p) => p.KUNNR)).toEqual(['0000300001', '0000300002']);
    expect(rejections(batches)).toEqual([expect.objectContaining({ reasonCode: 'erp.json_malformed', reason: expect.stringContaining('line 4') })]);
    expect(hco(payloads(batches)[1]!).attributes).toMatchObject({ erpBlocked: true, erpPostingBlock: true });
  });

  it('reads a JSON document whose customers sit under a path', async () => {
    const dir = workspaceWith([], { 'c.json': JSON.stringify({ d: { results: [{ KUNNR: '1', NAME1: 'A' }, { KUNNR: '2', NAME1: 'B' }] } }) });
    const rows = payloads(await readAll(erpConnector, dir, { format: 'json', path: 'c.json', system: 'S', recordsPath: 'd.results' }));
    expect(rows.map((r) => r.KUNNR)).toEqual(['1', '2']);
  });
});

describe('the erp connector pulling OData', () => {
  const base = 'https://s4.example.com';
  const service = '/sap/opu/odata/sap/API_BUSINESS_PARTNER';
  const config = { format: 'rest', system: 'S4P-100', baseUrl: `${base}${service}`, client: '100', pageSize: 2, auth: { type: 'basic', username: 'CROSSWALK', passwordEnv: 'ERP_TEST_PASSWORD' } };
  const customer = (n: number) => ({ __metadata: { uri: `x(${n})` }, Customer: String(n).padStart(10, '0'), CustomerName: `Customer ${n}`, PostingIsBlocked: n === 3, DeletionIndicator: false, to_CustomerSalesArea: { __deferred: { uri: 'y' } } });

  beforeAll(() => {
    process.env.ERP_TEST_PASSWORD = 's3cret';
    nock.disableNetConnect();
  });
  afterEach(() => nock.cleanAll());

  it('pages with $skip/$top until a short page, sending the auth header and sap-client', async () => {
    const auth = `Basic ${Buffer.from('CROSSWALK:s3cret').toString('base64')}`;
    const scope = nock(base, { reqheaders: { authorization: auth, 'sap-client': '100' } })
      .get(`${service}/A_Customer`)
      .query((q) => q.$top === '2' && q.$skip === '0' && q.$format === 'json')
      .reply(200, { d: { results: [customer(1), customer(2)] } })
      .get(`${service}/A_Customer`)
      .query((q) => q.$skip === '2')
      .reply(200, { d: { results: [customer(3)] } });
    const batches = await readAll(erpConnector, '/tmp', config);
    scope.done();
    const rows = payloads(batches);
    expect(rows.map((r) => r.Customer)).toEqual(['0000000001', '0000000002', '0000000003']);
    expect(rows[0]).not.toHaveProperty('__metadata');
    expect(rows[0]).not.toHaveProperty('to_CustomerSalesArea');
    expect(batches.at(-1)!.checkpoint).toMatchObject({ complete: true, skip: 3 });
    expect(hco(rows[2]!, s4)).toMatchObject({ name: 'Customer 3', attributes: { erpPostingBlock: true }, identifiers: [expect.objectContaining({ type: 'erp_customer', issuer: 'S4P-100', value: '0000000003' })] });
  });

  it('follows __next (v2) and @odata.nextLink (v4) links and resumes from the checkpointed link', async () => {
    nock(base)
      .get(`${service}/A_Customer`)
      .query(true)
      .reply(200, { d: { results: [customer(1), customer(2)], __next: `${base}${service}/A_Customer?$skiptoken=abc` } })
      .get(`${service}/A_Customer`)
      .query({ $skiptoken: 'abc' })
      .reply(200, { d: { results: [customer(3)] } });
    const v2 = await readAll(erpConnector, '/tmp', config);
    expect(payloads(v2).map((r) => r.Customer)).toEqual(['0000000001', '0000000002', '0000000003']);

    const v4 = { ...config, odataVersion: 4 };
    nock(base)
      .get(`${service}/A_Customer`)
      .query(true)
      .reply(200, { value: [customer(4), customer(5)], '@odata.nextLink': `${service}/A_Customer?$skiptoken=p2` });
    const first = await readAll(erpConnector, '/tmp', v4, { stopAfter: 1 });
    expect(first[0]!.checkpoint).toMatchObject({ next: `${service}/A_Customer?$skiptoken=p2` });
    nock(base).get(`${service}/A_Customer`).query({ $skiptoken: 'p2' }).reply(200, { value: [customer(6)] });
    const rest = await readAll(erpConnector, '/tmp', v4, { checkpoint: first[0]!.checkpoint });
    expect(payloads(rest).map((r) => r.Customer)).toEqual(['0000000006']);
  });

  it('says what to fix when the ERP refuses the credentials, retries when it is busy, and never follows a link to another host', async () => {
    nock(base).get(`${service}/A_Customer`).query(true).reply(401, 'no');
    await expect(readAll(erpConnector, '/tmp', config)).rejects.toMatchObject({ code: 'erp.unauthorized', failureType: 'config' });
    nock(base).get(`${service}/A_Customer`).query(true).reply(503, 'busy');
    await expect(readAll(erpConnector, '/tmp', config)).rejects.toMatchObject({ code: 'erp.busy', failureType: 'transient' });
    nock(base).get(`${service}/A_Customer`).query(true).reply(200, { d: { results: [customer(1), customer(2)], __next: 'https://evil.example.net/steal' } });
    await expect(readAll(erpConnector, '/tmp', config)).rejects.toMatchObject({ code: 'erp.next_link_foreign' });
  });
});

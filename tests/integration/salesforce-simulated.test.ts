import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { simulatedSalesforceConnector } from '../../connectors/salesforce/simulated.js';
import type { Batch } from '../../src/sdk/index.js';

const demo = path.resolve('examples/demo');

async function readStream(stream: string): Promise<Batch['records']> {
  const config = simulatedSalesforceConnector.configSchema.parse({ seedFrom: 'sources/veeva-crm.accounts.csv' });
  const records: Batch['records'] = [];
  for await (const batch of simulatedSalesforceConnector.read(config, { stream, batchSize: 500, logger: pino({ level: 'silent' }), signal: new AbortController().signal, workspaceDir: demo })) {
    records.push(...batch.records);
  }
  return records;
}

describe('the simulated Veeva org of the demo', () => {
  const exported = parse(readFileSync(path.join(demo, 'sources/veeva-crm.accounts.csv')), { columns: true }) as Array<Record<string, string>>;

  it('serves every account of the export, with its id, to the real Salesforce connector over HTTP', async () => {
    const accounts = await readStream('account');
    expect(accounts.map((r) => r.sourceId).sort()).toEqual(exported.map((r) => r.Id).sort());
    const person = exported.find((r) => r.IsPersonAccount === 'true' && r.NPI_vod__c)!;
    expect(accounts.find((r) => r.sourceId === person.Id)!.payload).toMatchObject({ LastName: person.LastName, NPI_vod__c: person.NPI_vod__c, IsPersonAccount: true });
  });

  it('serves an Address_vod__c per account that has an address, pointing at its account', async () => {
    const addresses = await readStream('address');
    expect(addresses.length).toBe(exported.filter((r) => r.Address_Line_1__c).length);
    const ids = new Set(exported.map((r) => r.Id));
    expect(addresses.every((a) => ids.has(String(a.payload.Account_vod__c)))).toBe(true);
  });
});

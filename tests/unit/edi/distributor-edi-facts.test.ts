import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { distributorEdiConnector as connector, type EdiStream } from '../../../connectors/distributor-edi/connector.js';
import { applyMapping, loadMappings, type LoadedMapping } from '../../../src/mapping/index.js';
import type { Batch, Checkpoint, RawRecord } from '../../../src/sdk/index.js';
import { FIXTURES, SIMPLE_867, x12 } from './helpers.js';

let workspace: string;
const logger = pino({ level: 'silent' });
const { mappings, errors } = loadMappings({ dir: path.resolve(FIXTURES, '../../../mappings/sources') });

beforeEach(() => {
  workspace = mkdtempSync(path.join(os.tmpdir(), 'edi-facts-'));
  mkdirSync(path.join(workspace, 'edi', 'inbox'), { recursive: true });
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

const drop = (name: string): void => copyFileSync(path.join(FIXTURES, name), path.join(workspace, 'edi', 'inbox', name));
const mappingOf = (stream: string): LoadedMapping => mappings.find((m) => m.connector === 'distributor-edi' && m.stream === stream)!;

async function run(stream: EdiStream, options: { checkpoint?: Checkpoint; config?: Record<string, unknown> } = {}) {
  const config = connector.configSchema.parse({ folder: 'edi', archive: false, ...options.config });
  const batches: Batch[] = [];
  for await (const batch of connector.read(config, { stream, checkpoint: options.checkpoint, batchSize: 1000, logger, signal: new AbortController().signal, workspaceDir: workspace })) batches.push(batch);
  return { records: batches.flatMap((b) => b.records), rejected: batches.flatMap((b) => b.rejected ?? []), checkpoint: batches.at(-1)?.checkpoint };
}

const ids = (records: RawRecord[]): string[] => records.map((r) => `${r.sourceId}${r.deleted ? ' (deleted)' : ''}`);

describe('distributor-edi facts: 852 inventory and 844 chargebacks', () => {
  it('ships mappings for every stream that load without errors', () => {
    expect(errors).toEqual([]);
    for (const stream of ['customers', 'sales', 'inventory', 'chargebacks']) expect(mappingOf(stream), stream).toBeDefined();
  });

  it('turns the ZA loops of each 852 product into one inventory fact per location with on hand, sold, received, on order and out of stock', async () => {
    drop('852-inventory.x12');
    const { records, rejected } = await run('inventory');
    expect(rejected).toEqual([]);
    const facts = records.map((r) => applyMapping(mappingOf('inventory'), r.payload));
    expect(facts.flatMap((f) => f.issues)).toEqual([]);
    expect(facts[0]!.drafts).toEqual([
      {
        kind: 'inventory_fact',
        key: 'inventory',
        data: {
          distributor: { name: 'CARDINAL HEALTH', identifiers: [{ type: 'edi_sender', value: 'CARDINALHLTH' }, { type: 'dea', value: 'FW7654329' }] },
          location: { qualifier: '92', id: 'DC12', name: 'CARDINAL DC 12' },
          product: { ndc11: '00002143380' },
          period: { start: '2024-02-01', end: '2024-02-29', grain: 'month' },
          reportingCode: 'H',
          quantities: { onHand: 1500, sold: 320, received: 400, onOrder: 200, outOfStock: 0 },
          unit: 'EA',
        },
      },
    ]);
    // A hyphenated 5-3-2 NDC becomes 11 digits; a return in the sold quantity stays negative; missing codes stay absent.
    expect(facts[1]!.drafts[0]!.data).toMatchObject({ product: { ndc11: '50242004062' }, quantities: { onHand: 80, sold: -3 }, unit: 'BX' });
    expect(Object.keys((facts[1]!.drafts[0]!.data as { quantities: object }).quantities).sort()).toEqual(['onHand', 'sold']);
    // Pharmacy style: OH / TS per SDQ location (XX = NPI), fractional quantities kept, a week-long period.
    expect(facts.slice(2).map((f) => f.drafts[0]!.data)).toEqual([
      expect.objectContaining({ location: { qualifier: 'XX', id: '1234567893' }, quantities: { onHand: 12, sold: 30 }, period: { start: '2024-02-26', end: '2024-03-03', grain: 'week' } }),
      expect.objectContaining({ location: { qualifier: 'XX', id: '1003000126' }, quantities: { onHand: 4, sold: 7.5 } }),
    ]);
  });

  it('turns 844 lines into chargeback facts whose customer names its own organization record in the customers stream', async () => {
    drop('844-chargeback.x12');
    const { records } = await run('chargebacks');
    const { records: customers } = await run('customers');
    expect(ids(records)).toEqual(['ABCDRUG:CB-2024-0031:1:1', 'ABCDRUG:CB-2024-0031:1:2', 'ABCDRUG:CB-2024-0031:2:1']);
    const facts = records.map((r) => applyMapping(mappingOf('chargebacks'), r.payload));
    expect(facts.flatMap((f) => f.issues)).toEqual([]);
    expect(facts[0]!.drafts[0]).toEqual({
      kind: 'chargeback_fact',
      key: 'chargeback',
      data: {
        distributor: { name: 'AMERISOURCEBERGEN', identifiers: [{ type: 'edi_sender', value: 'ABCDRUG' }, { type: 'dea', value: 'AS9182736' }] },
        claim: { number: 'CB-2024-0031', purpose: 'original', date: '2024-03-04' },
        contract: '10051480081',
        customer: {
          name: 'RIVERSIDE PHARMACY',
          sourceStream: 'customers',
          sourceId: 'ABCDRUG:dea=BM1112224|gln=0300123456785',
          identifiers: [{ type: 'dea', value: 'BM1112224' }, { type: 'gln', value: '0300123456785' }],
        },
        product: { ndc11: '00002143380' },
        transferType: 'SS',
        quantity: 12,
        unit: 'EA',
        contractPrice: 80,
        chargebackAmount: 546,
        invoice: 'INV-9001',
        invoiceDate: '2024-02-20',
      },
    });
    expect(facts[1]!.drafts[0]!.data).toMatchObject({ transferType: 'RA', quantity: -1, chargebackAmount: -25 });
    expect(facts[2]!.drafts[0]!.data).toMatchObject({ contract: '20000000001', product: { upc: '012345678905' }, customer: { identifiers: [{ type: 'hin', value: 'MERCY0001' }, { type: '340b', value: '340B-MO-1' }] } });

    // The contract customers are organization records (hco drafts with their DEA, GLN, HIN and 340B ids), under the
    // very source ids the facts name.
    const customerIds = customers.map((c) => c.sourceId);
    for (const f of facts) expect(customerIds).toContain((f.drafts[0]!.data as { customer: { sourceId: string } }).customer.sourceId);
    const mercy = applyMapping(mappingOf('customers'), customers.find((c) => c.sourceId === 'ABCDRUG:340b=340B-MO-1|hin=MERCY0001')!.payload);
    expect(mercy.issues).toEqual([]);
    expect(mercy.drafts[0]).toMatchObject({
      kind: 'hco',
      data: { name: 'MERCY HOSPITAL', identifiers: [{ type: 'hin', value: 'MERCY0001' }, { type: '340b', value: '340B-MO-1' }], addresses: [{ city: 'ST LOUIS', state: 'MO', zip5: '63101' }] },
    });
  });

  it('makes a BAA 05 replacing claim supersede the earlier claim: same line keys, lines and contracts it no longer has deleted', async () => {
    drop('844-chargeback.x12');
    const first = await run('chargebacks');
    drop('844-replace.x12');
    const second = await run('chargebacks', { checkpoint: first.checkpoint, config: { wacAmountQualifier: 'WA' } });
    expect(ids(second.records)).toEqual(['ABCDRUG:CB-2024-0031:1:1', 'ABCDRUG:CB-2024-0031:1:2 (deleted)', 'ABCDRUG:CB-2024-0031:2:1 (deleted)']);
    const fact = applyMapping(mappingOf('chargebacks'), second.records[0]!.payload).drafts[0]!.data;
    expect(fact).toMatchObject({ claim: { number: 'CB-2024-0031', purpose: 'replace', date: '2024-03-11', creditMemo: 'CM-7731' }, quantity: 10, chargebackAmount: 455, wac: 125.5, contractPrice: 80 });
    // Reading again changes nothing: both files are remembered by content.
    expect((await run('chargebacks', { checkpoint: second.checkpoint })).records).toEqual([]);
  });

  it('ignores an original claim that arrives after its replacement, saying why', async () => {
    drop('844-replace.x12');
    const first = await run('chargebacks');
    expect(ids(first.records)).toEqual(['ABCDRUG:CB-2024-0031:1:1']);
    drop('844-chargeback.x12');
    const late = await run('chargebacks', { checkpoint: first.checkpoint });
    expect(late.records).toEqual([]);
    expect(late.rejected.map((r) => [r.sourceId, r.reasonCode])).toEqual([
      ['ABCDRUG:CB-2024-0031:1:1', 'edi.report_superseded'],
      ['ABCDRUG:CB-2024-0031:1:2', 'edi.report_superseded'],
      ['ABCDRUG:CB-2024-0031:2:1', 'edi.report_superseded'],
    ]);
    expect(late.rejected[0]!.reason).toMatch(/Claim CB-2024-0031 was already replaced \(BAA 05 in 844-replace.x12\)/);
  });

  it('names the ship-to record of an 867 sales line, and leaves it out when the line has no N1*ST', async () => {
    drop('867-basic.x12');
    const { records } = await run('sales');
    const { records: customers } = await run('customers');
    const shipTo = records.map((r) => r.payload.shipToSourceId);
    expect(shipTo[0]).toBe('CARDINALHLTH:340b=340B-OH-0042|dea=BC2345672|hin=A1B2C3D00');
    expect(shipTo.every(Boolean)).toBe(true);
    for (const id of shipTo) expect(customers.map((c) => c.sourceId)).toContain(id);

    // A PTD whose only party is a buyer (N1*BY) gives no customer record, so the line names none.
    rmSync(path.join(workspace, 'edi', 'inbox', '867-basic.x12'));
    const buyerOnly = SIMPLE_867.map((seg) => (seg[0] === 'N1' ? ['N1', 'BY', 'A BUYER', '11', 'AB1234563'] : seg));
    writeFileSync(path.join(workspace, 'edi', 'inbox', 'buyer.x12'), x12([buyerOnly]));
    const buyer = await run('sales');
    expect(buyer.records).toHaveLength(1);
    expect(buyer.records[0]!.payload.shipToDea).toBe('AB1234563');
    expect(buyer.records[0]!.payload.shipToSourceId).toBeUndefined();
    expect((await run('customers')).records).toEqual([]);
  });
});

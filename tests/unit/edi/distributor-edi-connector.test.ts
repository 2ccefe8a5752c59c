import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { distributorEdiConnector as connector, type EdiStream } from '../../../connectors/distributor-edi/connector.js';
import { applyMapping, loadMappings } from '../../../src/mapping/index.js';
import type { Batch, Checkpoint, RawRecord } from '../../../src/sdk/index.js';
import { FIXTURES, SIMPLE_867, x12 } from './helpers.js';

let workspace: string;
const logger = pino({ level: 'silent' });

beforeEach(() => {
  workspace = mkdtempSync(path.join(os.tmpdir(), 'edi-connector-'));
  mkdirSync(path.join(workspace, 'edi', 'inbox'), { recursive: true });
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

const dir = (sub: string): string => path.join(workspace, 'edi', sub);
const drop = (name: string, as = name): void => copyFileSync(path.join(FIXTURES, name), path.join(dir('inbox'), as));

async function run(stream: EdiStream, options: { checkpoint?: Checkpoint; batchSize?: number; config?: Record<string, unknown>; stopAfter?: number } = {}) {
  const config = connector.configSchema.parse({ folder: 'edi', ...options.config });
  const batches: Batch[] = [];
  for await (const batch of connector.read(config, { stream, checkpoint: options.checkpoint, batchSize: options.batchSize ?? 1000, logger, signal: new AbortController().signal, workspaceDir: workspace })) {
    batches.push(batch);
    if (options.stopAfter && batches.length >= options.stopAfter) break;
  }
  return {
    batches,
    records: batches.flatMap((b) => b.records),
    rejected: batches.flatMap((b) => b.rejected ?? []),
    checkpoint: batches.at(-1)?.checkpoint,
  };
}

async function runAll(streams: EdiStream[] = ['customers', 'sales', 'inventory', 'chargebacks']) {
  const out: Record<string, Awaited<ReturnType<typeof run>>> = {};
  for (const s of streams) out[s] = await run(s);
  return out;
}

const ids = (records: RawRecord[]): string[] => records.map((r) => `${r.sourceId}${r.deleted ? ' (deleted)' : ''}`);

describe('the distributor-edi connector', () => {
  it('reads every stream, archives the file once all streams have read it and writes a 997 to the outbox', async () => {
    drop('867-basic.x12');
    drop('852-inventory.x12');
    drop('844-chargeback.x12');
    const first = await run('customers');
    expect(readdirSync(dir('inbox')).sort()).toEqual(['844-chargeback.x12', '852-inventory.x12', '867-basic.x12']);
    const rest = await runAll(['sales', 'inventory', 'chargebacks']);
    expect(first.records.map((r) => r.sourceId).sort()).toEqual([
      'ABCDRUG:340b=340B-MO-1|hin=MERCY0001',
      'ABCDRUG:dea=BM1112224|gln=0300123456785',
      'CARDINALHLTH:340b=340B-OH-0042|dea=BC2345672|hin=A1B2C3D00',
      'CARDINALHLTH:dea=AS9182736',
    ]);
    expect(ids(rest.sales!.records)).toEqual(['CARDINALHLTH:RPT-2024-02:1', 'CARDINALHLTH:RPT-2024-02:2', 'CARDINALHLTH:RPT-2024-02:3']);
    // One record per product, location and period: 2 products at the DC, 1 product at 2 SDQ locations.
    expect(ids(rest.inventory!.records)).toEqual([
      'CARDINALHLTH:2024-02-29:00002143380:92=DC12',
      'CARDINALHLTH:2024-02-29:50242004062:92=DC12',
      'CARDINALHLTH:2024-03-03:00002143380:XX=1234567893',
      'CARDINALHLTH:2024-03-03:00002143380:XX=1003000126',
    ]);
    expect(ids(rest.chargebacks!.records)).toEqual(['ABCDRUG:CB-2024-0031:1:1', 'ABCDRUG:CB-2024-0031:1:2', 'ABCDRUG:CB-2024-0031:2:1']);
    expect(readdirSync(dir('inbox'))).toEqual([]);
    expect(readdirSync(dir('archive')).sort()).toEqual(['844-chargeback.x12', '852-inventory.x12', '867-basic.x12']);
    const acks = readdirSync(dir('outbox')).sort();
    expect(acks).toEqual(['844-chargeback.x12.000000101.997.x12', '852-inventory.x12.000000101.997.x12', '867-basic.x12.000000101.997.x12']);
    expect(readFileSync(path.join(dir('outbox'), acks[2]!), 'utf8')).toContain('AK9*A*1*1*1~');
  });

  it('reads files in place with archive off: nothing moves, and only the checkpoint remembers what was read', async () => {
    drop('867-basic.x12');
    const config = { archive: false, streams: ['customers', 'sales'] };
    const first = await run('sales', { config });
    expect(first.records.length).toBeGreaterThan(0);
    await run('customers', { config });
    expect(readdirSync(dir('inbox'))).toEqual(['867-basic.x12']);
    expect(existsSync(dir('outbox')) ? readdirSync(dir('outbox')) : []).toEqual([]);
    // The same store (its checkpoint) reads nothing new; a fresh store (no checkpoint) reads the file again.
    expect((await run('sales', { config, checkpoint: first.checkpoint })).records).toEqual([]);
    expect((await run('sales', { config })).records.length).toBe(first.records.length);
  });

  it('moves a file that is not X12 to error/ with a report and quarantines it once', async () => {
    drop('not-x12.txt');
    const { rejected } = await run('sales');
    expect(rejected).toEqual([expect.objectContaining({ reasonCode: 'edi.file_unusable' })]);
    expect(readdirSync(dir('error')).sort()).toEqual(['not-x12.txt', 'not-x12.txt.report.json']);
    const report = JSON.parse(readFileSync(path.join(dir('error'), 'not-x12.txt.report.json'), 'utf8'));
    expect(report).toMatchObject({ code: 'edi.file_unusable', file: 'not-x12.txt' });
    expect(report.issues[0]).toMatch(/isa.missing at byte 0/);
    expect((await run('customers')).rejected).toEqual([]);
  });

  it('puts the records of a rejected set in rejected with the reason and keeps the good set of the same file', async () => {
    drop('867-wrong-se-count.x12');
    const { records, rejected } = await run('sales');
    expect(ids(records)).toEqual(['CARDINALHLTH:RPT-GOOD:1', 'CARDINALHLTH:RPT-GOOD:2', 'CARDINALHLTH:RPT-GOOD:3']);
    expect(rejected.map((r) => [r.sourceId, r.reasonCode])).toEqual([
      ['CARDINALHLTH:RPT-BADCOUNT:1', 'edi.set_rejected'],
      ['CARDINALHLTH:RPT-BADCOUNT:2', 'edi.set_rejected'],
      ['CARDINALHLTH:RPT-BADCOUNT:3', 'edi.set_rejected'],
    ]);
    expect(rejected[0]!.reason).toMatch(/SE01 says 7 segments but the set has 41/);
    expect(rejected[0]!.raw).toMatchObject({ reportNumber: 'RPT-BADCOUNT', quantity: 10 });
  });

  it('reads a file once by content: the same content dropped again is not read again', async () => {
    drop('867-basic.x12');
    const first = await run('sales', { config: { streams: ['sales'] } });
    expect(first.records).toHaveLength(3);
    drop('867-basic.x12', 'resent-copy.x12');
    const second = await run('sales', { checkpoint: first.checkpoint, config: { streams: ['sales'] } });
    expect(second.records).toEqual([]);
    expect(readdirSync(dir('archive')).sort()).toEqual(['867-basic.x12', 'resent-copy.x12']);
    // Archived again, but acknowledged only once.
    expect(readdirSync(dir('outbox'))).toEqual(['867-basic.x12.000000101.997.x12']);
  });

  it('makes a BPT 05 replace supersede the earlier report: same line keys, extra old lines deleted', async () => {
    drop('867-original.x12');
    const original = await run('sales', { config: { streams: ['sales'] } });
    expect(ids(original.records)).toEqual(['CARDINALHLTH:RPT-REPL-1:1', 'CARDINALHLTH:RPT-REPL-1:2', 'CARDINALHLTH:RPT-REPL-1:3']);
    drop('867-replace.x12');
    const replace = await run('sales', { checkpoint: original.checkpoint, config: { streams: ['sales'] } });
    expect(ids(replace.records)).toEqual(['CARDINALHLTH:RPT-REPL-1:1', 'CARDINALHLTH:RPT-REPL-1:2 (deleted)', 'CARDINALHLTH:RPT-REPL-1:3 (deleted)']);
    expect(replace.records[0]!.payload).toMatchObject({ quantity: 12, reportPurpose: 'replace' });
    expect((replace.checkpoint as { reports: Record<string, unknown> }).reports['CARDINALHLTH:RPT-REPL-1']).toMatchObject({ lines: 1, purpose: 'replace', file: '867-replace.x12' });

    // The original arriving again after its replacement is late: its lines must not overwrite the replacement.
    const late = x12([[['BPT', '00', 'RPT-REPL-1', '20240301', 'SS'], ...SIMPLE_867.slice(1)]]).replace(/SENDER {9}/, 'CARDINALHLTH   ');
    writeFileSync(path.join(dir('inbox'), 'late-original.x12'), late);
    const again = await run('sales', { checkpoint: replace.checkpoint, config: { streams: ['sales'] } });
    expect(again.records).toEqual([]);
    expect(again.rejected.map((r) => [r.sourceId, r.reasonCode])).toEqual([['CARDINALHLTH:RPT-REPL-1:1', 'edi.report_superseded']]);
  });

  it('handles an original and its replace in the same file', async () => {
    const text = readFileSync(path.join(FIXTURES, '867-original.x12'), 'utf8') + readFileSync(path.join(FIXTURES, '867-replace.x12'), 'utf8');
    writeFileSync(path.join(dir('inbox'), 'both.x12'), text);
    const { records } = await run('sales');
    expect(ids(records)).toEqual([
      'CARDINALHLTH:RPT-REPL-1:1',
      'CARDINALHLTH:RPT-REPL-1:2',
      'CARDINALHLTH:RPT-REPL-1:3',
      'CARDINALHLTH:RPT-REPL-1:1',
      'CARDINALHLTH:RPT-REPL-1:2 (deleted)',
      'CARDINALHLTH:RPT-REPL-1:3 (deleted)',
    ]);
  });

  it('refuses a link that points outside the inbox and never reads its target', async () => {
    const outside = path.join(workspace, 'secret.x12');
    copyFileSync(path.join(FIXTURES, '867-basic.x12'), outside);
    symlinkSync(outside, path.join(dir('inbox'), 'escape.x12'));
    const { records, rejected } = await run('sales');
    expect(records).toEqual([]);
    expect(rejected).toEqual([expect.objectContaining({ reasonCode: 'edi.path_refused' })]);
    expect(readdirSync(dir('error')).sort()).toEqual(['escape.x12', 'escape.x12.report.json']);
    expect(existsSync(outside)).toBe(true);
  });

  it('rejects a set with a segment over the configured maximum, with a clear reason, and keeps the others', async () => {
    const big = x12([[...SIMPLE_867, ['N2', 'Z'.repeat(5000)]], SIMPLE_867.map((s) => (s[0] === 'BPT' ? ['BPT', '00', 'R2', '20240301', 'SS'] : s))]);
    writeFileSync(path.join(dir('inbox'), 'big.x12'), big);
    const { records, rejected } = await run('sales', { config: { maxSegmentLength: 1000 } });
    expect(ids(records)).toEqual(['SENDER:R2:1']);
    expect(rejected.map((r) => r.reasonCode)).toEqual(['edi.set_rejected']);
    expect(rejected[0]!.reason).toMatch(/segment\.too_long.*longer than the maximum segment length/);
  });

  it('resumes an interrupted file from its checkpoint without repeating or losing records', async () => {
    drop('867-basic.x12');
    drop('867-cencora-pipe.x12');
    const full = await run('sales', { config: { streams: ['sales', 'customers'] } });
    rmSync(path.join(workspace, 'edi'), { recursive: true });
    mkdirSync(dir('inbox'), { recursive: true });
    drop('867-basic.x12');
    drop('867-cencora-pipe.x12');
    const partial = await run('sales', { batchSize: 1, stopAfter: 2, config: { streams: ['sales', 'customers'] } });
    const rest = await run('sales', { batchSize: 1, checkpoint: partial.checkpoint, config: { streams: ['sales', 'customers'] } });
    expect([...ids(partial.records), ...ids(rest.records)]).toEqual(ids(full.records));
  });

  it('gives records that the shipped mappings turn into hco and sales_fact drafts without issues', async () => {
    drop('867-basic.x12');
    const { mappings, errors } = loadMappings({ dir: path.resolve(FIXTURES, '../../../mappings/sources') });
    expect(errors).toEqual([]);
    const sales = mappings.find((m) => m.connector === 'distributor-edi' && m.stream === 'sales')!;
    const customers = mappings.find((m) => m.connector === 'distributor-edi' && m.stream === 'customers')!;
    const { records: saleRecords } = await run('sales');
    const mapped = applyMapping(sales, saleRecords[1]!.payload);
    expect(mapped.issues).toEqual([]);
    expect(mapped.drafts[0]).toMatchObject({
      kind: 'sales_fact',
      data: {
        shipTo: { name: 'CITY GENERAL HOSPITAL PHARMACY', identifiers: [{ type: 'dea', value: 'BC2345672' }, { type: 'hin', value: 'A1B2C3D00' }, { type: '340b', value: '340B-OH-0042' }] },
        product: { ndc11: '50242004062', upc: '012345678905' },
        period: { start: '2024-02-01', end: '2024-02-29', grain: 'month' },
        quantity: -2,
        amount: -160,
        report: { number: 'RPT-2024-02', purpose: 'original' },
      },
    });
    const { records: customerRecords } = await run('customers');
    const hco = applyMapping(customers, customerRecords[0]!.payload);
    expect(hco.issues).toEqual([]);
    expect(hco.drafts[0]).toMatchObject({
      kind: 'hco',
      data: {
        name: 'CITY GENERAL HOSPITAL PHARMACY',
        identifiers: [{ type: 'dea', value: 'BC2345672' }, { type: 'hin', value: 'A1B2C3D00' }, { type: '340b', value: '340B-OH-0042' }],
        addresses: [{ type: 'shipping', line1: '1200 MAIN ST', city: 'COLUMBUS', state: 'OH', zip5: '43215' }],
      },
    });
  });
});

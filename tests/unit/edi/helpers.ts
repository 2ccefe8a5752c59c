import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readX12Transactions, type TransactionItem } from '../../../src/edi/transactions/index.js';
import { summarizeX12, type X12Issue, type X12Summary } from '../../../src/edi/x12/index.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/edi');

export function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

/** Cuts a buffer into chunks of the given sizes (cycled), to show results do not depend on chunk boundaries. */
export function chunked(buf: Buffer, sizes: number[] = [7]): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  let i = 0;
  while (pos < buf.length) {
    const size = Math.max(1, sizes[i++ % sizes.length] ?? 1);
    out.push(buf.subarray(pos, pos + size));
    pos += size;
  }
  return out;
}

export async function summarize(input: Buffer | string, chunkSizes?: number[], maxSegmentLength?: number): Promise<X12Summary> {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  return summarizeX12(chunkSizes ? chunked(buf, chunkSizes) : [buf], maxSegmentLength ? { maxSegmentLength } : {});
}

export async function readAll(input: Buffer | string, chunkSizes?: number[]): Promise<TransactionItem[]> {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const out: TransactionItem[] = [];
  for await (const items of readX12Transactions(chunkSizes ? chunked(buf, chunkSizes) : [buf])) out.push(...items);
  return out;
}

export function allIssues(summary: X12Summary): X12Issue[] {
  return [...summary.fileIssues, ...summary.interchanges.flatMap((i) => [...i.issues, ...i.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)])])];
}

export const ISA = (e = '*', c = '>', t = '~', control = '000000001', version = '00401', isa11 = 'U'): string =>
  ['ISA', '00', ' '.repeat(10), '00', ' '.repeat(10), 'ZZ', 'SENDER'.padEnd(15), 'ZZ', 'RECEIVER'.padEnd(15), '240305', '1015', isa11, version, control, '0', 'P', c].join(e) + t;

/** A one-set interchange from segment lists; counts are computed unless overridden. */
export function x12(sets: string[][][], opts: { e?: string; t?: string; c?: string; nl?: string; gs08?: string; version?: string; isa11?: string; control?: string } = {}): string {
  const e = opts.e ?? '*';
  const t = opts.t ?? '~';
  const nl = opts.nl ?? '\n';
  const control = opts.control ?? '000000001';
  const seg = (els: string[]): string => els.join(e) + t + nl;
  let out = ISA(e, opts.c ?? '>', t, control, opts.version ?? '00401', opts.isa11 ?? 'U') + nl;
  out += seg(['GS', 'PT', 'SENDER', 'RECEIVER', '20240305', '1015', '1', 'X', opts.gs08 ?? '004010']);
  sets.forEach((body, i) => {
    const st = String(i + 1).padStart(4, '0');
    out += seg(['ST', '867', st]);
    for (const s of body) out += seg(s);
    out += seg(['SE', String(body.length + 2), st]);
  });
  out += seg(['GE', String(sets.length), '1']);
  out += seg(['IEA', '1', control]);
  return out;
}

export const SIMPLE_867: string[][] = [
  ['BPT', '00', 'R1', '20240301', 'SS'],
  ['DTM', '090', '20240201'],
  ['DTM', '091', '20240229'],
  ['PTD', 'SS'],
  ['N1', 'ST', 'A PHARMACY', '11', 'AB1234563'],
  ['QTY', '32', '-3', 'EA'],
  ['LIN', '', 'N4', '00002143380'],
];

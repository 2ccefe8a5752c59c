import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readX12Transactions, type TransactionItem } from '../../../src/edi/transactions/index.js';
import { readFileChunks } from '../../../src/edi/x12/file-chunks.js';
import { X12_PIECE } from '../../../src/edi/x12/segment-reader.js';
import { chunked, FIXTURES, fixture, x12 } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'file-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

const openFiles = (): number => readdirSync('/proc/self/fd').length;

describe('reading a file in reused chunks', () => {
  it('hands out every byte in order, no chunk larger than asked, whatever the sizes', async () => {
    const bytes = Buffer.from(Array.from({ length: 10_007 }, (_, i) => (i * 31) % 251));
    const file = fileOf('bytes.bin', bytes);
    for (const [chunkSize, readSize] of [
      [1000, 2500],
      [1024, 4096],
      [4096, 1024],
      [20_000, 20_000],
      [1, 7],
    ] as const) {
      const pieces: Buffer[] = [];
      for await (const chunk of readFileChunks(file, { chunkSize, readSize })) {
        expect(chunk.length).toBeGreaterThan(0);
        expect(chunk.length).toBeLessThanOrEqual(chunkSize);
        // Copied, because the next chunks are read into the same memory.
        pieces.push(Buffer.from(chunk));
      }
      expect(Buffer.concat(pieces).equals(bytes), `chunks of ${chunkSize}, reads of ${readSize}`).toBe(true);
    }
  });

  it('gives nothing for an empty file and fails with ENOENT for a missing one', async () => {
    const empty = fileOf('empty.bin', Buffer.alloc(0));
    const got: Buffer[] = [];
    for await (const chunk of readFileChunks(empty)) got.push(chunk);
    expect(got).toEqual([]);
    await expect(async () => {
      for await (const chunk of readFileChunks(path.join(dir, 'missing.x12'))) got.push(chunk);
    }).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('closes the file when the reader stops early', async () => {
    const file = fileOf('stop.bin', Buffer.alloc(50_000, 0x41));
    const before = openFiles();
    for await (const chunk of readFileChunks(file, { chunkSize: 100, readSize: 1000 })) {
      expect(chunk.length).toBe(100);
      break;
    }
    expect(openFiles()).toBe(before);
  });

  it('feeds the X12 reader the same records as the whole file in one buffer, with chunks and reads cut small', async () => {
    const all = async (source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<TransactionItem[]> => {
      const out: TransactionItem[] = [];
      for await (const items of readX12Transactions(source)) out.push(...items);
      return out;
    };
    for (const name of ['867-basic.x12', 'two-interchanges.x12', '867-cencora-pipe.x12', '844-chargeback.x12']) {
      const expected = await all([fixture(name)]);
      expect(expected.length).toBeGreaterThan(5);
      for (const [chunkSize, readSize] of [
        [7, 30],
        [64, 64],
        [500, 1200],
      ] as const) {
        expect(await all(readFileChunks(path.join(FIXTURES, name), { chunkSize, readSize })), `${name} in chunks of ${chunkSize}, reads of ${readSize}`).toEqual(expected);
      }
    }
  });

  it('batches a chunk larger than a piece (X12_PIECE) by piece, with the same records as small chunks give', async () => {
    const lines = Array.from({ length: 6000 }, (_, i) => [
      ['QTY', '32', String(1 + (i % 9)), 'EA'],
      ['LIN', '', 'N4', '00002143380'],
    ]).flat();
    const body = [['BPT', '00', 'RPT-1', '20240301', 'SS'], ['PTD', 'SS'], ['N1', 'ST', 'PHARMACY', '11', 'BC2345672'], ...lines];
    const whole = Buffer.from(x12([body]), 'latin1');
    expect(whole.length).toBeGreaterThan(3 * X12_PIECE);
    const batches: TransactionItem[][] = [];
    for await (const items of readX12Transactions([whole])) batches.push(items);
    expect(batches.length).toBeGreaterThanOrEqual(Math.floor(whole.length / X12_PIECE));
    const small: TransactionItem[] = [];
    for await (const items of readX12Transactions(chunked(whole, [4096]))) small.push(...items);
    expect(batches.flat()).toEqual(small);
    expect(small.filter((item) => item.kind === 'sales-line')).toHaveLength(6000);
  });
});

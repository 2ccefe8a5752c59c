import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { delimitedFileConnector } from '../../../connectors/delimited-file/connector.js';
import type { Batch, Checkpoint } from '../../../src/sdk/index.js';

const logger = pino({ level: 'silent' });

function workspaceWith(name: string, content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'crosswalk-file-'));
  writeFileSync(path.join(dir, name), content);
  return dir;
}

async function readAll(dir: string, config: Record<string, unknown>, options: { checkpoint?: Checkpoint; batchSize?: number; stopAfter?: number } = {}) {
  const parsed = delimitedFileConnector.configSchema.parse(config);
  const batches: Batch[] = [];
  const controller = new AbortController();
  for await (const batch of delimitedFileConnector.read(parsed, {
    stream: parsed.stream,
    checkpoint: options.checkpoint,
    batchSize: options.batchSize ?? 2,
    logger,
    signal: controller.signal,
    workspaceDir: dir,
  })) {
    batches.push(batch);
    if (options.stopAfter && batches.length >= options.stopAfter) break;
  }
  return batches;
}

const csv = '\uFEFFId,LastName,City\r\n1,Smith,Boston\r\n2,"O\'Neil, Jr",Salem\r\n3,Jones,Lynn\r\n4,Brown,Quincy\r\n5,Davis,Dedham\r\n';

describe('the delimited-file connector', () => {
  it('reads a CSV with a byte-order mark and CRLF into batches of records keyed by header', async () => {
    const dir = workspaceWith('a.csv', csv);
    const batches = await readAll(dir, { path: 'a.csv' });
    const records = batches.flatMap((b) => b.records.map((r) => r.payload));
    expect(records).toHaveLength(5);
    expect(records[0]).toEqual({ Id: '1', LastName: 'Smith', City: 'Boston' });
    expect(records[1]!.LastName).toBe("O'Neil, Jr");
    expect(batches.at(-1)!.checkpoint).toMatchObject({ complete: true, rows: 5 });
  });

  it('resumes after the last stored batch and reads every record exactly once', async () => {
    const dir = workspaceWith('a.csv', csv);
    const first = await readAll(dir, { path: 'a.csv' }, { stopAfter: 1 });
    expect(first[0]!.records.map((r) => r.payload.Id)).toEqual(['1', '2']);
    const rest = await readAll(dir, { path: 'a.csv' }, { checkpoint: first[0]!.checkpoint });
    expect(rest.flatMap((b) => b.records.map((r) => r.payload.Id))).toEqual(['3', '4', '5']);
    expect(rest[0]!.records[0]!.payload).toEqual({ Id: '3', LastName: 'Jones', City: 'Lynn' });
  });

  it('reads the whole file again once a previous run reached its end', async () => {
    const dir = workspaceWith('a.csv', csv);
    const all = await readAll(dir, { path: 'a.csv' });
    const again = await readAll(dir, { path: 'a.csv' }, { checkpoint: all.at(-1)!.checkpoint });
    expect(again.flatMap((b) => b.records)).toHaveLength(5);
  });

  it('reads pipe-delimited files', async () => {
    const dir = workspaceWith('rx.txt', 'A|B\n1|x\n2|y\n');
    const batches = await readAll(dir, { path: 'rx.txt', delimiter: '|' });
    expect(batches.flatMap((b) => b.records.map((r) => r.payload))).toEqual([{ A: '1', B: 'x' }, { A: '2', B: 'y' }]);
  });

  it('rejects a malformed line with its line number and keeps every good line', async () => {
    const dir = workspaceWith('bad.csv', 'Id,Name\n1,Ann\n2,Bob,extra,columns\n3,Cy\n');
    const batches = await readAll(dir, { path: 'bad.csv' }, { batchSize: 10 });
    expect(batches.flatMap((b) => b.records.map((r) => r.payload.Id))).toEqual(['1', '3']);
    const rejected = batches.flatMap((b) => b.rejected ?? []);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reasonCode).toBe('file.malformed_line');
    expect(rejected[0]!.reason).toMatch(/line 3/);
  });

  it('fails with a configuration error naming the path when the file is missing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'crosswalk-file-'));
    await expect(readAll(dir, { path: 'nope.csv' })).rejects.toMatchObject({ code: 'file.missing', failureType: 'config' });
    const check = await delimitedFileConnector.check(delimitedFileConnector.configSchema.parse({ path: 'nope.csv' }), { workspaceDir: dir });
    expect(check.ok).toBe(false);
  });
});

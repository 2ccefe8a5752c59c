import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadMappingFile, type CompiledMapping } from '../../../src/mapping/index.js';
import type { Batch, Checkpoint, ConnectorDefinition } from '../../../src/sdk/index.js';

const logger = pino({ level: 'silent' });

/** A fresh workspace folder holding copies of fixtures (by name) and extra files (name -> content). */
export function workspaceWith(fixtures: string[], files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'crosswalk-rx-'));
  for (const f of fixtures) cpSync(path.resolve('tests/fixtures', f), path.join(dir, path.basename(f)));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

export async function readAll(
  connector: ConnectorDefinition,
  dir: string,
  config: Record<string, unknown>,
  options: { checkpoint?: Checkpoint; batchSize?: number; stopAfter?: number; stream?: string } = {},
): Promise<Batch[]> {
  const parsed = connector.configSchema.parse(config) as Record<string, unknown>;
  const stream = options.stream ?? connector.discover(parsed)[0]!.name;
  const batches: Batch[] = [];
  for await (const batch of connector.read(parsed, { stream, checkpoint: options.checkpoint, batchSize: options.batchSize ?? 100, logger, signal: new AbortController().signal, workspaceDir: dir })) {
    batches.push(batch);
    if (options.stopAfter && batches.length >= options.stopAfter) break;
  }
  return batches;
}

export const payloads = (batches: Batch[]) => batches.flatMap((b) => b.records.map((r) => r.payload));
export const rejections = (batches: Batch[]) => batches.flatMap((b) => b.rejected ?? []);

export function mapping(file: string): CompiledMapping {
  const loaded = loadMappingFile(path.resolve('mappings/sources', file));
  if (!loaded.mapping) throw new Error(JSON.stringify(loaded.errors));
  return loaded.mapping;
}

/** The monthly fixed-width layout of tests/fixtures/rx/rx-monthly.fixed.txt (byte positions, 1-based). */
export const FIXED_COLUMNS = [
  { name: 'PRESCRIBER_ID', start: 1, length: 10 },
  { name: 'ME_NUMBER', start: 11, length: 11 },
  { name: 'NPI', start: 22, length: 10 },
  { name: 'LAST_NAME', start: 32, length: 20 },
  { name: 'FIRST_NAME', start: 52, length: 15 },
  { name: 'PRODUCT', start: 67, length: 30 },
  { name: 'PERIOD_END', start: 97, length: 6, type: 'date', format: 'YYYYMM' },
  { name: 'TRX', start: 103, length: 7, type: 'integer' },
  { name: 'NRX', start: 110, length: 7, type: 'integer' },
  { name: 'UNITS', start: 117, length: 10, type: 'number', decimals: 3 },
  { name: 'DOLLARS', start: 127, length: 12, type: 'number', decimals: 2 },
];

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rxFileConnector } from '../../../connectors/rx-file/connector.js';
import { FIXED_COLUMNS, readAll, workspaceWith } from './helpers.js';

const text = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', '1', ',', '"', '\n', '\r', '\t', ';', ' ', '*', '#', '.', '-', '\uFEFF', 'é') , maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
);

/** Any input either reads or is rejected with a reason: never an exception that is not a config error, never a hang. */
async function survives(config: Record<string, unknown>, name: string, content: string): Promise<void> {
  const dir = workspaceWith([]);
  writeFileSync(path.join(dir, name), content);
  try {
    const batches = await readAll(rxFileConnector, dir, { ...config, path: name }, { batchSize: 7 });
    expect(batches.at(-1)!.checkpoint).toMatchObject({ complete: true });
  } catch (error) {
    expect((error as { failureType?: string }).failureType).toBe('config');
  }
}

describe('the rx-file readers under fuzzing', () => {
  it('never crash or hang on arbitrary CMS-like CSV input', async () => {
    const header = 'Prscrbr_NPI,Brnd_Name,Gnrc_Name,Tot_Clms,Tot_Benes\n';
    await fc.assert(fc.asyncProperty(text, fc.boolean(), async (body, withHeader) => survives({ layout: 'cms-part-d', maxLineLength: 256 }, 'f_DY22.csv', (withHeader ? header : '') + body)), { numRuns: 150 });
  }, 60_000);

  it('never crash or hang on arbitrary headerless delimited input', async () => {
    await fc.assert(fc.asyncProperty(text, async (body) => survives({ layout: 'delimited', delimiter: ';', header: false, maxLineLength: 256, columns: [{ name: 'A' }, { name: 'B', type: 'number' }, { name: 'C', type: 'date', format: 'YYYYMMDD' }] }, 'f.csv', body)), { numRuns: 150 });
  }, 60_000);

  it('never crash or hang on arbitrary fixed-width input', async () => {
    await fc.assert(fc.asyncProperty(text, async (body) => survives({ layout: 'fixed-width', maxLineLength: 256, skipPattern: '^TRL', columns: FIXED_COLUMNS }, 'f.txt', body)), { numRuns: 150 });
  }, 60_000);
});

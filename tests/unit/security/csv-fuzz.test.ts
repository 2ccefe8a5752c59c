import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { delimitedFileConnector } from '../../../connectors/delimited-file/connector.js';
import type { Batch, Checkpoint } from '../../../src/sdk/index.js';

const logger = pino({ level: 'silent' });
const dir = mkdtempSync(path.join(tmpdir(), 'crosswalk-csv-fuzz-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads a file to its end (or from a checkpoint), failing as a hang if it takes more than `ms`. */
async function read(file: string, config: Record<string, unknown>, options: { batchSize?: number; checkpoint?: Checkpoint; stopAfter?: number; ms?: number } = {}): Promise<Batch[]> {
  const parsed = delimitedFileConnector.configSchema.parse({ ...config, path: file });
  const batches: Batch[] = [];
  const work = (async () => {
    for await (const batch of delimitedFileConnector.read(parsed, {
      stream: parsed.stream,
      checkpoint: options.checkpoint,
      batchSize: options.batchSize ?? 3,
      logger,
      signal: new AbortController().signal,
      workspaceDir: dir,
    })) {
      batches.push(batch);
      if (options.stopAfter && batches.length >= options.stopAfter) break;
    }
    return batches;
  })();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`read of ${file} hung for ${options.ms ?? 10_000} ms`)), options.ms ?? 10_000);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

function write(content: string | Buffer): string {
  const name = `f${files++}.csv`;
  writeFileSync(path.join(dir, name), content);
  return name;
}

// CSV-shaped text: delimiters, quotes, line ends of every kind, a byte-order mark, spaces, non-ASCII, NULs.
const csvUnit = fc.constantFrom('a', 'B', '1', ',', '|', ';', '\t', '"', "'", '\n', '\r', '\r\n', ' ', '\uFEFF', 'é', '中', '\u0000', '\\', '=');
const csvText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: csvUnit, maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  // A header and rows with the right shape, then noise, so deeper states of the parser are reached.
  { weight: 2, arbitrary: fc.tuple(fc.array(fc.string({ unit: csvUnit, maxLength: 12 }), { minLength: 1, maxLength: 5 }), fc.string({ unit: csvUnit, maxLength: 200 })).map(([cols, rest]) => `${cols.join(',')}\n${rest}`) },
);
const config = fc.record({
  delimiter: fc.constantFrom(',', '|', '\t', ';', '||'),
  quote: fc.constantFrom('"', "'", ''),
  trim: fc.boolean(),
  encoding: fc.constantFrom('utf8', 'latin1'),
});

/** Reads one batch per run, each run resuming from the checkpoint the previous one stored, as a crashing worker would. */
async function readResumingEachBatch(file: string, cfg: Record<string, unknown>, batchSize: number): Promise<Array<Record<string, unknown>>> {
  const resumed: Array<Record<string, unknown>> = [];
  let checkpoint: Checkpoint | undefined;
  for (let step = 0; step < 1000; step++) {
    const [batch] = await read(file, cfg, { batchSize, checkpoint, stopAfter: 1 });
    if (!batch) break;
    resumed.push(...recordsOf([batch]));
    checkpoint = batch.checkpoint;
    if ((batch.checkpoint as { complete?: boolean }).complete) break;
  }
  return resumed;
}

function recordsOf(batches: Batch[]): Array<Record<string, unknown>> {
  return batches.flatMap((b) => b.records.map((r) => r.payload));
}

describe('the delimited-file (CSV) reader under fuzzing', () => {
  it('never crashes or hangs on thousands of arbitrary inputs: every line is a record or a rejection with a reason', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, config, async (content, cfg) => {
        const batches = await read(write(content), cfg);
        expect(batches.at(-1)!.checkpoint).toMatchObject({ complete: true });
        for (const b of batches) {
          for (const r of b.records) for (const v of Object.values(r.payload)) expect(typeof v).toBe('string');
          for (const rej of b.rejected ?? []) expect(rej).toMatchObject({ reasonCode: 'file.malformed_line', reason: expect.any(String) });
        }
      }),
      { numRuns: 2000 },
    );
  }, 180_000);

  it('reads the same records whether a run goes through at once or resumes from each checkpoint', async () => {
    await fc.assert(
      // One kind of line end per file, and a byte-order mark only where one belongs (see the known problems below).
      fc.asyncProperty(csvText, config, fc.integer({ min: 1, max: 4 }), fc.constantFrom('\n', '\r\n'), async (content, cfg, batchSize, eol) => {
        const oneEol = content.replace(/\r\n|\r|\n/g, eol);
        const file = write(cfg.encoding === 'latin1' ? oneEol.replace(/\uFEFF/g, '') : oneEol.replace(/(?!^)\uFEFF/g, ''));
        expect(await readResumingEachBatch(file, cfg, batchSize)).toEqual(recordsOf(await read(file, cfg, { batchSize: 1000 })));
      }),
      { numRuns: 1000 },
    );
  }, 180_000);

  // Found by the property above: the line end and the decoding are decided once, from the head of the file.
  it('reads a file whose line ends change kind (\\r, then \\r\\n) the same when resumed', async () => {
    const file = write('a\r,\r\n');
    const cfg = { delimiter: ';', trim: false };
    expect(await readResumingEachBatch(file, cfg, 1)).toEqual(recordsOf(await read(file, cfg, { batchSize: 1000 })));
  });

  it('reads a file configured latin1 that starts with a UTF-8 byte-order mark as UTF-8, resumed or not', async () => {
    const file = write('\uFEFF,\na\né\n');
    const cfg = { delimiter: ';', encoding: 'latin1' };
    expect(await readResumingEachBatch(file, cfg, 1)).toEqual(recordsOf(await read(file, cfg, { batchSize: 1000 })));
  });

  it('gets through a single 8 MB line and a file of 200,000 empty fields without hanging', async () => {
    const long = write(`Id,Note\n1,${'x'.repeat(8 * 1024 * 1024)}\n2,ok\n`);
    expect(recordsOf(await read(long, {}, { ms: 30_000 })).map((r) => r.Id)).toEqual(['1', '2']);
    const wide = write(`${Array.from({ length: 200_000 }, (_, i) => `c${i}`).join(',')}\n${','.repeat(199_999)}\n`);
    expect(recordsOf(await read(wide, {}, { ms: 30_000 }))).toHaveLength(1);
  }, 60_000);
});

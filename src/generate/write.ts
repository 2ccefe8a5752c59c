/**
 * Streams a population's source files and truth.csv to disk.
 *
 * Physicians are rendered in blocks of consecutive indices; each block yields, per source, the text of its file lines
 * and of its truth lines. Every row depends only on (seed, index), so blocks can be rendered anywhere in any order:
 * with `workers` > 0 they are rendered round-robin by worker threads (each rebuilds the same population from the
 * seed) and written by the main thread strictly in block order, with at most two blocks in flight per worker. The
 * files are therefore byte-identical whatever the number of workers, and memory stays flat however many physicians
 * are generated.
 *
 * truth.csv (`source,source_id,entity_id,entity_type,corruptions`, corruptions separated by `;`) is grouped by
 * source: each source's truth lines go to a temporary part file that is appended to truth.csv at the end. A source
 * that writes several rows per record (the Rx file) gets one truth line per record.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { generatePopulation, type Population, type PopulationOptions } from './population.js';
import { createSourceRenderer, csvLineMinimal, type SourceName, type SourceRenderer, type SourceRow } from './sources/index.js';
import type { XponentOptions } from './sources/xponent.js';

export const TRUTH_FILE = 'truth.csv';
export const TRUTH_COLUMNS = ['source', 'source_id', 'entity_id', 'entity_type', 'corruptions'] as const;

export interface SourceSpec {
  readonly source: SourceName;
  readonly options?: XponentOptions;
}

export interface WriteSourcesOptions {
  readonly population: Population;
  readonly outDir: string;
  readonly sources: readonly SourceSpec[];
  /** Where truth.csv goes; defaults to outDir. */
  readonly truthDir?: string;
  /**
   * Worker threads rendering physicians; default 0 (render on the calling thread). Workers pay off with idle cores
   * to spare: each rebuilds the population from its seed (~0.5 s) and costs its own heap. The output is the same
   * bytes whatever the number.
   */
  readonly workers?: number;
}

export interface WrittenFile {
  readonly source: SourceName;
  readonly path: string;
  /** Data lines written (header excluded). */
  readonly rows: number;
  /** Distinct source records (= truth lines). */
  readonly records: number;
}

export interface WriteSummary {
  readonly files: readonly WrittenFile[];
  readonly truthPath: string;
  readonly truthRows: number;
}

/** One block's output for one source. */
export interface RenderedPart {
  readonly lines: string;
  readonly truth: string;
  readonly rows: number;
  readonly records: number;
}

const BLOCK_SIZE = 2000;
/** Let a few blocks queue up in each stream, so rendering goes on while the disk writes instead of taking turns. */
const STREAM_HIGH_WATER_MARK = 1 << 22;

export function formatTruthLine(row: SourceRow): string {
  return csvLineMinimal([row.source, row.sourceId, row.entityId, row.entityType, row.corruptions.join(';')]);
}

/** Renders rows into file text and truth text, one truth line per run of rows with the same source id. */
export function renderPart(renderer: SourceRenderer, rowLists: Iterable<readonly SourceRow[]>): RenderedPart {
  const lines: string[] = [];
  const truth: string[] = [];
  let records = 0;
  for (const rows of rowLists) {
    let lastSourceId = '';
    for (const row of rows) {
      lines.push(renderer.formatLine(row.values));
      if (row.sourceId !== lastSourceId) {
        lastSourceId = row.sourceId;
        records++;
        truth.push(formatTruthLine(row));
      }
    }
  }
  return { lines: lines.join(''), truth: truth.join(''), rows: lines.length, records };
}

/** Physicians [from, to) rendered by every renderer. */
export function renderPhysicianBlock(population: Population, renderers: readonly SourceRenderer[], from: number, to: number): RenderedPart[] {
  const perSource: Array<Array<readonly SourceRow[]>> = renderers.map(() => []);
  for (let i = from; i < to; i++) {
    const physician = population.physicianAt(i);
    renderers.forEach((renderer, s) => (perSource[s] as Array<readonly SourceRow[]>).push(renderer.physicianRows(physician)));
  }
  return renderers.map((renderer, s) => renderPart(renderer, perSource[s] as Array<readonly SourceRow[]>));
}

export function createRenderers(population: Population, sources: readonly SourceSpec[]): SourceRenderer[] {
  return sources.map((spec) => createSourceRenderer(population, spec.source, spec.options));
}

/** What a worker needs to rebuild the population and its renderers. */
export interface WorkerJob {
  readonly population: Required<Pick<PopulationOptions, 'seed' | 'physicians' | 'organizations' | 'asOf' | 'ambiguousRate'>>;
  readonly sources: readonly SourceSpec[];
  readonly shard: number;
  readonly shards: number;
  readonly blockSize: number;
}

export type WorkerMessage = { readonly block: number; readonly lines: readonly Uint8Array[]; readonly truth: readonly Uint8Array[]; readonly rows: readonly number[]; readonly records: readonly number[] };

interface Channel {
  readonly source: SourceName;
  readonly path: string;
  readonly truthPartPath: string;
  readonly out: WriteStream;
  readonly truth: WriteStream;
  rows: number;
  records: number;
}

export async function writeSources(options: WriteSourcesOptions): Promise<WriteSummary> {
  const { population, outDir } = options;
  const truthDir = options.truthDir ?? outDir;
  const seen = new Set<SourceName>();
  for (const spec of options.sources) {
    if (seen.has(spec.source)) throw new Error(`Source ${spec.source} is listed twice`);
    seen.add(spec.source);
  }
  await mkdir(outDir, { recursive: true });
  await mkdir(truthDir, { recursive: true });

  const renderers = createRenderers(population, options.sources);
  const channels: Channel[] = renderers.map((renderer) => ({
    source: renderer.source,
    path: join(outDir, renderer.fileName),
    truthPartPath: join(truthDir, `.${TRUTH_FILE}.${renderer.source}.part`),
    out: createWriteStream(join(outDir, renderer.fileName), { highWaterMark: STREAM_HIGH_WATER_MARK }),
    truth: createWriteStream(join(truthDir, `.${TRUTH_FILE}.${renderer.source}.part`), { highWaterMark: STREAM_HIGH_WATER_MARK }),
    rows: 0,
    records: 0,
  }));

  const writeParts = async (lines: ReadonlyArray<string | Uint8Array>, truth: ReadonlyArray<string | Uint8Array>, rows: readonly number[], records: readonly number[]): Promise<void> => {
    const waits: Array<Promise<unknown>> = [];
    channels.forEach((channel, s) => {
      const text = lines[s] as string | Uint8Array;
      const truthText = truth[s] as string | Uint8Array;
      if (text.length > 0 && !channel.out.write(text)) waits.push(once(channel.out, 'drain'));
      if (truthText.length > 0 && !channel.truth.write(truthText)) waits.push(once(channel.truth, 'drain'));
      channel.rows += rows[s] as number;
      channel.records += records[s] as number;
    });
    await Promise.all(waits);
  };

  await writeParts(
    renderers.map((r) => r.headerLine),
    renderers.map(() => ''),
    renderers.map(() => 0),
    renderers.map(() => 0),
  );
  for (let from = 0; from < population.organizationCount; from += BLOCK_SIZE) {
    const organizations = population.organizations.slice(from, from + BLOCK_SIZE);
    const parts = renderers.map((renderer) => renderPart(renderer, organizations.map((o) => renderer.organizationRows(o))));
    await writeParts(
      parts.map((p) => p.lines),
      parts.map((p) => p.truth),
      parts.map((p) => p.rows),
      parts.map((p) => p.records),
    );
  }

  const workers = options.workers ?? 0;
  const blocks = Math.ceil(population.physicianCount / BLOCK_SIZE);
  if (workers <= 0 || blocks <= 1) {
    for (let b = 0; b < blocks; b++) {
      const parts = renderPhysicianBlock(population, renderers, b * BLOCK_SIZE, Math.min(population.physicianCount, (b + 1) * BLOCK_SIZE));
      await writeParts(
        parts.map((p) => p.lines),
        parts.map((p) => p.truth),
        parts.map((p) => p.rows),
        parts.map((p) => p.records),
      );
    }
  } else {
    await renderWithWorkers(population, options.sources, Math.min(workers, blocks), blocks, (m) => writeParts(m.lines, m.truth, m.rows, m.records));
  }

  for (const channel of channels) {
    channel.out.end();
    channel.truth.end();
    await Promise.all([once(channel.out, 'finish'), once(channel.truth, 'finish')]);
  }

  const truthPath = join(truthDir, TRUTH_FILE);
  const truthStream = createWriteStream(truthPath);
  truthStream.write(csvLineMinimal(TRUTH_COLUMNS));
  for (const channel of channels) {
    await pipeline(createReadStream(channel.truthPartPath), truthStream, { end: false });
    await rm(channel.truthPartPath);
  }
  truthStream.end();
  await once(truthStream, 'finish');

  return {
    files: channels.map((c) => ({ source: c.source, path: c.path, rows: c.rows, records: c.records })),
    truthPath,
    truthRows: channels.reduce((sum, c) => sum + c.records, 0),
  };
}

/** Runs the workers and hands their blocks to `write` in block order. */
async function renderWithWorkers(
  population: Population,
  sources: readonly SourceSpec[],
  shards: number,
  blocks: number,
  write: (message: WorkerMessage) => Promise<void>,
): Promise<void> {
  const pending = new Map<number, WorkerMessage>();
  let next = 0;
  let wake: (() => void) | undefined;
  let failure: unknown;
  const threads: Worker[] = [];
  for (let shard = 0; shard < shards; shard++) {
    const job: WorkerJob = {
      population: {
        seed: population.seed,
        physicians: population.physicianCount,
        organizations: population.organizationCount,
        asOf: population.asOf,
        ambiguousRate: population.ambiguousRate,
      },
      sources,
      shard,
      shards,
      blockSize: BLOCK_SIZE,
    };
    const worker = startWorker(job);
    worker.on('message', (message: WorkerMessage) => {
      pending.set(message.block, message);
      wake?.();
    });
    worker.on('error', (error) => {
      failure ??= error;
      wake?.();
    });
    worker.on('exit', (code) => {
      if (code !== 0) failure ??= new Error(`A generate worker exited with code ${code}`);
      wake?.();
    });
    threads.push(worker);
  }
  try {
    while (next < blocks) {
      const message = pending.get(next);
      if (message) {
        pending.delete(next);
        await write(message);
        // Credit back: the worker may render one more block.
        threads[next % shards]?.postMessage('ack');
        next++;
        continue;
      }
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

/**
 * Starts a render worker. From compiled JavaScript the worker file runs as is. From TypeScript sources (tsx, vitest)
 * the worker must first register tsx's loader: on Node 20 neither `--import tsx` in execArgv nor the parent's hooks
 * reach a worker's entry module, so the entry is a one-line bootstrap that registers tsx and then imports the worker.
 */
function startWorker(job: WorkerJob): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./write.worker.js', import.meta.url), { workerData: job });
  let api = 'tsx/esm/api';
  try {
    api = import.meta.resolve(api);
  } catch {
    // Some runners do not provide import.meta.resolve; the bare specifier then resolves from the working directory.
  }
  const entry = new URL('./write.worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData: job });
}

/** Builds the population a worker job describes (the same one the main thread holds). */
export function populationForJob(job: WorkerJob): Population {
  return generatePopulation(job.population);
}

import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { generatePopulation } from '../../generate/population.js';
import { SOURCE_NAMES, type SourceName } from '../../generate/sources/common.js';
import { writeSources, type WriteSummary } from '../../generate/write.js';
import { action } from '../output.js';

export interface GenerateCommandOptions {
  readonly physicians: number;
  readonly organizations?: number;
  readonly sources: readonly SourceName[];
  /** One coverage for every source, or one per source; absent sources keep their defaults. */
  readonly coverage?: number | Partial<Record<SourceName, number>>;
  readonly corruption: number;
  /** Share of physicians in ambiguous pairs (the review queue's material), 0..0.88; default 0. */
  readonly ambiguous?: number;
  readonly seed: number;
  readonly weeks: number;
  readonly asOf?: string;
  readonly out: string;
  readonly truthOut?: string;
  /** Worker threads rendering physicians (0: the main thread does it all). Same bytes either way. */
  readonly workers?: number;
}

/**
 * `crosswalk generate`: synthetic source files with ground truth, streamed to disk.
 *
 *   crosswalk generate --physicians 1000 --seed 42 --out data/synthetic
 *   crosswalk generate --physicians 400 --organizations 60 --seed 20261122 \
 *     --coverage veeva-crm=0.85,nppes=0.9,xponent=0.7 --ambiguous 0.16 --weeks 4 \
 *     --out examples/demo/sources --truth-out examples/demo/truth
 */
export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('Write synthetic Veeva CRM, NPPES and Xponent-style files of a physician population, with truth.csv.')
    .requiredOption('--physicians <n>', 'number of true physicians', parseCount('--physicians'))
    .option('--organizations <n>', 'number of true organizations (default: physicians / 15, at least 10)', parseCount('--organizations'))
    .option('--sources <list>', `comma-separated sources (${SOURCE_NAMES.join(', ')})`, parseSources, [...SOURCE_NAMES])
    .option(
      '--coverage <share>',
      'share of entities present in each source, 0..1, or per source: veeva-crm=0.85,nppes=0.9,xponent=0.7 (defaults: those)',
      parseCoverage,
    )
    .option('--corruption <share>', 'share of rows that get corruption operators, 0..1', parseShare('--corruption'), 0.3)
    .option(
      '--ambiguous <share>',
      'share of physicians in ambiguous pairs (CRM duplicates without NPI, father/son, twins, namesakes), 0..0.88, in whole pairs per 50 physicians',
      parseShare('--ambiguous'),
      0,
    )
    .requiredOption('--seed <n>', 'seed: the same seed and options give byte-identical files', parseCount('--seed'))
    .option('--weeks <n>', 'weekly periods in the Rx file', parseCount('--weeks'), 1)
    .option('--as-of <date>', 'extract date, YYYY-MM-DD (default 2026-11-20)')
    .requiredOption('--out <dir>', 'directory for the source files')
    .option('--truth-out <dir>', 'directory for truth.csv (default: --out)')
    .option('--workers <n>', 'worker threads (helps with idle cores to spare; output is identical)', parseCount('--workers'), 0)
    .action(
      action(async (opts: GenerateCommandOptions) => {
        const started = performance.now();
        const summary = await runGenerate(opts);
        const seconds = (performance.now() - started) / 1000;
        for (const file of summary.files) console.log(`${file.source}: ${file.rows} rows (${file.records} records) -> ${file.path}`);
        console.log(`truth: ${summary.truthRows} records -> ${summary.truthPath}`);
        console.log(`${opts.physicians} physicians in ${seconds.toFixed(1)} s`);
      }),
    );
}

/** What the command does, without the console: build the population and stream the files. */
export async function runGenerate(opts: GenerateCommandOptions): Promise<WriteSummary> {
  if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) {
    throw new ConfigError('generate.as_of', `--as-of must be a date written YYYY-MM-DD, got "${opts.asOf}"`);
  }
  const population = generatePopulation({
    seed: opts.seed,
    physicians: opts.physicians,
    organizations: opts.organizations,
    asOf: opts.asOf,
    ambiguousRate: opts.ambiguous,
  });
  const coverageOf = (source: SourceName): number | undefined =>
    typeof opts.coverage === 'number' ? opts.coverage : opts.coverage?.[source];
  return writeSources({
    population,
    outDir: opts.out,
    truthDir: opts.truthOut,
    workers: opts.workers,
    sources: opts.sources.map((source) => ({
      source,
      options: { coverage: coverageOf(source), corruptionRate: opts.corruption, weeks: opts.weeks },
    })),
  });
}

function parseCount(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
      throw new ConfigError('generate.option', `${flag} must be a whole number, got "${value}"`);
    }
    return n;
  };
}

function parseShare(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !(n >= 0 && n <= 1)) {
      throw new ConfigError('generate.option', `${flag} must be a number between 0 and 1, got "${value}"`);
    }
    return n;
  };
}

function parseSource(name: string): SourceName {
  const source = name.trim() as SourceName;
  if (!SOURCE_NAMES.includes(source)) {
    throw new ConfigError('generate.source', `Unknown source "${name}": choose from ${SOURCE_NAMES.join(', ')}`);
  }
  return source;
}

function parseSources(value: string): SourceName[] {
  const sources = value.split(',').filter((s) => s.trim() !== '').map(parseSource);
  if (sources.length === 0) throw new ConfigError('generate.source', `--sources needs at least one of ${SOURCE_NAMES.join(', ')}`);
  return [...new Set(sources)];
}

function parseCoverage(value: string): number | Partial<Record<SourceName, number>> {
  if (!value.includes('=')) return parseShare('--coverage')(value);
  const out: Partial<Record<SourceName, number>> = {};
  for (const part of value.split(',')) {
    const [name = '', share = ''] = part.split('=');
    out[parseSource(name)] = parseShare(`--coverage ${name.trim()}`)(share);
  }
  return out;
}

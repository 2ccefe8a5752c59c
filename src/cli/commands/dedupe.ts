/**
 * `crosswalk dedupe`: batch matching of CSV files without a database.
 *
 *   crosswalk dedupe --in a.csv [--in b.csv] [--config model.yaml] --out clusters.csv [--pairs pairs.csv]
 *                    [--id-column id] [--link-only] [--print-config] [--save-config trained.yaml]
 *
 * Without --config the model is inferred from the columns and trained unsupervised; --print-config prints it
 * (as YAML, ready to copy into mappings/matching/ and edit).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { readCsv, writeCsv } from '../../matching/csv-io.js';
import { dedupeRecords, type DedupeResult } from '../../matching/dedupe.js';
import { explainPair } from '../../matching/explain.js';
import { toFieldName } from '../../matching/infer-model.js';
import { loadModel, stringifyModel } from '../../matching/model-schema.js';

export interface DedupeCommandOptions {
  in: string[];
  config?: string;
  out?: string;
  pairs?: string;
  idColumn?: string;
  linkOnly?: boolean;
  printConfig?: boolean;
  saveConfig?: string;
  /** Where printed YAML and the summary go (stdout by default). */
  write?: (text: string) => void;
}

export interface DedupeSummary {
  records: number;
  candidatePairs: number;
  matchPairs: number;
  clusters: number;
  timings: Record<string, number>;
  result: DedupeResult;
}

export function runDedupeCommand(opts: DedupeCommandOptions): DedupeSummary {
  const write = opts.write ?? ((t: string) => process.stdout.write(t));
  if (opts.in.length === 0) throw new Error('dedupe needs at least one --in <file.csv>');
  const t0 = performance.now();
  const tables = opts.in.map((f) => readCsv(f));
  const names = uniqueSourceNames(opts.in);
  const model = opts.config ? loadModel(opts.config) : undefined;
  const idColumn = opts.idColumn !== undefined ? toFieldName(opts.idColumn) : undefined;
  const readMs = performance.now() - t0;
  const result = dedupeRecords({
    model,
    sources: tables.map((t, i) => ({ name: names[i] as string, records: t.rows })),
    columns: tables[0]?.columns,
    idColumn,
    linkOnly: opts.linkOnly ?? false,
  });
  const t1 = performance.now();
  if (opts.printConfig) write(stringifyModel(result.model));
  if (opts.saveConfig) writeFileSync(opts.saveConfig, stringifyModel(result.model));
  const multi = tables.length > 1;
  const { store, clustering, recordIds } = result;
  const clusterSize = new Map<number, number>();
  for (const c of clustering.clusterOf) clusterSize.set(c, (clusterSize.get(c) ?? 0) + 1);
  const clusterLabel = (rep: number): string => (multi ? `${names[store.sources[rep] as number]}:${recordIds[rep]}` : (recordIds[rep] as string));
  if (opts.out) {
    const columns = multi ? ['source', 'id', 'cluster_id', 'cluster_size'] : ['id', 'cluster_id', 'cluster_size'];
    const rows: unknown[][] = [];
    for (let i = 0; i < store.size; i++) {
      const rep = clustering.clusterOf[i] as number;
      const row = [recordIds[i], clusterLabel(rep), clusterSize.get(rep)];
      rows.push(multi ? [names[store.sources[i] as number], ...row] : row);
    }
    writeCsv(opts.out, columns, rows);
  }
  if (opts.pairs) {
    const cmpNames = result.scorer.comparisons.map((c) => c.name);
    const columns = [
      ...(multi ? ['left_source'] : []),
      'left_id',
      ...(multi ? ['right_source'] : []),
      'right_id',
      'match_weight',
      'match_probability',
      'decision',
      'same_cluster',
      'rules',
      ...cmpNames.flatMap((n) => [`${n}_level`, `${n}_weight`]),
    ];
    const rows: unknown[][] = [];
    for (let p = 0; p < result.pairs.length; p++) {
      if (result.decisions[p] === 'distinct') continue;
      const a = result.pairs.left[p] as number;
      const b = result.pairs.right[p] as number;
      const e = explainPair(result.scorer, a, b);
      rows.push([
        ...(multi ? [names[store.sources[a] as number]] : []),
        recordIds[a],
        ...(multi ? [names[store.sources[b] as number]] : []),
        recordIds[b],
        e.matchWeight,
        e.probability,
        e.decision,
        clustering.clusterOf[a] === clustering.clusterOf[b],
        e.rules.join('; '),
        ...e.steps.flatMap((s) => [s.label, s.matchWeight + s.tfAdjustment]),
      ]);
    }
    writeCsv(opts.pairs, columns, rows);
  }
  const timings = { read: readMs, ...result.timings, write: performance.now() - t1 };
  return {
    records: store.size,
    candidatePairs: result.pairs.length,
    matchPairs: result.decisions.filter((d) => d === 'match').length,
    clusters: clusterSize.size,
    timings,
    result,
  };
}

/** File base names, made unique ("a.csv", "a.csv#2") so the source column is unambiguous. */
function uniqueSourceNames(files: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return files.map((f) => {
    const base = path.basename(f);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

export function registerDedupeCommand(program: Command): void {
  program
    .command('dedupe')
    .description('Find duplicate records in CSV files (or link two files) without a database')
    .requiredOption('--in <file>', 'input CSV (repeat to link several files)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--config <model.yaml>', 'matching model (inferred from the columns and trained when absent)')
    .option('--out <clusters.csv>', 'one row per input record with its cluster id')
    .option('--pairs <pairs.csv>', 'scored pairs (match and review) with one level and weight column per comparison')
    .option('--id-column <column>', 'column holding record ids (row numbers when absent)')
    .option('--link-only', 'with several --in files, compare records only across files')
    .option('--print-config', 'print the (inferred and) trained model as YAML')
    .option('--save-config <model.yaml>', 'write the (inferred and) trained model as YAML')
    .action((o: { in: string[]; config?: string; out?: string; pairs?: string; idColumn?: string; linkOnly?: boolean; printConfig?: boolean; saveConfig?: string }) => {
      if (!o.out && !o.pairs && !o.printConfig && !o.saveConfig) {
        throw new Error('nothing to write: give --out clusters.csv, --pairs pairs.csv or --print-config');
      }
      const summary = runDedupeCommand(o);
      if (!o.printConfig) {
        process.stderr.write(
          `${summary.records} records, ${summary.candidatePairs} pairs compared, ${summary.matchPairs} matches, ${summary.clusters} clusters\n`,
        );
      }
    });
}

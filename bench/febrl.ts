/**
 * FEBRL benchmark: zero-config and hand-configured models on dataset3 (dedupe) and dataset4a+4b (link only).
 * Each case runs in a fresh child process (so wall time includes start-up, and peak RSS is the case's own):
 * reading CSV, inference, training, blocking, scoring, clustering and writing clusters.csv.
 *
 *   npx tsx bench/febrl.ts            all four cases, a compact table
 *   npx tsx bench/febrl.ts --json     the same as JSON lines
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDedupeCommand } from '../src/cli/commands/dedupe.js';
import { febrlEntity, pairwiseMetrics } from './lib/pairwise-metrics.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(repoRoot, '../shared/benchmarks/febrl');

interface Case {
  name: string;
  files: string[];
  config?: string;
  linkOnly: boolean;
}

const CASES: Case[] = [
  { name: 'dataset3 dedupe, zero-config', files: ['dataset3.csv'], linkOnly: false },
  { name: 'dataset3 dedupe, febrl.yaml', files: ['dataset3.csv'], config: 'mappings/matching/febrl.yaml', linkOnly: false },
  { name: 'dataset4a+4b link, zero-config', files: ['dataset4a.csv', 'dataset4b.csv'], linkOnly: true },
  { name: 'dataset4a+4b link, febrl.yaml', files: ['dataset4a.csv', 'dataset4b.csv'], config: 'mappings/matching/febrl.yaml', linkOnly: true },
];

interface CaseResult {
  name: string;
  records: number;
  candidatePairs: number;
  precision: number;
  recall: number;
  f1: number;
  /** In-process time from reading CSV to written output. */
  pipelineMs: number;
  /** Wall time of the whole child process (start-up included), filled by the parent. */
  processMs?: number;
  recordsPerSecond: number;
  peakRssMb: number;
  timings: Record<string, number>;
}

function runCase(c: Case): CaseResult {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'febrl-'));
  try {
    const t0 = performance.now();
    const summary = runDedupeCommand({
      in: c.files.map((f) => path.join(dataDir, f)),
      config: c.config ? path.join(repoRoot, c.config) : undefined,
      out: path.join(tmp, 'clusters.csv'),
      linkOnly: c.linkOnly,
      write: () => {},
    });
    const ms = performance.now() - t0;
    const { result } = summary;
    const clusters = Array.from(result.clustering.clusterOf, String);
    const entities = result.recordIds.map(febrlEntity);
    const m = pairwiseMetrics(clusters, entities, c.linkOnly ? result.store.sources : undefined);
    return {
      name: c.name,
      records: summary.records,
      candidatePairs: summary.candidatePairs,
      precision: m.precision,
      recall: m.recall,
      f1: m.f1,
      pipelineMs: ms,
      recordsPerSecond: summary.records / (ms / 1000),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      timings: summary.timings,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function main(): void {
  const argv = process.argv.slice(2);
  const caseArg = argv.indexOf('--case');
  if (caseArg >= 0) {
    const c = CASES[Number(argv[caseArg + 1])] as Case;
    process.stdout.write(`${JSON.stringify(runCase(c))}\n`);
    return;
  }
  const json = argv.includes('--json');
  const self = fileURLToPath(import.meta.url);
  const results: CaseResult[] = [];
  CASES.forEach((c, i) => {
    const t0 = performance.now();
    const child = spawnSync(process.execPath, [...process.execArgv, self, '--case', String(i)], { encoding: 'utf8', cwd: repoRoot });
    const wall = performance.now() - t0;
    if (child.status !== 0) {
      process.stderr.write(`${c.name} failed:\n${child.stderr}\n`);
      process.exitCode = 1;
      return;
    }
    const r = JSON.parse(child.stdout.trim().split('\n').pop() as string) as CaseResult;
    r.processMs = wall;
    results.push(r);
    if (json) process.stdout.write(`${JSON.stringify(r)}\n`);
  });
  if (json) return;
  const header = ['case', 'records', 'pairs', 'precision', 'recall', 'F1', 'pipeline ms', 'process ms', 'records/s', 'peak RSS MB'];
  const rows = results.map((r) => [
    r.name,
    String(r.records),
    String(r.candidatePairs),
    r.precision.toFixed(4),
    r.recall.toFixed(4),
    r.f1.toFixed(4),
    r.pipelineMs.toFixed(0),
    (r.processMs ?? 0).toFixed(0),
    r.recordsPerSecond.toFixed(0),
    r.peakRssMb.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log('\nstage timings (ms):');
  for (const r of results) {
    console.log(`  ${r.name}: ${Object.entries(r.timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
  }
}

main();

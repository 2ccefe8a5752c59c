/**
 * Batch dedupe at scale: the generator's three physician sources (Veeva CRM, NPPES, Xponent-style Rx) read,
 * projected onto mappings/matching/physician.yaml's fields and deduplicated in one process (blocking, comparisons,
 * scoring, clustering; with --train also unsupervised training), then pairwise precision / recall / F1 against the
 * generator's truth (physicians only).
 *
 * "1,000,000 records" means one million source records across the three sources (one per Veeva person account,
 * per NPPES individual, per distinct Xponent prescriber), which the generator produces from about 408,000
 * physicians (coverage 0.85 + 0.9 + 0.7 = 2.45 records per physician).
 *
 *   npx tsx bench/scale-dedupe.ts                          # 1,000,000 records, seed 42 (generates ~25 s first)
 *   npx tsx bench/scale-dedupe.ts --records 100000
 *   npx tsx bench/scale-dedupe.ts --physicians 20000 --seed 7
 *   npx tsx bench/scale-dedupe.ts --dir /tmp/cw/r1m        # reuse generated files (writes them there if absent)
 *   npx tsx bench/scale-dedupe.ts --train                  # re-estimate m/u/prior (EM) instead of shipped values
 *   npx tsx bench/scale-dedupe.ts --config my-model.yaml   # another model (default mappings/matching/physician.yaml)
 *   npx tsx bench/scale-dedupe.ts --json                   # one JSON line
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGenerate } from '../src/cli/commands/generate.js';
import { dedupeRecords } from '../src/matching/dedupe.js';
import { loadModel } from '../src/matching/model-schema.js';
import { pairwiseMetrics } from './lib/pairwise-metrics.js';
import { readPhysicianSources, readTruth } from './lib/physician-sources.js';

const RECORDS_PER_PHYSICIAN = 2.45;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const seed = Number(arg('--seed') ?? 42);
const physicians = arg('--physicians') !== undefined
  ? Number(arg('--physicians'))
  : Math.round(Number(arg('--records') ?? 1_000_000) / RECORDS_PER_PHYSICIAN);
const train = args.includes('--train');
const json = args.includes('--json');
const log = (s: string): void => {
  if (!json) console.log(s);
};

let dir = arg('--dir');
let cleanup: string | undefined;
let generateMs = 0;
if (!dir || !existsSync(path.join(dir, 'truth.csv'))) {
  if (!dir) dir = cleanup = mkdtempSync(path.join(os.tmpdir(), 'crosswalk-scale-'));
  const t = performance.now();
  await runGenerate({ physicians, sources: ['veeva-crm', 'nppes', 'xponent'], corruption: 0.3, seed, weeks: 1, out: dir });
  generateMs = performance.now() - t;
  log(`generated ${physicians} physicians in ${(generateMs / 1000).toFixed(1)} s -> ${dir}`);
}

try {
  const model = loadModel(arg('--config') ?? path.join(repoRoot, 'mappings/matching/physician.yaml'));
  const t0 = performance.now();
  const sources = readPhysicianSources({ dir, repoRoot });
  const readMs = performance.now() - t0;
  const records = sources.reduce((n, s) => n + s.records.length, 0);
  log(`read + project: ${records} records (${sources.map((s) => `${s.name} ${s.records.length}`).join(', ')}) in ${(readMs / 1000).toFixed(1)} s`);

  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = dedupeRecords({ model, sources, train: train ? true : 'auto' });
  const dedupeMs = performance.now() - t1;
  const cpu = process.cpuUsage(cpu0);
  const dedupeCpuMs = (cpu.user + cpu.system) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  // Quality against truth: cluster of each record vs its true entity.
  const truth = readTruth(path.join(dir, 'truth.csv'));
  const { store, clustering } = result;
  const clusterIds: string[] = [];
  const entityIds: string[] = [];
  let unknown = 0;
  for (let i = 0; i < store.size; i++) {
    const entity = truth.get(store.ids[i] as string);
    if (entity === undefined) {
      unknown++;
      continue;
    }
    clusterIds.push(String(clustering.clusterOf[i]));
    entityIds.push(entity);
  }
  const q = pairwiseMetrics(clusterIds, entityIds);
  const clusters = new Set(clustering.clusterOf).size;
  const summary = {
    physicians: arg('--dir') && generateMs === 0 ? undefined : physicians,
    records,
    candidatePairs: result.pairs.length,
    matchPairs: result.decisions.filter((d) => d === 'match').length,
    clusters,
    precision: q.precision,
    recall: q.recall,
    f1: q.f1,
    truePairs: q.truePairs,
    predictedPairs: q.predictedPairs,
    readProjectMs: Math.round(readMs),
    dedupeMs: Math.round(dedupeMs),
    /** CPU time of the dedupe (user + system, all threads incl. GC): less sensitive than wall time to a busy machine. */
    dedupeCpuMs: Math.round(dedupeCpuMs),
    recordsPerSecond: Math.round(records / (dedupeMs / 1000)),
    peakRssMb: Math.round(peakRssMb),
    trained: train,
    timings: Object.fromEntries(Object.entries(result.timings).map(([k, v]) => [k, Math.round(v)])),
    blocking: result.blocking,
  };
  if (json) console.log(JSON.stringify(summary));
  else {
    if (unknown > 0) log(`warning: ${unknown} records not in truth.csv`);
    log(`dedupe: ${(dedupeMs / 1000).toFixed(1)} s wall, ${(dedupeCpuMs / 1000).toFixed(1)} s CPU (${summary.recordsPerSecond} records/s), peak RSS ${summary.peakRssMb} MB`);
    for (const w of result.warnings) log(`warning: ${w}`);
    log(`  stages ms: ${Object.entries(summary.timings).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    log(`candidate pairs compared: ${summary.candidatePairs}, match pairs ${summary.matchPairs}, clusters ${clusters}`);
    for (const b of result.blocking) {
      log(`  ${b.rule}: ${b.pairs} pairs, ${b.distinctKeys} keys${b.skippedBlocks ? `, ${b.skippedBlocks} over-common keys skipped` : ''}`);
    }
    log(`pairwise vs truth (hcp): precision ${q.precision.toFixed(4)}  recall ${q.recall.toFixed(4)}  F1 ${q.f1.toFixed(4)}  (true pairs ${q.truePairs}, predicted ${q.predictedPairs})`);
  }
} finally {
  if (cleanup) rmSync(cleanup, { recursive: true, force: true });
}

/**
 * Generator throughput: physicians per second and peak RSS for writing all three sources and truth.csv.
 *
 *   npx tsx bench/generate.ts [physicians=1000000] [workers=0] [outDir=<tmp, deleted afterwards>]
 *
 * Prints figures; asserts nothing (timings belong in benchmarks, not tests).
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePopulation } from '../src/generate/population.js';
import { SOURCE_NAMES } from '../src/generate/sources/common.js';
import { writeSources } from '../src/generate/write.js';

const physicians = Number(process.argv[2] ?? 1_000_000);
const workers = Number(process.argv[3] ?? 0);
const keep = process.argv[4] !== undefined;
const outDir = process.argv[4] ?? (await mkdtemp(join(tmpdir(), 'crosswalk-generate-bench-')));

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

const started = performance.now();
const population = generatePopulation({ seed: 42, physicians });
const populationMs = performance.now() - started;
const summary = await writeSources({
  population,
  outDir,
  sources: SOURCE_NAMES.map((source) => ({ source, options: { corruptionRate: 0.3 } })),
  workers,
});
const totalMs = performance.now() - started;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

let bytes = 0;
for (const name of await readdir(outDir)) bytes += (await stat(join(outDir, name))).size;
const rows = summary.files.reduce((sum, f) => sum + f.rows, 0);
const mb = (n: number): string => (n / 1024 / 1024).toFixed(0);

const cpu = process.cpuUsage();
console.log(`generate: ${physicians} physicians, ${population.organizationCount} organizations, sources ${SOURCE_NAMES.join(', ')}, ${workers} workers`);
console.log(`  population setup (pools, organizations): ${populationMs.toFixed(0)} ms`);
for (const f of summary.files) console.log(`  ${f.source}: ${f.rows} rows, ${f.records} records`);
console.log(`  truth.csv: ${summary.truthRows} records`);
console.log(`  total: ${(totalMs / 1000).toFixed(1)} s, ${Math.round(physicians / (totalMs / 1000))} physicians/s, ${Math.round(rows / (totalMs / 1000))} rows/s`);
console.log(`  CPU (all threads): ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
console.log(`  written: ${mb(bytes)} MB, peak RSS: ${mb(peakRss)} MB`);

if (!keep) await rm(outDir, { recursive: true, force: true });

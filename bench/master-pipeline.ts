/**
 * End to end through the master: source files -> sync (map, store, normalize) -> master resolution (matching and
 * survivorship) on a fresh store, then pairwise precision / recall / F1 of the physician and organization
 * masters against the generator's ground truth. Runs the stages in one process (no queues) so the figures are
 * the stages' own cost.
 *
 *   npx tsx bench/master-pipeline.ts                    # the demo files in examples/demo
 *   npx tsx bench/master-pipeline.ts --physicians 20000 # generated data, 3 sources
 *   npx tsx bench/master-pipeline.ts --physicians 400 --corruption 0.6   # dirtier sources
 *   npx tsx bench/master-pipeline.ts --postgres         # on the server at TEST_DATABASE_URL instead of PGlite
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { pino } from 'pino';
import { runGenerate } from '../src/cli/commands/generate.js';
import { loadMappingCatalog } from '../src/pipeline/load-mapping-catalog.js';
import { loadMasterRules, resolveMasters } from '../src/pipeline/resolve-masters.js';
import { syncStream } from '../src/pipeline/sync-stream.js';
import { openDatabase, quoteIdent } from '../src/store/database.js';
import { migrate } from '../src/store/migrate.js';
import { createRun } from '../src/store/sync-run.repository.js';
import { loadWorkspace } from '../src/workspace/workspace.js';
import { pairwiseMetrics } from './lib/pairwise-metrics.js';

const args = process.argv.slice(2);
const physicians = Number(args[args.indexOf('--physicians') + 1]) || 0;
const usePostgres = args.includes('--postgres');
const corruption = Number(args[args.indexOf('--corruption') + 1]) || 0.3;
const logger = pino({ level: 'silent' });
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

const tmp = mkdtempSync(path.join(tmpdir(), 'crosswalk-bench-'));
const demo = path.resolve('examples/demo');
let sourcesDir = path.join(demo, 'sources');
let truthFile = path.join(demo, 'truth', 'truth.csv');
if (physicians > 0) {
  sourcesDir = path.join(tmp, 'sources');
  await runGenerate({ physicians, sources: ['veeva-crm', 'nppes', 'xponent'], corruption, seed: 7, weeks: 2, out: sourcesDir, truthOut: path.join(tmp, 'truth') });
  truthFile = path.join(tmp, 'truth', 'truth.csv');
}

// The demo workspace, with its file paths pointed at the chosen sources.
const workspace = loadWorkspace(demo);
for (const c of workspace.connectors) {
  const config = c.config as { path?: string; seedFrom?: string; folder?: string };
  // An inbox connector moves what it reads: work on a copy so the demo's own inbox stays as it is.
  if (config.folder) {
    const copy = path.join(tmp, 'inboxes', c.id);
    cpSync(path.resolve(demo, config.folder), copy, { recursive: true });
    config.folder = copy;
  }
  if (config.path) config.path = path.join(sourcesDir, path.basename(config.path));
  if (config.seedFrom) config.seedFrom = path.join(sourcesDir, path.basename(config.seedFrom));
}
const mappings = loadMappingCatalog(workspace.mappingsDir);
const rules = loadMasterRules(workspace.matchingDir, workspace.survivorshipDir);
const schema = `bench_${Date.now()}`;
const db = usePostgres
  ? await openDatabase({ url: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', schema })
  : await openDatabase({ dataDir: path.join(tmp, 'pglite') });
await migrate(db);

const rows: Array<Record<string, string | number>> = [];
const t0 = performance.now();
let records = 0;
for (const c of workspace.connectors) {
  for (const s of c.streams) {
    const started = performance.now();
    const run = await createRun(db, { connector: c.id, stream: s.name, trigger: 'bench' });
    const counts = await syncStream({ db, workspace, mappings, logger }, { runId: run.id, connectorId: c.id, stream: s.name, batchSize: 2000 });
    const seconds = (performance.now() - started) / 1000;
    records += counts.read;
    rows.push({ stage: `sync ${c.id}.${s.name}`, records: counts.read, seconds: seconds.toFixed(2), 'records/s': Math.round(counts.read / seconds) });
  }
}
const resolveOnly = new Set(workspace.connectors.filter((c) => c.masters === 'resolve').map((c) => c.id));
for (const type of ['hco', 'hcp'] as const) {
  const started = performance.now();
  const report = await resolveMasters(db, rules, type, { resolveOnlyConnectors: resolveOnly });
  const seconds = (performance.now() - started) / 1000;
  rows.push({ stage: `resolve ${type}`, records: report.members, seconds: seconds.toFixed(2), 'records/s': Math.round(report.members / seconds) });
}
const total = (performance.now() - t0) / 1000;

// Quality: every linked draft's master against the truth entity of its source record.
const truth = new Map<string, string>();
for (const t of parse(readFileSync(truthFile), { columns: true }) as Array<{ source: string; source_id: string; entity_id: string }>) truth.set(`${t.source}\u0000${t.source_id}`, t.entity_id);
const { rows: links } = await db.query<{ connector: string; source_id: string; master_id: string; entity_type: string }>(
  `SELECT s.connector, s.source_id, c.master_id, m.entity_type FROM crosswalk c JOIN source_record s ON s.id = c.source_record_id JOIN master_entity m ON m.id = c.master_id`,
);
const quality: Array<Record<string, string | number>> = [];
for (const type of ['hcp', 'hco']) {
  const clusters: string[] = [];
  const entities: string[] = [];
  for (const l of links.filter((x) => x.entity_type === type)) {
    // An Rx row's id is PRESCRIBER_ID:PRODUCT:PERIOD; truth is kept per prescriber.
    const id = l.connector === 'xponent' ? l.source_id.split(':')[0]! : l.source_id;
    // The simulated CRM org is filled from the Veeva export: its accounts keep the export's ids.
    const source = l.connector === 'salesforce-veeva' ? 'veeva-crm' : l.connector;
    const entity = truth.get(`${source}\u0000${id}`);
    if (!entity) continue;
    clusters.push(l.master_id);
    entities.push(entity);
  }
  const m = pairwiseMetrics(clusters, entities);
  quality.push({ entity: type, 'linked drafts': clusters.length, 'true pairs': m.truePairs, precision: m.precision.toFixed(4), recall: m.recall.toFixed(4), F1: m.f1.toFixed(4) });
}
const { rows: reviews } = await db.query<{ n: number }>(`SELECT count(*) AS n FROM review_item WHERE status = 'pending'`);
clearInterval(sampler);

console.log(`master pipeline on ${physicians > 0 ? `${physicians} generated physicians` : 'the demo files'} (${db.kind})`);
console.table(rows);
console.table(quality);
console.log(`total ${total.toFixed(2)} s for ${records} source records (${Math.round(records / total)} records/s), peak RSS ${Math.round(peakRss / 1048576)} MB, ${reviews[0]!.n} pairs for review`);
if (usePostgres) await db.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
await db.close();
rmSync(tmp, { recursive: true, force: true });

/**
 * The cost of the queues: N synthetic physicians (a Veeva CRM export from the generator) through extract, map,
 * store, normalize, match and survivorship, three times on fresh stores:
 *   - in one process, the stages called directly: syncStream, then resolveMasters once (as bench/master-pipeline.ts);
 *   - in one process, resolveMasters after every stored batch (what the queues do, without them);
 *   - on the queues: a `crosswalk worker` child process runs the sync and match jobs; this process only queues
 *     the run and waits, as `crosswalk sync` does.
 * Prints records/s, peak RSS of each process, and the overhead of the queues (target: at most 15 %).
 *
 *   npx tsx bench/sync-queues.ts                      # 200,000 physicians, store on TEST_DATABASE_URL, Redis queues
 *   npx tsx bench/sync-queues.ts --records 1000000    # the figure (generation alone takes a while)
 *   npx tsx bench/sync-queues.ts --queue-backend postgres   # BullMQ's PostgreSQL backend instead of Redis
 *   npx tsx bench/sync-queues.ts --modes per-batch,queues   # only some of the runs (after-sync, per-batch, queues)
 * The one-process runs share this process, so the peak RSS of the second is the larger of the two.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { runGenerate } from '../src/cli/commands/generate.js';
import { loadSettings } from '../src/config.js';
import { openHub } from '../src/hub.js';
import { startEngine } from '../src/pipeline/engine.js';
import { loadMappingCatalog } from '../src/pipeline/load-mapping-catalog.js';
import { loadMasterRules, resolveMasters } from '../src/pipeline/resolve-masters.js';
import { syncStream } from '../src/pipeline/sync-stream.js';
import { openDatabase, quoteIdent } from '../src/store/database.js';
import { migrate } from '../src/store/migrate.js';
import { createRun } from '../src/store/sync-run.repository.js';
import { loadWorkspace } from '../src/workspace/workspace.js';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const records = Number(option('--records') ?? 200_000);
const queueBackend = (option('--queue-backend') ?? 'redis') as 'redis' | 'postgres';
const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const batchSize = 1000;
// Which runs to make: after-sync, per-batch, queues (all three by default; the overhead needs queues and one other).
const modes = new Set((option('--modes') ?? 'after-sync,per-batch,queues').split(','));
const root = path.resolve(import.meta.dirname, '..');
const logger = pino({ level: 'silent' });

const tmp = mkdtempSync(path.join(tmpdir(), 'crosswalk-bench-queues-'));
const generated = performance.now();
await runGenerate({ physicians: records, sources: ['veeva-crm'], corruption: 0.3, seed: 11, weeks: 1, out: path.join(tmp, 'sources'), truthOut: path.join(tmp, 'truth') });
const file = path.join(tmp, 'sources', 'veeva-crm.accounts.csv');
console.log(`generated ${records} physicians in ${((performance.now() - generated) / 1000).toFixed(1)} s -> ${file}`);
writeFileSync(
  path.join(tmp, 'crosswalk.yaml'),
  `name: bench\nmappings: ${path.join(root, 'mappings/sources')}\nconnectors:\n  - id: veeva-crm\n    type: delimited-file\n    config: { path: ${file}, stream: accounts }\n`,
);

type Row = { mode: string; records: number; 'sync s': string; 'match s': string; 'total s': string; 'records/s': number; 'peak RSS (MB)': string };
const rows: Row[] = [];
// Each run's figures as soon as it ends: a run at a million records takes long enough to be worth reading early.
const report = (row: Row) => {
  rows.push(row);
  console.log(JSON.stringify(row));
};

// --- one process: the stages called directly --------------------------------------------------------------
// Twice: matching once after the whole sync, and matching after every stored batch (what the queues do, minus the
// queues).
for (const perBatch of [false, true].filter((b) => modes.has(b ? 'per-batch' : 'after-sync'))) {
  const schema = await freshSchema();
  const db = await openDatabase({ url: databaseUrl, schema });
  await migrate(db);
  const workspace = loadWorkspace(tmp);
  const mappings = loadMappingCatalog(workspace.mappingsDir);
  const rules = loadMasterRules(workspace.matchingDir, workspace.survivorshipDir);
  const rssBefore = process.resourceUsage().maxRSS;
  const resolveAll = async () => {
    for (const type of ['hco', 'hcp'] as const) await resolveMasters(db, rules, type, {});
  };
  const t0 = performance.now();
  const run = await createRun(db, { connector: 'veeva-crm', stream: 'accounts', trigger: 'bench' });
  const counts = await syncStream(
    { db, workspace, mappings, logger },
    { runId: run.id, connectorId: 'veeva-crm', stream: 'accounts', batchSize, onBatch: perBatch ? resolveAll : undefined },
  );
  const t1 = performance.now();
  await resolveAll();
  const t2 = performance.now();
  report({
    mode: perBatch ? 'one process, match per batch' : 'one process, match after sync',
    records: counts.read,
    'sync s': ((t1 - t0) / 1000).toFixed(1),
    'match s': `${((t2 - t1) / 1000).toFixed(1)}${perBatch ? ' after sync' : ''}`,
    'total s': ((t2 - t0) / 1000).toFixed(1),
    'records/s': Math.round(counts.read / ((t2 - t0) / 1000)),
    'peak RSS (MB)': `${Math.round(Math.max(rssBefore, process.resourceUsage().maxRSS) / 1024)}`,
  });
  await db.close();
  await dropSchema(schema);
}

// --- on the queues: a worker process does the work -----------------------------------------------------------
if (modes.has('queues')) {
  const schema = await freshSchema();
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  const env = {
    ...process.env,
    DATABASE_URL: url.toString(),
    CROSSWALK_WORKSPACE: tmp,
    CROSSWALK_QUEUE_PREFIX: `cw-bench-${Date.now()}`,
    QUEUE_BACKEND: queueBackend,
    CROSSWALK_SYNC_BATCH_SIZE: String(batchSize),
    LOG_LEVEL: 'warn',
  };
  const hub = await openHub(loadSettings(env), { logger });
  const engine = await startEngine(hub, { workers: false });
  const worker = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'worker', '--concurrency', '1'], { cwd: root, env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  worker.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  while (!out.includes('worker started')) {
    if (worker.exitCode !== null) throw new Error(`worker exited: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const t0 = performance.now();
  const { run } = await engine.sync.request({ connectorId: 'veeva-crm', stream: 'accounts', trigger: 'bench' });
  const done = await engine.sync.waitForRun(run.id, { pollMs: 100 });
  const t1 = performance.now();
  await engine.match.waitUntilIdle({ pollMs: 100 });
  const t2 = performance.now();
  const workerPeak = peakRssOf(worker.pid!);
  // How the match stage ran: jobs, requests folded into them, and whether each read the whole master or only what changed.
  const matchJobs = await engine.match.queue.getCompleted(0, 10_000);
  const modes = matchJobs.flatMap((j) => (j.returnvalue as { reports?: Array<{ mode: string }> } | undefined)?.reports ?? []).map((r) => r.mode);
  console.log(
    `match stage: ${matchJobs.length} job(s) kept of the last 200, covering ${matchJobs.reduce((n, j) => n + ((j.returnvalue as { covered?: number } | undefined)?.covered ?? 0), 0)} request(s); ` +
      `resolutions: ${modes.filter((m) => m === 'incremental').length} incremental, ${modes.filter((m) => m === 'full').length} full`,
  );
  worker.kill('SIGTERM');
  await once(worker, 'exit');
  if (done.status !== 'succeeded') console.log(`run failed: ${JSON.stringify(done.error)}`);
  report({
    mode: `queues (${queueBackend})`,
    records: done.counts.read,
    'sync s': ((t1 - t0) / 1000).toFixed(1),
    'match s': `${((t2 - t1) / 1000).toFixed(1)} after sync`,
    'total s': ((t2 - t0) / 1000).toFixed(1),
    'records/s': Math.round(done.counts.read / ((t2 - t0) / 1000)),
    'peak RSS (MB)': `worker ${workerPeak}, queuing process ${Math.round(process.resourceUsage().maxRSS / 1024)}`,
  });
  await engine.sync.queue.obliterate({ force: true }).catch(() => undefined);
  await engine.match.queue.obliterate({ force: true }).catch(() => undefined);
  await engine.close();
  await hub.close();
  await dropSchema(schema);
}

console.log(`\n${records} physicians, Veeva CRM export, store on PostgreSQL (${databaseUrl}), batches of ${batchSize}`);
console.table(rows);
const queued = rows.find((r) => r.mode.startsWith('queues'));
const direct = rows.filter((r) => r.mode.startsWith('one process')).sort((a, b) => Number(a['total s']) - Number(b['total s']))[0];
if (queued && direct) {
  // The comparison is against the faster of the ways of running the same stages in one process.
  const overhead = (Number(queued['total s']) / Number(direct['total s']) - 1) * 100;
  console.log(`overhead of the queues against the faster one-process run (${direct.mode}): ${overhead.toFixed(1)} % of wall time (target <= 15 %)`);
}
rmSync(tmp, { recursive: true, force: true });

function peakRssOf(pid: number): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return `${Math.round(kb / 1024)}`;
  } catch {
    return '?';
  }
}

async function freshSchema(): Promise<string> {
  const schema = `bench_q_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  await c.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  await c.end();
  return schema;
}

async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  await c.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
  await c.end();
}

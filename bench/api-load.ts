/**
 * API latency on a large master (issue #7's target: p99 at most 50 ms at 1,000,000 masters under 50 concurrent
 * clients): master search (exact NPI, name prefix, full name, a misspelt name, a state filter) and the golden
 * record page, each under `--connections` concurrent clients (wrk from Debian's package when installed, else
 * autocannon; `--client wrk|autocannon` chooses; closed loop: every client sends its next request when the last one
 * is answered), p50 / p90 / p99, and how long the API's event loop was held up at a time.
 *
 * Run it with the young generation `crosswalk` gives its processes (bin/crosswalk.js):
 *
 *   NODE_OPTIONS=--max-semi-space-size=64 npx tsx bench/api-load.ts --postgres --masters 1000000   # the issue's size, server at TEST_DATABASE_URL
 *   TEST_DATABASE_URL='postgres://postgres@localhost/test?host=/var/run/postgresql' ...           # the same server over its Unix socket
 *   npx tsx bench/api-load.ts --masters 1000000              # the same on embedded PGlite (a data directory in /tmp)
 *   npx tsx bench/api-load.ts                                # 50,000 masters on PGlite: a quick run
 *   ... --reload                                             # rebuild the store instead of reusing it
 *   ... --duration 10 --warmup 3 --connections 50 --only golden,npi
 *   ... --api-processes 2                                    # the API in two processes on one port (`crosswalk api --processes`)
 *
 * The store is built once and kept between runs (PostgreSQL: schema `bench_api_<masters>`; PGlite:
 * `$TMPDIR/crosswalk-bench-api-<masters>`): 2,000 generated physicians through the real pipeline, then cloned in
 * SQL up to the size asked (bench/lib/bulk-master.ts: new ids, names from the generator's pools, valid NPIs, own
 * source records and lineage). 1,000,000 masters took 12-24 minutes to build here.
 *
 * The API runs in this process exactly as `crosswalk start` builds it (request logging off, rate limit off); the
 * load comes from a child process (bench/lib/load-client.ts), so the load tool does not share the server's event
 * loop; wrk takes a few per cent of a core where autocannon takes 12-30 %. On a 2-core machine the client, the
 * server and PostgreSQL still share the cores: the figures include that contention. Each scenario gets a warm-up first. Needs Redis (the API's queue dashboard and health probe).
 *
 * Last measured (PostgreSQL 15 with shared_buffers = 4GB on its Unix socket, 1,000,868 masters, 50 clients, wrk, a
 * quiet machine; p50 / p99 ms, five runs): exact NPI 7 / 15-17, name prefix 17-18 / 28-40, full name 23-26 / 37-46,
 * misspelt name 22-24 / 37-41, state filter 12-14 / 22-26, golden record 23-25 / 39-48. Over TCP on loopback (the
 * default TEST_DATABASE_URL) the kernel adds tails: full names, misspelt names and the golden record reached 51-73 in
 * some runs. README.md ("API and console") has the table, PGlite's figures and the history.
 *
 * Where the time goes, per request: search asks the API's in-memory index (src/api/search: loaded when the API is
 * built, timed below as "search index ready") which masters answer, then reads that page by id in one prepared
 * statement that also checks the index has seen every change (PostgreSQL writes each hit's JSON); the API process is
 * at 68-86 % of a core. The golden record page is one prepared statement, about 0.45 ms of PostgreSQL per answer
 * (members' payloads and drafts as JSON text) and 0.36 ms of the API (explaining each attribute). The latency tails beyond what the API's event loop
 * shows ("loop stall") are the kernel's: TCP retransmissions and zero-window stalls on loopback (`nstat` before and
 * after a run). Profile the server with `node --cpu-prof --import tsx bench/api-load.ts ...` (the load client is
 * another process; the profiler samples wall time, so a write to a socket that hands the core to PostgreSQL looks
 * long), its collections with `--trace-gc-nvp` (a minor collection that promotes megabytes is a sign of objects V8
 * keeps, such as ones built with object spread), and the statements with `EXPLAIN (ANALYZE, BUFFERS)` in the schema
 * `bench_api_<masters>`.
 */
import { spawn, spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { startApiProcesses, type ApiProcesses } from '../src/api/processes.js';
import { createUser, issueApiKey } from '../src/auth/user.repository.js';
import { openDatabase, quoteIdent, type Database } from '../src/store/database.js';
import { migrate } from '../src/store/migrate.js';
import { serveBenchApi, type BenchApi } from './lib/api-server.js';
import { buildBenchStore, readBenchStoreInfo } from './lib/bulk-master.js';
import type { LoadPlan, LoadTool, ScenarioResult } from './lib/load-client.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const masters = option('--masters', 50_000);
const templatePhysicians = option('--templates', 2_000);
const duration = option('--duration', 10);
const warmup = option('--warmup', 3);
const connections = option('--connections', 50);
const usePostgres = args.includes('--postgres');
const apiProcesses = option('--api-processes', 1);
const reload = args.includes('--reload');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : undefined;
// wrk (Debian's package) when it is installed: it takes a few per cent of a core where autocannon takes 12-30 %.
const wrkInstalled = spawnSync('wrk', ['--version']).error === undefined;
const tool: LoadTool = args.includes('--client') ? (args[args.indexOf('--client') + 1] as LoadTool) : wrkInstalled ? 'wrk' : 'autocannon';
if (tool !== 'wrk' && tool !== 'autocannon') throw new Error(`--client: "${tool}" is not wrk or autocannon`);
if (tool === 'wrk' && !wrkInstalled) throw new Error('--client wrk: wrk is not installed (apt-get install -y wrk)');
const logger = pino({ level: 'silent' });
const log = (line: string) => console.log(`[api-load] ${line}`);

const schema = `bench_api_${masters}`;
const pgliteDir = path.join(tmpdir(), `crosswalk-bench-api-${masters}`);
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function openStore(): Promise<Database> {
  if (usePostgres) {
    if (reload) {
      const admin = await openDatabase({ url: serverUrl });
      await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      await admin.close();
    }
    return openDatabase({ url: serverUrl, schema, maxConnections: 10 });
  }
  if (reload) rmSync(pgliteDir, { recursive: true, force: true });
  return openDatabase({ dataDir: pgliteDir });
}

let db = await openStore();
let info = await readBenchStoreInfo(db);
if (!info) {
  if (!reload) {
    // A store whose build did not finish: start over.
    await db.close();
    if (usePostgres) {
      const admin = await openDatabase({ url: serverUrl });
      await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      await admin.close();
    } else rmSync(pgliteDir, { recursive: true, force: true });
    db = await openStore();
  }
  log(`building ${masters} masters in ${usePostgres ? `schema ${schema} at ${serverUrl}` : pgliteDir}`);
  info = await buildBenchStore(db, { masters, templatePhysicians, log });
} else {
  log(`reusing ${info.masters} masters built ${info.builtAt} in ${info.buildSeconds} s (--reload rebuilds)`);
  // A store built before the latest migrations gets them, as the hub would give them at start.
  await migrate(db);
}

// Samples to query: real names (the first 4 letters as a prefix; "first last"; the last name misspelt), NPIs,
// states and master ids, spread over the whole store.
const { rows: sample } = await db.query<{ master_id: string; display_name: string; last_key: string | null; npi: string | null }>(
  `SELECT s.master_id, s.display_name, s.last_key, (SELECT min(i.value) FROM master_identifier i WHERE i.master_id = s.master_id AND i.type = 'npi') AS npi
     FROM master_search s WHERE s.active AND s.entity_type = 'hcp' AND s.display_name LIKE '%, %' ORDER BY md5(s.master_id) LIMIT 5000`,
);
const shuffle = <T>(list: T[]): T[] => list.map((v) => [Math.random(), v] as const).sort((a, b) => a[0] - b[0]).map(([, v]) => v);
const misspell = (name: string) => {
  const i = 1 + Math.floor(Math.random() * Math.max(1, name.length - 2));
  return name.slice(0, i) + name.slice(i + 1);
};
const scenarios: Array<{ id: string; name: string; paths: string[] }> = [
  { id: 'npi', name: 'search: exact NPI', paths: sample.filter((s) => s.npi).map((s) => `/api/masters?npi=${s.npi}`) },
  { id: 'prefix', name: 'search: name prefix (4 letters)', paths: sample.map((s) => `/api/masters?name=${encodeURIComponent(s.display_name.slice(0, 4))}&limit=25`) },
  { id: 'name', name: 'search: full name ("first last")', paths: sample.map((s) => `/api/masters?name=${encodeURIComponent(s.display_name.split(', ').reverse().join(' '))}&limit=25`) },
  {
    id: 'typo',
    name: 'search: misspelt last name + first name',
    paths: sample.filter((s) => (s.last_key ?? '').length >= 6).map((s) => {
      const [last, first] = s.display_name.split(', ');
      return `/api/masters?name=${encodeURIComponent(`${first!.split(' ')[0]} ${misspell(last!)}`)}&limit=25`;
    }),
  },
  { id: 'state', name: 'search: state filter', paths: sample.map(() => `/api/masters?state=${['CA', 'NY', 'TX', 'FL', 'MA', 'OH', 'WY', 'VT'][Math.floor(Math.random() * 8)]}&limit=25`) },
  { id: 'golden', name: 'golden record (lineage, members, history)', paths: sample.map((s) => `/api/masters/${s.master_id}`) },
].filter((s) => !only || only.includes(s.id));
for (const s of scenarios) s.paths = shuffle(s.paths);

const queuePrefix = `cw-bench-${randomBytes(4).toString('hex')}`;
const user = `bench-${randomBytes(3).toString('hex')}`;
await createUser(db, { name: user, role: 'viewer', actor: 'bench' });
const { key } = await issueApiKey(db, user, { actor: 'bench' });
const indexStarted = performance.now();
let served: BenchApi | undefined;
let processes: ApiProcesses | undefined;
if (apiProcesses === 1) served = await serveBenchApi(db, { queuePrefix, key, port: 0 });
else {
  if (!usePostgres) throw new Error('--api-processes: more than one API process needs --postgres (the embedded store opens in one process)');
  processes = await startApiProcesses({
    count: apiProcesses,
    entry: path.resolve('bench/lib/api-process.ts'),
    env: { CW_BENCH_DB_URL: serverUrl, CW_BENCH_SCHEMA: schema, CW_BENCH_QUEUE_PREFIX: queuePrefix, CW_BENCH_KEY: key },
    logger,
  });
}
const url = served?.url ?? processes!.url;
const fuzzy = ((await (await fetch(`${url}/api/summary`, { headers: { authorization: `Bearer ${key}` } })).json()) as { fuzzySearch: boolean }).fuzzySearch;
if (!/--max-semi-space-size/.test(process.env.NODE_OPTIONS ?? '')) log('NODE_OPTIONS has no --max-semi-space-size: the API runs with a smaller young generation than `crosswalk start` gives it');
const memory = process.memoryUsage();
log(
  `search index ready after ${((performance.now() - indexStarted) / 1000).toFixed(1)} s` +
    (served ? `; API process RSS ${Math.round(memory.rss / 2 ** 20)} MB, heap ${Math.round(memory.heapUsed / 2 ** 20)} MB` : ` in each of ${apiProcesses} API processes`),
);

/** utime + stime of a process, in clock ticks of 10 ms (0 once it is gone). */
const processTicks = (pid: number, children = false) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
  } catch {
    return 0;
  }
};
// The API's CPU: this process, and each forked API process.
const serverTicks = () => [process.pid, ...Object.values(cluster.workers ?? {}).map((w) => w!.process.pid!)].reduce((sum, pid) => sum + processTicks(pid), 0);

// Busy and total jiffies of the whole machine, to show how much of the 2 cores the run had.
const machineTicks = () => {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = fields.map(Number);
  const idle = n[3]! + (n[4] ?? 0);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
};

const planFile = path.join(tmpdir(), `crosswalk-api-load-${process.pid}.json`);
const plan: LoadPlan = { url, key, connections, duration, warmup, tool, scenarios: scenarios.map(({ name, paths }) => ({ name, paths })) };
writeFileSync(planFile, JSON.stringify(plan));
const rows: Array<Record<string, string | number>> = [];
const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('bench/lib/load-client.ts'), planFile], { stdio: ['ignore', 'pipe', 'inherit'] });
// CPU time of the load client, with the wrk runs it waited for: what the load generator itself takes.
const clientTicks = () => processTicks(child.pid!, true);
// How long the API's event loop was held up at a time (garbage collection, a long synchronous step): in this process
// only, so not with --api-processes.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
let started = { server: serverTicks(), at: performance.now(), machine: machineTicks(), client: clientTicks() };
for await (const line of createInterface({ input: child.stdout! })) {
  const message = JSON.parse(line) as { start?: string; result?: ScenarioResult };
  if (message.start) {
    started = { server: serverTicks(), at: performance.now(), machine: machineTicks(), client: clientTicks() };
    loopDelay.reset();
    loopDelay.enable();
  }
  if (message.result) {
    const r = message.result;
    const wall = performance.now() - started.at;
    const machine = machineTicks();
    rows.push({
      scenario: r.scenario,
      requests: r.requests,
      'req/s': r.rps,
      'p50 ms': r.p50,
      'p90 ms': r.p90,
      'p99 ms': r.p99,
      'max ms': r.max,
      failed: r.failed,
      'server cpu': `${Math.round((((serverTicks() - started.server) * 10) / wall) * 100)} %`,
      'client cpu': `${Math.round((((clientTicks() - started.client) * 10) / wall) * 100)} %`,
      'machine busy': `${Math.round(((machine.busy - started.machine.busy) / Math.max(1, machine.total - started.machine.total)) * 100)} %`,
      ...(served ? { 'loop stall p99 / max ms': `${Math.round(loopDelay.percentile(99) / 1e6)} / ${Math.round(loopDelay.max / 1e6)}` } : {}),
    });
  }
}
rmSync(planFile, { force: true });
console.log(
  `API load on ${info.masters.toLocaleString('en-US')} masters (${info.sourceRecords.toLocaleString('en-US')} source records), ${db.kind === 'pglite' ? 'pglite (one session: every query is serialised)' : `postgres at ${db.location}`}, ` +
    `name search ${fuzzy ? 'fuzzy (pg_trgm)' : 'by prefix'}, ${connections} concurrent clients (${tool}), ${duration} s each after ${warmup} s of warm-up`,
);
console.table(rows);
await processes?.close();
if (served) {
  await served.engine.sync.queue.obliterate({ force: true }).catch(() => undefined);
  await served.engine.match.queue.obliterate({ force: true }).catch(() => undefined);
  await served.close();
}
await db.close();

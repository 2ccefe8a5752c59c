/**
 * API latency on a large master: master search (name prefix or fuzzy, NPI) and golden-record fetch, each under
 * 50 concurrent clients (autocannon, in this process, against the API listening on 127.0.0.1), p50 / p90 / p99.
 * The master is built the way bench/master-pipeline.ts builds it: `runGenerate`, then sync and resolution in-process.
 *
 *   npx tsx bench/api-load.ts                         # 20,000 generated physicians, embedded PGlite
 *   npx tsx bench/api-load.ts --physicians 100000     # bigger (the issue's size is 1,000,000: hours here)
 *   npx tsx bench/api-load.ts --postgres              # the PostgreSQL server at TEST_DATABASE_URL (pg_trgm fuzzy search)
 *   npx tsx bench/api-load.ts --duration 10 --connections 50
 * Needs Redis (the API's queue dashboard and health probe); no worker runs.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { buildApi } from '../src/api/app.js';
import { createUser, issueApiKey } from '../src/auth/user.repository.js';
import { runGenerate } from '../src/cli/commands/generate.js';
import { loadSettings } from '../src/config.js';
import type { Hub } from '../src/hub.js';
import { startEngine } from '../src/pipeline/engine.js';
import { loadMappingCatalog } from '../src/pipeline/load-mapping-catalog.js';
import { loadMasterRules, resolveMasters } from '../src/pipeline/resolve-masters.js';
import { syncStream } from '../src/pipeline/sync-stream.js';
import { openDatabase, quoteIdent } from '../src/store/database.js';
import { migrate } from '../src/store/migrate.js';
import { createRun } from '../src/store/sync-run.repository.js';
import { loadWorkspace } from '../src/workspace/workspace.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const physicians = option('--physicians', 20_000);
const duration = option('--duration', 10);
const connections = option('--connections', 50);
const usePostgres = args.includes('--postgres');
const logger = pino({ level: 'silent' });

const tmp = mkdtempSync(path.join(tmpdir(), 'crosswalk-api-bench-'));
const sourcesDir = path.join(tmp, 'sources');
const t0 = performance.now();
await runGenerate({ physicians, sources: ['veeva-crm', 'nppes'], corruption: 0.3, seed: 11, weeks: 1, out: sourcesDir, truthOut: path.join(tmp, 'truth') });
const workspace = loadWorkspace(path.resolve('examples/demo'));
workspace.connectors = workspace.connectors.filter((c) => c.id === 'veeva-crm' || c.id === 'nppes');
for (const c of workspace.connectors) (c.config as { path: string }).path = path.join(sourcesDir, path.basename((c.config as { path: string }).path));
const mappings = loadMappingCatalog(workspace.mappingsDir);
const masterRules = loadMasterRules(workspace.matchingDir, workspace.survivorshipDir);
const schema = `bench_api_${Date.now()}`;
const db = usePostgres
  ? await openDatabase({ url: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', schema })
  : await openDatabase({ dataDir: path.join(tmp, 'pglite') });
await migrate(db);
for (const c of workspace.connectors) {
  for (const s of c.streams) {
    const run = await createRun(db, { connector: c.id, stream: s.name, trigger: 'bench' });
    await syncStream({ db, workspace, mappings, logger }, { runId: run.id, connectorId: c.id, stream: s.name, batchSize: 5000 });
  }
}
for (const type of ['hco', 'hcp'] as const) await resolveMasters(db, masterRules, type);
// Planner statistics: PGlite runs no autovacuum, so without this every plan assumes empty tables (seq scans and
// nested loops over the whole master); a server's autovacuum would get there by itself, later.
await db.query('ANALYZE');
const buildSeconds = (performance.now() - t0) / 1000;
const { rows: sizes } = await db.query<{ masters: number; records: number }>(`SELECT (SELECT count(*) FROM golden_record) AS masters, (SELECT count(*) FROM source_record) AS records`);

// Samples to query: real names (their first 4 letters as a prefix, and full "first last"), NPIs and master ids.
const { rows: sample } = await db.query<{ master_id: string; display_name: string; npi: string | null }>(
  `SELECT g.master_id, g.display_name, (SELECT value FROM master_identifier i WHERE i.master_id = g.master_id AND i.type = 'npi' LIMIT 1) AS npi
     FROM golden_record g WHERE g.entity_type = 'hcp' AND g.display_name IS NOT NULL ORDER BY md5(g.master_id) LIMIT 2000`,
);
const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)]!;
const names = sample.map((s) => s.display_name);
const npis = sample.map((s) => s.npi).filter((n): n is string => n !== null);
const ids = sample.map((s) => s.master_id);

const settings = loadSettings({ CROSSWALK_QUEUE_PREFIX: `cw-bench-${randomBytes(4).toString('hex')}`, REDIS_URL: process.env.REDIS_URL, LOG_LEVEL: 'silent' });
const hub: Hub = { settings, logger, db, workspace, mappings, masterRules, close: async () => undefined };
const engine = await startEngine(hub, { workers: false });
const api = await buildApi(hub, engine, { logRequests: false, rateLimitPerMinute: 0 });
await createUser(db, { name: 'bench', role: 'viewer', actor: 'bench' });
const { key } = await issueApiKey(db, 'bench', { actor: 'bench' });
const url = await api.listen({ host: '127.0.0.1', port: 0 });

const scenarios: Array<[string, () => string]> = [
  ['search: name prefix (4 letters)', () => `/api/masters?name=${encodeURIComponent(pick(names).slice(0, 4))}&limit=25`],
  ['search: full name ("first last")', () => `/api/masters?name=${encodeURIComponent(pick(names).split(', ').reverse().join(' '))}&limit=25`],
  ['search: exact NPI', () => `/api/masters?npi=${pick(npis)}`],
  ['search: state + specialty filter', () => `/api/masters?state=${pick(['CA', 'NY', 'TX', 'FL', 'MA'])}&limit=25`],
  ['golden record (lineage, members, history)', () => `/api/masters/${pick(ids)}`],
];
const rows: Array<Record<string, string | number>> = [];
for (const [name, path_] of scenarios) {
  const result = await autocannon({
    url,
    connections,
    duration,
    headers: { authorization: `Bearer ${key}` },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path_() }) }],
  });
  rows.push({
    scenario: name,
    requests: result.requests.total,
    'req/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p90 ms': result.latency.p90,
    'p99 ms': result.latency.p99,
    'max ms': result.latency.max,
    'non-2xx': result.non2xx + result.errors + result.timeouts,
  });
}
console.log(
  `API load on ${sizes[0]!.masters} masters from ${sizes[0]!.records} source records (${physicians} generated physicians; built in ${buildSeconds.toFixed(0)} s), ` +
    `${db.kind}${db.kind === 'pglite' ? ' (one session: every query is serialised)' : ''}, name search ${(await api.inject({ method: 'GET', url: '/api/summary', headers: { authorization: `Bearer ${key}` } })).json().fuzzySearch ? 'fuzzy (pg_trgm)' : 'by prefix'}, ${connections} concurrent clients, ${duration} s each`,
);
console.table(rows);
await api.close();
await engine.sync.queue.obliterate({ force: true }).catch(() => undefined);
await engine.match.queue.obliterate({ force: true }).catch(() => undefined);
await engine.close();
if (usePostgres) await db.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
await db.close();
rmSync(tmp, { recursive: true, force: true });

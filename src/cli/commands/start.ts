import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { loadSettings, type Settings } from '../../config.js';
import { prepareDemoLogins } from '../../auth/demo-users.js';
import { openHub, type Hub } from '../../hub.js';
import { createLogger } from '../../logger.js';
import { buildApi } from '../../api/app.js';
import { startApiProcesses } from '../../api/processes.js';
import { startEngine, type Engine } from '../../pipeline/engine.js';
import { summarizeStore } from '../../store/normalized-record.repository.js';
import type { SyncRun } from '../../store/sync-run.repository.js';
import { action, formatTable } from '../output.js';

export function registerStartCommands(program: Command): void {
  program
    .command('start')
    .description('Run the hub: workers and the HTTP API, then a sync of every enabled connector in the workspace, then keep serving.')
    .option('--once', 'exit after the first sync of every connector instead of staying up (no HTTP API)')
    .option('--api-processes <n>', 'serve the HTTP API from this many processes on one port (needs a PostgreSQL server: DATABASE_URL; default CROSSWALK_API_PROCESSES, else 1)', parseProcessesOption)
    .action(
      action(async (options: { once?: boolean; apiProcesses?: number }) => {
        const apiProcesses = options.apiProcesses ?? apiProcessesFromEnv();
        // The hub's own summary is what a person reads here: routine info lines stay out unless LOG_LEVEL asks.
        const settings = loadSettings({ LOG_LEVEL: 'warn', ...process.env });
        const hub = await openHub(settings);
        const forked = !options.once && apiProcesses > 1;
        if (forked) requireServerStore(hub);
        const engine = await startEngine(hub);
        const api = options.once || forked ? undefined : await buildApi(hub, engine, { logRequests: false });
        const processes = forked ? await startApiProcesses({ count: apiProcesses, entry: apiProcessEntry, logger: hub.logger }) : undefined;
        const stop = onShutdown(hub, engine, async () => {
          await api?.close();
          await processes?.close();
        });
        console.log(`Crosswalk: workspace "${hub.workspace.name}" (${hub.workspace.dir})`);
        console.log(`store: ${hub.db.kind === 'pglite' ? `embedded PostgreSQL at ${hub.db.location}` : `PostgreSQL at ${hub.db.location}`}; queues: ${engine.backend.description}`);
        let consoleUrl: string | undefined;
        if (api) consoleUrl = await api.listen({ host: settings.host, port: settings.port });
        else if (processes) consoleUrl = processes.url;
        if (consoleUrl) {
          console.log(`API: ${consoleUrl}/api  (docs ${consoleUrl}/docs, health ${consoleUrl}/health, metrics ${consoleUrl}/metrics, queue dashboard ${consoleUrl}/admin/queues)${processes ? `, served by ${apiProcesses} processes` : ''}`);
        }
        const schedules = await engine.sync.applySchedules(hub.workspace);
        console.log(`schedules: ${schedules.active.length} active${schedules.removed.length ? `, ${schedules.removed.length} removed (their connectors are gone)` : ''}`);
        const runs = await syncEverything(hub, engine, 'startup');
        printRunTable(runs);
        const summary = await summarizeStore(hub.db);
        console.log(
          `\nThe store now holds ${summary.sourceRecords} source records (${summary.tombstones} deleted), ` +
            `${summary.normalized} normalized into ${Object.entries(summary.drafts).map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing'}; ` +
            `${summary.withIssues} records have field issues, ${summary.quarantined} records in quarantine.`,
        );
        const hcp = summary.masters.hcp ?? { active: 0, multiSource: 0 };
        const hco = summary.masters.hco ?? { active: 0, multiSource: 0 };
        console.log(
          `The master holds ${hcp.active} physicians (${hcp.multiSource} known to more than one source) and ${hco.active} organizations (${hco.multiSource}); ` +
            `${summary.rxFactsResolved} of ${summary.rxFacts} Rx facts are credited to a physician; ${summary.pendingReviews} uncertain pairs wait in the review queue.`,
        );
        console.log('\nWhere to look next:');
        console.log('  npx crosswalk runs                 every sync run with its counts and errors');
        console.log('  npx crosswalk quarantine list      records that could not be taken in, with the reason');
        console.log('  npx crosswalk issues               field-level issues (an NPI that fails its check digit ...)');
        console.log('  npx crosswalk review list          the uncertain pairs, with the score of every comparison');
        console.log('  npx crosswalk golden <id|npi>      a golden record: every value with its source and rule');
        console.log('  npx crosswalk mappings check       validate the mappings in mappings/sources');
        if (hub.db.kind === 'pglite') console.log(`  (the embedded store at ${hub.db.location} is opened by one process at a time: run these after stopping the hub)`);
        if (options.once) {
          await stop();
          return;
        }
        // The demo gets a steward and an admin on first start, so the console can be tried at once.
        const logins = hub.workspace.name === 'Crosswalk demo' ? await prepareDemoLogins(hub.db, settings.dataDir) : undefined;
        console.log(`\nConsole: ${consoleUrl}/`);
        if (logins) for (const l of logins) console.log(`  demo login (${l.role}): ${l.name} / ${l.password}`);
        else console.log('  sign in with a user made by `npx crosswalk users add <name> --role admin`');
        console.log('The hub is running: workers wait for sync requests and schedules. Press Ctrl-C to stop.');
        await new Promise(() => undefined);
      }),
    );

  program
    .command('api')
    .description('Run the HTTP API and console only (no workers, no syncs), in one process or several on one port.')
    .option('--processes <n>', 'API processes sharing the port (more than one needs a PostgreSQL server: DATABASE_URL; default CROSSWALK_API_PROCESSES, else 1)', parseProcessesOption)
    .action(
      action(async (options: { processes?: number }) => {
        const count = options.processes ?? apiProcessesFromEnv();
        const settings = loadSettings();
        if (count <= 1) {
          const served = await serveApi(settings);
          console.log(`API: ${served.url}/api (console ${served.url}/)`);
          return;
        }
        const hub = await openHub(settings);
        requireServerStore(hub);
        await hub.close();
        const processes = await startApiProcesses({ count, entry: apiProcessEntry, logger: createLogger({ level: settings.logLevel }) });
        console.log(`API: ${processes.url}/api (console ${processes.url}/), served by ${count} processes`);
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void processes.close().then(() => process.exit(0)));
      }),
    );

  program
    .command('worker')
    .description('Run workers only (several worker processes on one queue backend share the work).')
    .option('--concurrency <n>', 'sync jobs run at once by this process', (v) => Number(v), 2)
    .option('--queues <list>', 'which workers: sync, match or both (comma-separated)', parseQueues, ['sync', 'match'] as Array<'sync' | 'match'>)
    .action(
      action(async (options: { concurrency: number; queues: Array<'sync' | 'match'> }) => {
        const settings = loadSettings();
        const hub = await openHub(settings);
        const engine = await startEngine(hub, { concurrency: options.concurrency, workers: options.queues });
        onShutdown(hub, engine);
        hub.logger.info({ concurrency: options.concurrency, queues: options.queues, backend: engine.backend.description }, 'worker started');
        await new Promise(() => undefined);
      }),
    );
}

/** The module each forked API process runs (`.ts` run through tsx, `.js` once built). */
const apiProcessEntry = fileURLToPath(new URL(`../api-process${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/**
 * The HTTP API alone in this process: the hub, the queues (to request runs, not to work them) and the API, listening
 * at the settings' host and port; SIGINT/SIGTERM close it. What `crosswalk api` runs, and each API process.
 */
export async function serveApi(settings: Settings): Promise<{ url: string }> {
  const hub = await openHub(settings);
  const engine = await startEngine(hub, { workers: false });
  const api = await buildApi(hub, engine, { logRequests: false });
  onShutdown(hub, engine, () => api.close());
  return { url: await api.listen({ host: settings.host, port: settings.port }) };
}

/** Several processes cannot share the embedded store: it is a folder one process opens. */
function requireServerStore(hub: Hub): void {
  if (hub.db.kind === 'pglite') {
    throw new Error('More than one API process needs a PostgreSQL server (set DATABASE_URL): the embedded store is opened by one process at a time.');
  }
}

function apiProcessesFromEnv(): number {
  const value = process.env.CROSSWALK_API_PROCESSES;
  if (value === undefined || value === '') return 1;
  const n = parseCount(value);
  if (n === undefined) throw new Error(`CROSSWALK_API_PROCESSES: "${value}" is not a number of processes (1 to 64).`);
  return n;
}

function parseProcessesOption(value: string): number {
  const n = parseCount(value);
  if (n === undefined) throw new InvalidArgumentError('a number of processes from 1 to 64');
  return n;
}

function parseCount(value: string): number | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 64 ? n : undefined;
}

/** Queues a run of every enabled connector stream and waits for all of them. */
export async function syncEverything(hub: Hub, engine: Engine, trigger: string): Promise<SyncRun[]> {
  const requested = [];
  for (const connector of hub.workspace.connectors.filter((c) => c.enabled)) {
    for (const stream of connector.streams) {
      requested.push(await engine.sync.request({ connectorId: connector.id, stream: stream.name, trigger }));
    }
  }
  const runs = await Promise.all(requested.map(({ run }) => engine.sync.waitForRun(run.id)));
  await engine.match.waitUntilIdle();
  return runs;
}

export function printRunTable(runs: SyncRun[]): void {
  console.log(
    formatTable(
      runs.map((r) => ({
        run: r.id,
        connector: r.connector,
        stream: r.stream,
        status: r.status,
        read: r.counts.read,
        new: r.counts.new,
        changed: r.counts.changed,
        unchanged: r.counts.unchanged,
        quarantined: r.counts.quarantined,
        'field issues': r.counts.fieldIssues,
        seconds: r.startedAt && r.finishedAt ? ((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1) : '',
      })),
    ),
  );
  for (const r of runs.filter((x) => x.error && x.status === 'failed')) console.log(`run ${r.id} failed: ${r.error!.message}`);
}

function parseQueues(value: string): Array<'sync' | 'match'> {
  const queues = value.split(',').map((q) => q.trim());
  for (const q of queues) if (q !== 'sync' && q !== 'match') throw new Error(`--queues: "${q}" is not a queue; use sync, match or sync,match.`);
  return queues as Array<'sync' | 'match'>;
}

/**
 * SIGINT/SIGTERM: stop taking requests, finish or hand back the current batch (the run resumes from its
 * checkpoint in the next worker), close the queues and the store, then exit. A second signal exits at once.
 */
function onShutdown(hub: Hub, engine: Engine, before?: () => Promise<unknown>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  const stop = () =>
    (closing ??= (async () => {
      await before?.();
      await engine.close();
      await hub.close();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      hub.logger.info({ signal }, 'shutting down: finishing the current batch');
      process.once(signal, () => process.exit(130));
      void stop().then(
        () => process.exit(0),
        (error: unknown) => {
          hub.logger.error({ error: (error as Error).message }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  return stop;
}

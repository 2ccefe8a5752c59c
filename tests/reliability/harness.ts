import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { pino } from 'pino';
import { loadSettings } from '../../src/config.js';
import { openHub, type Hub } from '../../src/hub.js';
import { startEngine, type Engine } from '../../src/pipeline/engine.js';
import { hashContent } from '../../src/store/content-hash.js';
import { quoteIdent } from '../../src/store/database.js';
import { TEST_DATABASE_URL } from '../helpers/database.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * One isolated hub for a reliability test: a fresh schema on the PostgreSQL server (TEST_DATABASE_URL), a random
 * queue prefix on the local Redis, a workspace folder of its own; worker child processes started with the same
 * environment; and the test's own handle on the hub (queues only, no workers) to request runs and look.
 */
export type Environment = {
  env: NodeJS.ProcessEnv;
  dir: string;
  hub: Hub;
  engine: Engine;
  spawnWorker(args?: string[]): Promise<WorkerProcess>;
  dispose(): Promise<void>;
};

export type WorkerProcess = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

export type WorkspaceSpec = { connectors: string; mappingsDir?: string };

export async function createEnvironment(workspace: (dir: string) => WorkspaceSpec, overrides: NodeJS.ProcessEnv = {}): Promise<Environment> {
  const schema = `rel_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema},public`);

  const dir = mkdtempSync(path.join(tmpdir(), 'crosswalk-reliability-'));
  const spec = workspace(dir);
  writeFileSync(
    path.join(dir, 'crosswalk.yaml'),
    `name: reliability\nmappings: ${spec.mappingsDir ?? path.join(ROOT, 'mappings/sources')}\nmatching: ${path.join(ROOT, 'mappings/matching')}\n` +
      `survivorship: ${path.join(ROOT, 'mappings/survivorship')}\nconnectors:\n${spec.connectors}`,
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url.toString(),
    CROSSWALK_WORKSPACE: dir,
    CROSSWALK_DATA_DIR: path.join(dir, 'data'),
    CROSSWALK_QUEUE_PREFIX: `cw-rel-${randomBytes(4).toString('hex')}`,
    QUEUE_BACKEND: 'redis',
    LOG_LEVEL: 'info',
    // A killed worker's job is taken over within seconds instead of the production 30 s + 15 s.
    CROSSWALK_WORKER_LOCK_MS: '4000',
    CROSSWALK_STALLED_INTERVAL_MS: '1500',
    CROSSWALK_SYNC_BATCH_SIZE: '1000',
    ...overrides,
  };
  const hub = await openHub(loadSettings(env), { logger: pino({ level: 'silent' }) });
  const engine = await startEngine(hub, { workers: false });
  const children: ChildProcess[] = [];

  return {
    env,
    dir,
    hub,
    engine,
    async spawnWorker(args = []) {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/reliability/worker-process.ts'), ...args], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let output = '';
      child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      const exited = once(child, 'exit').then(([code]) => code as number | null);
      // Ready when it says so (its pino line), or failed when it exits first.
      await Promise.race([
        until(async () => output.includes('worker started'), 60_000),
        exited.then((code) => {
          throw new Error(`worker exited with ${code} before it started:\n${output}`);
        }),
      ]);
      return { child, output: () => output, exited };
    },
    async dispose() {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? once(c, 'exit') : undefined)));
      await engine.sync.queue.obliterate({ force: true }).catch(() => undefined);
      await engine.match.queue.obliterate({ force: true }).catch(() => undefined);
      await engine.close();
      await hub.db.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 60_000, pollMs = 100): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * A CSV of `count` numbered records, written as a stream; returns the digest of its rows as the store computes
 * it (source id and content hash of each record, in id order), to compare with what was stored.
 */
export async function writeNumberedFile(file: string, count: number): Promise<{ digest: string }> {
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  out.write('id,name,city\n');
  const entries: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `R${String(i).padStart(7, '0')}`;
    const record = { id, name: `Organization ${i}`, city: `City ${i % 997}` };
    entries.push(`${id}:${hashContent(record)}`);
    if (!out.write(`${record.id},${record.name},${record.city}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { digest: digestOf(entries) };
}

/** The same digest over what the store holds for a stream. */
export async function storedDigest(hub: Hub, connector: string, stream: string): Promise<{ rows: number; distinct: number; digest: string }> {
  const { rows } = await hub.db.query<{ source_id: string; content_hash: string }>(
    'SELECT source_id, content_hash FROM source_record WHERE connector = $1 AND stream = $2 ORDER BY source_id',
    [connector, stream],
  );
  return { rows: rows.length, distinct: new Set(rows.map((r) => r.source_id)).size, digest: digestOf(rows.map((r) => `${r.source_id}:${r.content_hash}`)) };
}

function digestOf(entries: string[]): string {
  return hashContent({ entries: [...entries].sort() });
}

/** A mapping that makes an organization of each numbered record (no physicians: matching stays cheap). */
export function writeNumberedMapping(dir: string, connector: string, stream: string): string {
  const mappingsDir = path.join(dir, 'mappings');
  mkdirSync(mappingsDir, { recursive: true });
  writeFileSync(
    path.join(mappingsDir, `${connector}.${stream}.yaml`),
    `source: { connector: ${connector}, stream: ${stream} }\ndescription: numbered test records\nid: id\nentities:\n  - kind: hco\n    key: hco\n    fields:\n      name: { from: name }\n`,
  );
  return mappingsDir;
}

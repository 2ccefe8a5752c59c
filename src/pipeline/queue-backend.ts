import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createPostgresBackend, Queue, runMigrations, Worker, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Settings } from '../config.js';
import { ConfigError } from '../errors.js';
import { redactUrl } from '../store/database.js';
import { PgliteQueuePool } from './pglite-queue-pool.js';
import { assertRedisAvailable, connectRedis } from './redis.js';

/**
 * Where the queues live. BullMQ's classes are the same either way; only the connection differs:
 * - `redis`: every Queue and Worker gets its own ioredis connection; keys are namespaced by `prefix`.
 * - `postgres`: BullMQ's PostgreSQL backend in the store's own database (no Redis at all); queues are
 *   namespaced by a schema of their own (`schema`), so they never mix with the store's tables.
 * - `pglite`: the same backend on an embedded PGlite database beside the embedded store (no server at all);
 *   one process only, like the embedded store. See pglite-queue-pool.ts for why it is a database of its own.
 * Both namespaces carry the store's id, so two stores sharing a server never see each other's jobs.
 */
export type QueueBackend = {
  readonly kind: 'redis' | 'postgres' | 'pglite';
  /** For messages: the redacted URL and namespace. */
  readonly description: string;
  /** The Redis key prefix, or the PostgreSQL schema of the queues. */
  readonly namespace: string;
  createQueue<D>(name: string, options?: Omit<QueueOptions, 'connection' | 'prefix'>): Queue<D>;
  createWorker<D>(name: string, processor: Processor<D>, options?: Omit<WorkerOptions, 'connection' | 'prefix'>): Worker<D>;
  /** Closes the connections this backend opened itself (queues and workers close their own first). */
  close(): Promise<void>;
};

export type QueueBackendSettings = Pick<Settings, 'queueBackend' | 'redisUrl' | 'databaseUrl' | 'queuePrefix' | 'dataDir'>;

export type QueueBackendHooks = {
  /** Connection problems are logged, not thrown: BullMQ reconnects by itself. */
  onConnectionError?: (error: Error) => void;
};

/**
 * Opens the backend the settings name and checks it answers, failing with one actionable message when it
 * does not. `storeId` (from `hub_instance`) is appended to the namespace.
 */
export async function openQueueBackend(settings: QueueBackendSettings, storeId: string, hooks: QueueBackendHooks = {}): Promise<QueueBackend> {
  if (settings.queueBackend === 'pglite') return pgliteBackend(path.join(settings.dataDir, 'pglite-queues', storeId));
  if (settings.queueBackend === 'postgres') {
    if (!settings.databaseUrl) {
      throw new ConfigError(
        'queues.postgres_needs_server',
        'QUEUE_BACKEND=postgres keeps the queues in the PostgreSQL server of the store: set DATABASE_URL, or use QUEUE_BACKEND=pglite ' +
          'with the embedded store (see README "Queues without Redis").',
      );
    }
    return postgresBackend(settings.databaseUrl, postgresSchemaFor(settings.queuePrefix, storeId));
  }
  await assertRedisAvailable(settings.redisUrl);
  return redisBackend(settings.redisUrl, `${settings.queuePrefix}:${storeId}`, hooks);
}

/** `crosswalk_q_<store id>`: a valid, unquoted PostgreSQL identifier. */
export function postgresSchemaFor(queuePrefix: string, storeId: string): string {
  return `${queuePrefix}_q_${storeId}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
}

export function redisBackend(url: string, prefix: string, hooks: QueueBackendHooks = {}): QueueBackend {
  const connections: Redis[] = [];
  const connect = () => {
    const c = connectRedis(url);
    c.on('error', (e: Error) => hooks.onConnectionError?.(e));
    connections.push(c);
    return c;
  };
  return {
    kind: 'redis',
    description: `Redis at ${redactUrl(url)} (prefix ${prefix})`,
    namespace: prefix,
    createQueue: <D>(name: string, options: Omit<QueueOptions, 'connection' | 'prefix'> = {}) => new Queue<D>(name, { ...options, connection: connect(), prefix }),
    createWorker: <D>(name: string, processor: Processor<D>, options: Omit<WorkerOptions, 'connection' | 'prefix'> = {}) =>
      new Worker<D>(name, processor, { ...options, connection: connect(), prefix }),
    async close() {
      for (const c of connections.splice(0)) c.disconnect();
    },
  };
}

/**
 * BullMQ's PostgreSQL backend. Each Queue and Worker owns a small pool plus, for workers, one dedicated LISTEN
 * connection (woken by NOTIFY when a job is added). `migrate: true` lets the first process create the schema,
 * under BullMQ's advisory lock.
 */
export function postgresBackend(url: string, schema: string, options: { poolSize?: number } = {}): QueueBackend {
  const connection = { connectionString: withoutSessionOptions(url), schema, migrate: true, max: options.poolSize ?? 3 };
  // The PostgreSQL classes are typed by their own connection type; callers see plain Queue/Worker.
  const factory = createPostgresBackend as never;
  return {
    kind: 'postgres',
    description: `PostgreSQL at ${redactUrl(url)} (schema ${schema})`,
    namespace: schema,
    createQueue: <D>(name: string, opts: Omit<QueueOptions, 'connection' | 'prefix'> = {}) =>
      new Queue<D>(name, { ...opts, connection } as never, factory) as unknown as Queue<D>,
    createWorker: <D>(name: string, processor: Processor<D>, opts: Omit<WorkerOptions, 'connection' | 'prefix'> = {}) =>
      new Worker<D>(name, processor, { ...opts, connection } as never, factory) as unknown as Worker<D>,
    async close() {
      // Every Queue and Worker owns its pool and closes it in its own close().
    },
  };
}

/**
 * BullMQ pins its connections' search_path to the queue schema through the session `options`; an `options`
 * parameter in DATABASE_URL (a search_path meant for the store) would replace it.
 */
function withoutSessionOptions(url: string): string {
  try {
    const u = new URL(url);
    u.searchParams.delete('options');
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * BullMQ's PostgreSQL backend on an embedded PGlite database (`dataDir`, or `memory://`). One pool look-alike
 * is shared by every Queue and Worker of the process; notifications come from PGlite itself.
 */
export async function pgliteBackend(dataDir: string): Promise<QueueBackend> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pool = await PgliteQueuePool.open(dataDir);
  await pool.pglite.exec('CREATE SCHEMA IF NOT EXISTS bullmq; SET search_path TO bullmq');
  await runMigrations(pool, 'bullmq');
  const factory = createPostgresBackend as never;
  return {
    kind: 'pglite',
    description: `embedded PostgreSQL (PGlite) at ${dataDir}`,
    namespace: dataDir,
    createQueue: <D>(name: string, opts: Omit<QueueOptions, 'connection' | 'prefix'> = {}) =>
      new Queue<D>(name, { ...opts, connection: pool } as never, factory) as unknown as Queue<D>,
    createWorker: <D>(name: string, processor: Processor<D>, opts: Omit<WorkerOptions, 'connection' | 'prefix'> = {}) =>
      new Worker<D>(name, processor, { ...opts, connection: pool } as never, factory) as unknown as Worker<D>,
    close: () => pool.close(),
  };
}

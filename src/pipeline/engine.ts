import type { Worker } from 'bullmq';
import type { Hub } from '../hub.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { createMatchQueue, type MatchQueue } from './match.queue.js';
import { startMatchWorker } from './match.worker.js';
import { openQueueBackend, type QueueBackend } from './queue-backend.js';
import type { MatchJobData, SyncJobData } from './queue-names.js';
import { createSyncQueue, type SyncQueue } from './sync.queue.js';
import { startSyncWorker } from './sync.worker.js';

export type Engine = {
  backend: QueueBackend;
  sync: SyncQueue;
  match: MatchQueue;
  metrics: Metrics;
  /** The workers this process runs (none for a process that only queues). */
  workers: { sync?: Worker<SyncJobData>; match?: Worker<MatchJobData> };
  /** Finishes or hands back the current batch, then closes workers, queues and connections. */
  close(): Promise<void>;
};

export type EngineOptions = {
  /** Which workers this process runs: both by default; `[]` or `false` to only queue. */
  workers?: boolean | Array<'sync' | 'match'>;
  concurrency?: number;
  metrics?: Metrics;
};

/**
 * The queues (and, unless told otherwise, the workers) of one process. `npm start` runs both; `npm run worker`
 * runs workers only; several processes on one queue backend share the work. Timings and limits come from the
 * settings (CROSSWALK_WORKER_LOCK_MS, CROSSWALK_STALLED_INTERVAL_MS, CROSSWALK_MATCH_BACKLOG_LIMIT,
 * CROSSWALK_SYNC_BATCH_SIZE), never from code.
 */
export async function startEngine(hub: Hub, options: EngineOptions = {}): Promise<Engine> {
  const settings = hub.settings;
  const backend = await openQueueBackend(settings, await storeIdOf(hub), {
    onConnectionError: (e) => hub.logger.warn({ error: e.message }, 'queue connection problem'),
  });
  const metrics = options.metrics ?? createMetrics();
  const sync = createSyncQueue(hub.db, backend);
  const match = createMatchQueue(backend);
  await match.queue.setGlobalConcurrency(1);
  metrics.watchQueues([sync.queue, match.queue]);

  const wanted = options.workers === false ? [] : options.workers === true || options.workers === undefined ? ['sync', 'match'] : options.workers;
  const syncWorker = wanted.includes('sync')
    ? startSyncWorker(
        { db: hub.db, workspace: hub.workspace, mappings: hub.mappings, logger: hub.logger },
        {
          backend,
          concurrency: options.concurrency,
          batchSize: settings.syncBatchSize,
          lockDuration: settings.workerLockMs,
          stalledInterval: settings.stalledIntervalMs,
          onBatchStored: (runId, batch) => match.request({ reason: `run ${runId} batch ${batch}`, runId, batch }),
          onRunSucceeded: (runId) => match.request({ reason: `run ${runId} finished`, runId }),
          backpressure: { backlog: match.backlog, limit: settings.matchBacklogLimit },
          metrics,
        },
      )
    : undefined;
  const matchWorker = wanted.includes('match')
    ? await startMatchWorker(hub, { backend, queue: match.queue, lockDuration: settings.workerLockMs, stalledInterval: settings.stalledIntervalMs, metrics })
    : undefined;
  await syncWorker?.worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  return {
    backend,
    sync,
    match,
    metrics,
    workers: { sync: syncWorker?.worker, match: matchWorker },
    close: () =>
      (closing ??= (async () => {
        await Promise.all([syncWorker?.close(), matchWorker?.close()]);
        await sync.close();
        await match.close();
        await backend.close();
      })()),
  };
}

/** The id of the master store (`hub_instance`): queue namespaces carry it. */
export async function storeIdOf(hub: Pick<Hub, 'db'>): Promise<string> {
  const { rows } = await hub.db.query<{ id: string }>('SELECT id FROM hub_instance');
  return rows[0]!.id;
}

/** `<CROSSWALK_QUEUE_PREFIX>:<store id>`: the Redis key prefix of the queues of one master store. */
export async function queuePrefixFor(hub: Pick<Hub, 'db' | 'settings'>): Promise<string> {
  return `${hub.settings.queuePrefix}:${await storeIdOf(hub)}`;
}

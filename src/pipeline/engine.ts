import type { Hub } from '../hub.js';
import { createMatchQueue, type MatchQueue } from './match.queue.js';
import { startMatchWorker } from './match.worker.js';
import { assertRedisAvailable, connectRedis } from './redis.js';
import { createSyncQueue, type SyncQueue } from './sync.queue.js';
import { startSyncWorker } from './sync.worker.js';

export type Engine = {
  sync: SyncQueue;
  match: MatchQueue;
  close(): Promise<void>;
};

/**
 * The queues (and, unless told otherwise, the workers) of one process. `npm start` runs both; `npm run worker`
 * runs workers only; several processes on one Redis share the work.
 */
export async function startEngine(hub: Hub, options: { workers?: boolean; concurrency?: number } = {}): Promise<Engine> {
  await assertRedisAvailable(hub.settings.redisUrl);
  const queueConnection = connectRedis(hub.settings.redisUrl);
  const workerConnection = connectRedis(hub.settings.redisUrl);
  for (const c of [queueConnection, workerConnection]) c.on('error', (e) => hub.logger.warn({ error: e.message }, 'redis connection problem'));
  const prefix = await queuePrefixFor(hub);
  const sync = createSyncQueue(hub.db, queueConnection, prefix);
  const match = createMatchQueue(queueConnection, prefix);
  await match.queue.setGlobalConcurrency(1);
  const worker =
    options.workers === false
      ? undefined
      : startSyncWorker(
          { db: hub.db, workspace: hub.workspace, mappings: hub.mappings, logger: hub.logger },
          { connection: workerConnection, prefix, concurrency: options.concurrency, onRunSucceeded: (runId) => match.request(`run ${runId}`) },
        );
  const matchConnection = options.workers === false ? undefined : connectRedis(hub.settings.redisUrl);
  matchConnection?.on('error', (e) => hub.logger.warn({ error: e.message }, 'redis connection problem'));
  const matchWorker = matchConnection ? await startMatchWorker(hub, { connection: matchConnection, prefix }) : undefined;
  return {
    sync,
    match,
    async close() {
      await worker?.close();
      await matchWorker?.close();
      matchConnection?.disconnect();
      await sync.close();
      await match.close();
      queueConnection.disconnect();
      workerConnection.disconnect();
    },
  };
}

/** `<CROSSWALK_QUEUE_PREFIX>:<store id>`: the queues belong to one master store. */
export async function queuePrefixFor(hub: Pick<Hub, 'db' | 'settings'>): Promise<string> {
  const { rows } = await hub.db.query<{ id: string }>('SELECT id FROM hub_instance');
  return `${hub.settings.queuePrefix}:${rows[0]!.id}`;
}

import type { Hub } from '../hub.js';
import { assertRedisAvailable, connectRedis } from './redis.js';
import { createSyncQueue, type SyncQueue } from './sync.queue.js';
import { startSyncWorker } from './sync.worker.js';

export type Engine = {
  sync: SyncQueue;
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
  const sync = createSyncQueue(hub.db, queueConnection, hub.settings.queuePrefix);
  const worker =
    options.workers === false
      ? undefined
      : startSyncWorker(
          { db: hub.db, workspace: hub.workspace, mappings: hub.mappings, logger: hub.logger },
          { connection: workerConnection, prefix: hub.settings.queuePrefix, concurrency: options.concurrency },
        );
  return {
    sync,
    async close() {
      await worker?.close();
      await sync.close();
      queueConnection.disconnect();
      workerConnection.disconnect();
    },
  };
}

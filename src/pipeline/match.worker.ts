import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeError } from '../errors.js';
import type { Hub } from '../hub.js';
import { QUEUES, type MatchJobData } from './queue-names.js';
import { resolveMasters, type ResolveReport } from './resolve-masters.js';

/**
 * Runs master resolution. Matching compares each new record with everything already linked, so two matches at
 * once could each miss the other's new master: the queue's global concurrency is one, whatever the number of
 * worker processes.
 */
export async function startMatchWorker(hub: Pick<Hub, 'db' | 'workspace' | 'masterRules' | 'logger'>, options: { connection: Redis; prefix: string }) {
  const worker = new Worker<MatchJobData>(
    QUEUES.match,
    async (job) => {
      const resolveOnly = new Set(hub.workspace.connectors.filter((c) => c.masters === 'resolve').map((c) => c.id));
      const reports: ResolveReport[] = [];
      // Organizations first, so physicians' affiliations can find theirs.
      for (const entityType of ['hco', 'hcp'] as const) {
        reports.push(await resolveMasters(hub.db, hub.masterRules, entityType, { resolveOnlyConnectors: resolveOnly, logger: hub.logger.child({ jobId: job.id }) }));
      }
      return reports;
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
  await worker.waitUntilReady();
  worker.on('failed', (job, error) => hub.logger.error({ jobId: job?.id, error: describeError(error) }, 'master resolution failed'));
  worker.on('error', (error) => hub.logger.warn({ error: describeError(error) }, 'match worker connection problem'));
  return worker;
}

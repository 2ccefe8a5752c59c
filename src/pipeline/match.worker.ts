import type { Job, Queue, Worker } from 'bullmq';
import { describeError } from '../errors.js';
import type { Hub } from '../hub.js';
import type { Metrics } from '../observability/metrics.js';
import type { QueueBackend } from './queue-backend.js';
import { publishChanges, type PublishReport } from './publish.js';
import { QUEUES, type MatchJobData } from './queue-names.js';
import { resolveMasters, type ResolveReport } from './resolve-masters.js';

export type MatchResult = { covered: number; reports: ResolveReport[]; published: PublishReport[] };

/**
 * Runs master resolution.
 *
 * One job at a time across every worker process (the queue's global concurrency is 1): matching compares each
 * new record with everything already linked, so two matches at once could each miss the other's new master.
 *
 * One resolution covers many requests. Resolution loads every member of the master and indexes it before
 * matching the new drafts, so its cost grows with the master, not with the batch: a job per batch would make
 * a large sync quadratic. Instead every stored batch queues a request, and the job that starts takes every
 * request waiting at that moment off the queue (their batches were committed before they were queued, so the
 * resolution about to read the store sees them all). While it runs, new requests pile up: that count is the
 * match stage's backlog, which the sync worker watches to pause reading (backpressure). Nothing is lost: a
 * request that arrives after the resolution started stays queued and starts the next one, and every run ends
 * with a request of its own.
 *
 * Resolution is CPU-bound and synchronous in parts; its lock lasts longer than a sync job's so a large master
 * does not look stalled. For large volumes run it in a process of its own (`crosswalk worker --queues match`).
 */
export async function startMatchWorker(
  hub: Pick<Hub, 'db' | 'workspace' | 'masterRules' | 'logger'>,
  options: { backend: QueueBackend; queue: Queue<MatchJobData>; lockDuration?: number; stalledInterval?: number; metrics?: Metrics },
): Promise<Worker<MatchJobData>> {
  const worker = options.backend.createWorker<MatchJobData>(
    QUEUES.match,
    async (job: Job<MatchJobData>): Promise<MatchResult> => {
      const log = hub.logger.child({ jobId: job.id, queue: QUEUES.match });
      const covered = 1 + (await takeWaitingRequests(options.queue));
      const resolveOnly = new Set(hub.workspace.connectors.filter((c) => c.masters === 'resolve').map((c) => c.id));
      const reports: ResolveReport[] = [];
      // Organizations first, so physicians' affiliations can find theirs.
      for (const entityType of ['hco', 'hcp'] as const) {
        reports.push(await resolveMasters(hub.db, hub.masterRules, entityType, { resolveOnlyConnectors: resolveOnly, logger: log }));
      }
      options.metrics?.recordMatched(
        reports.reduce((n, r) => n + r.linkedToExisting + r.newMasters, 0),
        reports.reduce((n, r) => n + r.goldenWritten, 0),
      );
      // PGlite runs no autovacuum: without fresh statistics its planner takes the master tables for empty and the
      // API's searches crawl.
      if (hub.db.kind === 'pglite') await hub.db.query('ANALYZE master_entity, master_identifier, golden_record, crosswalk, review_item');
      const published = await publishChanges(hub.db, hub.workspace, log);
      log.info({ covered, runId: job.data.runId }, 'master resolution covered %d request(s)', covered);
      return { covered, reports, published };
    },
    { concurrency: 1, lockDuration: Math.max(options.lockDuration ?? 30_000, 120_000), stalledInterval: options.stalledInterval ?? 15_000, maxStalledCount: 3 },
  );
  await worker.waitUntilReady();
  worker.on('failed', (job, error) => {
    options.metrics?.jobFailed(QUEUES.match, describeError(error).failureType);
    hub.logger.error({ jobId: job?.id, error: describeError(error), stack: error.stack }, 'master resolution failed');
  });
  worker.on('completed', () => options.metrics?.jobCompleted(QUEUES.match));
  worker.on('error', (error) => hub.logger.warn({ error: describeError(error) }, 'match worker connection problem'));
  return worker;
}

/** Removes the requests waiting now; the resolution about to start covers them. */
async function takeWaitingRequests(queue: Queue<MatchJobData>): Promise<number> {
  let taken = 0;
  for (;;) {
    const waiting = await queue.getWaiting(0, 499);
    const before = taken;
    for (const job of waiting) {
      try {
        await job.remove();
        taken += 1;
      } catch {
        // Taken by someone else in between (it can only have been removed): nothing to do.
      }
    }
    if (waiting.length < 500 || taken === before) return taken;
  }
}

import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeError, TransientError } from '../errors.js';
import { createRun, finishRun, getRun, markRunStarted, noteRunError } from '../store/sync-run.repository.js';
import { QUEUES, type SyncJobData } from './queue-names.js';
import { syncStream, type SyncDeps } from './sync-stream.js';

export type SyncWorkerOptions = {
  connection: Redis;
  prefix: string;
  concurrency?: number;
  /** Called after a run stored its last batch: the next stage (matching) is asked to follow. */
  onRunSucceeded?: (runId: number) => Promise<void>;
};

/**
 * Runs sync jobs. Each attempt resumes from the stream's checkpoint. A config error fails the run at once
 * (no retry can fix a wrong password); a transient one is retried with backoff; on shutdown the current
 * batch finishes, and the job is handed back to be resumed by the next worker.
 */
export function startSyncWorker(deps: SyncDeps, options: SyncWorkerOptions): { worker: Worker<SyncJobData>; close(): Promise<void> } {
  const shutdown = new AbortController();

  const worker = new Worker<SyncJobData>(
    QUEUES.sync,
    async (job: Job<SyncJobData>) => {
      const { connectorId, stream, since } = job.data;
      const runId = job.data.runId ?? (await openScheduledRun(deps, job));
      const log = deps.logger.child({ runId, jobId: job.id, connector: connectorId, stream });
      if (!(await getRun(deps.db, runId))) {
        throw new UnrecoverableError(`Run ${runId} is not in this store: the job belongs to another Crosswalk store sharing this Redis.`);
      }
      await markRunStarted(deps.db, runId);
      try {
        const counts = await syncStream(deps, {
          runId,
          connectorId,
          stream,
          since,
          signal: shutdown.signal,
          onBatch: async (c) => {
            await job.updateProgress({ read: c.read, progress: c.progress ?? null });
          },
        });
        if (shutdown.signal.aborted) throw new TransientError('sync.interrupted', 'The worker shut down mid-run; the run resumes from its last checkpoint.');
        // The next stage is queued before the run reads as finished, so whoever waits for the run then finds it.
        await options.onRunSucceeded?.(runId);
        await finishRun(deps.db, runId, { status: 'succeeded' });
        log.info({ counts }, 'run succeeded');
        return counts;
      } catch (error) {
        const described = describeError(error);
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (described.failureType === 'transient' && !lastAttempt) {
          await noteRunError(deps.db, runId, described);
          log.warn({ error: described, attempt: job.attemptsMade + 1 }, 'transient failure; will retry from the last checkpoint');
          throw error;
        }
        await finishRun(deps.db, runId, { status: 'failed', error: described });
        log.error({ error: described }, 'run failed');
        if (described.failureType === 'transient') throw error;
        throw new UnrecoverableError(`${described.code}: ${described.message}`);
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 2,
      // A killed worker's job is picked up by another after this long.
      stalledInterval: 15_000,
      lockDuration: 30_000,
    },
  );
  worker.on('error', (error) => deps.logger.warn({ error: describeError(error) }, 'sync worker connection problem'));

  return {
    worker,
    async close() {
      shutdown.abort();
      await worker.close();
    },
  };
}

/** A scheduled job carries no run: open one, and remember it on the job so a retry continues the same run. */
async function openScheduledRun(deps: SyncDeps, job: Job<SyncJobData>): Promise<number> {
  const run = await createRun(deps.db, { connector: job.data.connectorId, stream: job.data.stream, trigger: 'schedule' });
  await job.updateData({ ...job.data, runId: run.id });
  return run.id;
}

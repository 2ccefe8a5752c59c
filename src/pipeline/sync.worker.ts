import { UnrecoverableError, WaitingError, type Job, type Worker } from 'bullmq';
import { describeError } from '../errors.js';
import type { Metrics } from '../observability/metrics.js';
import { createRun, EMPTY_COUNTS, finishRun, getRun, markRunStarted, noteRunError, type RunCounts } from '../store/sync-run.repository.js';
import type { QueueBackend } from './queue-backend.js';
import { QUEUES, type SyncJobData } from './queue-names.js';
import { LeaseLostError, takeRunLease } from './run-lease.js';
import { syncStream, type SyncDeps } from './sync-stream.js';

export type SyncWorkerOptions = {
  backend: QueueBackend;
  concurrency?: number;
  batchSize?: number;
  /** How long a job's lock lasts without renewal: a killed worker's job is taken over after about this long. */
  lockDuration?: number;
  /** How often workers look for jobs whose lock expired. */
  stalledInterval?: number;
  /** Called after each stored batch: the match stage is asked to follow (see match.queue.ts). */
  onBatchStored?: (runId: number, batch: number) => Promise<void>;
  /** Called after a run stored its last batch, before it reads as finished. */
  onRunSucceeded?: (runId: number) => Promise<void>;
  /**
   * Backpressure: while `backlog()` (match requests waiting) is above `limit`, the worker stops reading its
   * source after the batch it just stored. The job keeps its lock meanwhile; nothing is held in memory but the
   * connector's open stream. `limit` 0 turns it off.
   */
  backpressure?: { backlog: () => Promise<number>; limit: number; pollMs?: number };
  metrics?: Metrics;
};

/**
 * Runs sync jobs: one job per run of one connector stream.
 *
 * Why map + store + normalize stay in this job, batch by batch, instead of a normalize queue: normalizing a
 * record is a pure function of the record and its mapping, cheaper than the round trip that would carry the
 * batch to another job (tens of microseconds a record against a queue hop, a second write of the batch, and
 * a second transaction). Keeping them in the batch's one transaction is what makes a batch all-or-nothing
 * with its checkpoint. Matching is the stage that needs its own queue: it must see the whole master, runs one
 * at a time, and may fall behind; it gets a request per stored batch (match.queue.ts) and this worker pauses
 * reading when too many wait (backpressure).
 *
 * Failures: each attempt resumes from the stream's checkpoint. A config error fails the run at once (no retry
 * can fix a wrong password); a transient one is retried with backoff. On shutdown (SIGTERM) the current batch
 * finishes and the job goes back to waiting without spending an attempt, to be resumed by the next worker.
 * A worker that lost its lock (killed, cut off) cannot commit anything after another attempt took the run
 * over: see run-lease.ts.
 */
export function startSyncWorker(deps: SyncDeps, options: SyncWorkerOptions): { worker: Worker<SyncJobData>; close(): Promise<void> } {
  const shutdown = new AbortController();

  const worker = options.backend.createWorker<SyncJobData>(
    QUEUES.sync,
    async (job: Job<SyncJobData>, token?: string, cancelled?: AbortSignal) => {
      const { connectorId, stream, since } = job.data;
      const runId = job.data.runId ?? (await openScheduledRun(deps, job));
      const log = deps.logger.child({ runId, jobId: job.id, connector: connectorId, stream });
      const existing = await getRun(deps.db, runId);
      if (!existing) {
        throw new UnrecoverableError(`Run ${runId} is not in this store: the job belongs to another Crosswalk store sharing this queue backend.`);
      }
      if (existing.status === 'succeeded' || existing.status === 'failed' || existing.status === 'cancelled') {
        // A job that ran to the end but whose worker died before BullMQ heard of it: nothing left to do.
        log.info({ status: existing.status }, 'run already finished; job completes without work');
        return existing.counts;
      }
      await markRunStarted(deps.db, runId);
      const lease = await takeRunLease(deps.db, runId);
      const signal = cancelled ? AbortSignal.any([shutdown.signal, cancelled]) : shutdown.signal;
      let last: RunCounts = { ...EMPTY_COUNTS, ...existing.counts };
      try {
        const counts = await syncStream(deps, {
          runId,
          connectorId,
          stream,
          since,
          signal,
          lease,
          batchSize: options.batchSize,
          onBatch: async (c) => {
            options.metrics?.recordBatch(last, c);
            last = { ...c };
            await job.updateProgress({ read: c.read, batches: c.batches, progress: c.progress ?? null });
            await options.onBatchStored?.(runId, c.batches);
            await waitForMatchStage(options, signal, log);
          },
        });
        if (signal.aborted) {
          if (cancelled?.aborted) throw new LeaseLostError(runId);
          // Hand the job back: the next worker resumes from the checkpoint the last batch saved.
          log.info({ counts }, 'shutting down: run handed back after its last stored batch');
          await job.moveToWait(token);
          throw new WaitingError();
        }
        // The next stage is queued before the run reads as finished, so whoever waits for the run then finds it.
        await options.onRunSucceeded?.(runId);
        await finishRun(deps.db, runId, { status: 'succeeded' });
        observeRun(deps, options, runId, 'succeeded');
        log.info({ counts }, 'run succeeded');
        return counts;
      } catch (error) {
        if (error instanceof WaitingError) throw error;
        if (error instanceof LeaseLostError) {
          // Another attempt owns the run now; this one must neither retry nor touch the run record.
          log.warn('lost the run to another worker; stopping this attempt');
          throw new UnrecoverableError(error.message);
        }
        const described = describeError(error);
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (described.failureType === 'transient' && !lastAttempt) {
          await noteRunError(deps.db, runId, described);
          log.warn({ error: described, attempt: job.attemptsMade + 1 }, 'transient failure; will retry from the last checkpoint');
          throw error;
        }
        await finishRun(deps.db, runId, { status: 'failed', error: described });
        observeRun(deps, options, runId, 'failed');
        log.error({ error: described }, 'run failed');
        if (described.failureType === 'transient') throw error;
        throw new UnrecoverableError(`${described.code}: ${described.message}`);
      }
    },
    {
      concurrency: options.concurrency ?? 2,
      lockDuration: options.lockDuration ?? 30_000,
      stalledInterval: options.stalledInterval ?? 15_000,
      // A job whose worker died is resumed this many times before the run is failed (a file that crashes
      // every worker reading it must not loop forever).
      maxStalledCount: 3,
    },
  );
  worker.on('error', (error) => deps.logger.warn({ error: describeError(error) }, 'sync worker connection problem'));
  // A lock that could not be renewed means another worker may take the job: stop this attempt at its next batch.
  worker.on('lockRenewalFailed', (jobIds) => {
    for (const id of jobIds) worker.cancelJob(id, 'lock lost');
  });
  worker.on('failed', (job, error) => {
    options.metrics?.jobFailed(QUEUES.sync, describeError(error).failureType);
    // A job failed by BullMQ itself (stalled too often) never reached the processor's catch: close its run.
    const runId = job?.data.runId;
    if (runId !== undefined && /stalled/i.test(error.message)) {
      void finishRun(deps.db, runId, { status: 'failed', error: { code: 'sync.stalled', message: `${error.message}: the worker running it died repeatedly.`, failureType: 'system' } }).catch(() => undefined);
    }
  });
  worker.on('completed', () => options.metrics?.jobCompleted(QUEUES.sync));

  return {
    worker,
    async close() {
      shutdown.abort();
      await worker.close();
    },
  };
}

async function waitForMatchStage(options: SyncWorkerOptions, signal: AbortSignal, log: SyncDeps['logger']): Promise<void> {
  const bp = options.backpressure;
  if (!bp || bp.limit <= 0) return;
  let backlog = await bp.backlog();
  if (backlog <= bp.limit) return;
  const started = Date.now();
  log.info({ backlog, limit: bp.limit }, 'match stage is behind: pausing reads');
  while (backlog > bp.limit && !signal.aborted) {
    await new Promise((r) => setTimeout(r, bp.pollMs ?? 250));
    backlog = await bp.backlog();
  }
  const seconds = (Date.now() - started) / 1000;
  options.metrics?.backpressure(seconds);
  log.info({ backlog, seconds }, 'match stage caught up: reading again');
}

function observeRun(deps: SyncDeps, options: SyncWorkerOptions, runId: number, status: string): void {
  if (!options.metrics) return;
  void getRun(deps.db, runId).then(
    (run) => {
      if (run?.startedAt && run.finishedAt) {
        options.metrics!.observeRun({ connector: run.connector, stream: run.stream, status }, (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000);
      }
    },
    () => undefined,
  );
}

/** A scheduled job carries no run: open one, and remember it on the job so a retry continues the same run. */
async function openScheduledRun(deps: SyncDeps, job: Job<SyncJobData>): Promise<number> {
  const run = await createRun(deps.db, { connector: job.data.connectorId, stream: job.data.stream, trigger: 'schedule' });
  await job.updateData({ ...job.data, runId: run.id });
  return run.id;
}

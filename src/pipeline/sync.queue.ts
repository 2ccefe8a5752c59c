import type { Queue } from 'bullmq';
import { ConfigError } from '../errors.js';
import type { Database } from '../store/database.js';
import { createRun, finishRun, getRun, type SyncRun } from '../store/sync-run.repository.js';
import type { Workspace } from '../workspace/workspace.js';
import type { QueueBackend } from './queue-backend.js';
import { QUEUES, SCHEDULER_PREFIX, syncDeduplicationId, type SyncJobData } from './queue-names.js';

export type SyncQueue = {
  queue: Queue<SyncJobData>;
  /** Queues a run of one stream. Returns the run that will do the work: an already queued or running one when there is one. */
  request(input: { connectorId: string; stream: string; trigger: string; since?: string }): Promise<{ run: SyncRun; joined: boolean }>;
  /** Resolves when the run has finished, succeeded or failed, with its final record. */
  waitForRun(runId: number, options?: { pollMs?: number; timeoutMs?: number; onProgress?: (run: SyncRun) => void }): Promise<SyncRun>;
  /**
   * Makes the queue's job schedulers match the workspace: one per scheduled stream of an enabled connector,
   * updated when its timing changed, removed when the connector or its schedule is gone.
   */
  applySchedules(workspace: Workspace): Promise<{ active: string[]; removed: string[] }>;
  /**
   * Queues a failed run again. It resumes from its stream's checkpoint (where its last stored batch left it),
   * keeps its counts, and gets a fresh set of attempts. Joins nothing: a stream already queued or running is refused.
   */
  retry(runId: number): Promise<SyncRun>;
  close(): Promise<void>;
};

export const SYNC_JOB_ATTEMPTS = 6;

export function createSyncQueue(db: Database, backend: QueueBackend): SyncQueue {
  const queue = backend.createQueue<SyncJobData>(QUEUES.sync, {
    defaultJobOptions: {
      attempts: SYNC_JOB_ATTEMPTS,
      // Exponential backoff; the worker adds jitter so a fleet of retries does not arrive in step.
      backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    },
  });

  return {
    queue,
    async request(input) {
      const run = await createRun(db, { connector: input.connectorId, stream: input.stream, trigger: input.trigger, since: input.since });
      const jobId = `run-${run.id}`;
      const job = await queue.add(
        'sync',
        { runId: run.id, connectorId: input.connectorId, stream: input.stream, ...(input.since ? { since: input.since } : {}) },
        { jobId, deduplication: { id: syncDeduplicationId(input.connectorId, input.stream) } },
      );
      if (job.id === jobId) return { run, joined: false };
      // Deduplicated: the stream is already queued or running. Record why this request did nothing.
      const existing = job.id ? await queue.getJob(job.id) : undefined;
      const otherRunId = existing?.data.runId;
      await finishRun(db, run.id, {
        status: 'cancelled',
        error: { code: 'sync.already_running', message: `${input.connectorId}.${input.stream} is already queued or running${otherRunId ? ` as run ${otherRunId}` : ''}.`, failureType: 'config' },
      });
      const other = otherRunId ? await getRun(db, otherRunId) : undefined;
      return { run: other ?? run, joined: true };
    },
    async waitForRun(runId, options = {}) {
      const started = Date.now();
      for (;;) {
        const run = await getRun(db, runId);
        if (!run) throw new Error(`Run ${runId} does not exist.`);
        options.onProgress?.(run);
        if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled') return run;
        if (options.timeoutMs && Date.now() - started > options.timeoutMs) return run;
        await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
      }
    },
    async applySchedules(workspace) {
      const wanted = new Map<string, { connectorId: string; stream: string; repeat: { pattern: string; tz: string } | { every: number } }>();
      for (const connector of workspace.connectors) {
        if (!connector.enabled || !connector.schedule) continue;
        const repeat = 'cron' in connector.schedule ? { pattern: connector.schedule.cron, tz: connector.schedule.tz } : { every: connector.schedule.everyMinutes * 60_000 };
        for (const stream of connector.streams) wanted.set(`${SCHEDULER_PREFIX}${syncDeduplicationId(connector.id, stream.name)}`, { connectorId: connector.id, stream: stream.name, repeat });
      }
      for (const [id, s] of wanted) {
        await queue.upsertJobScheduler(id, s.repeat, { name: 'sync', data: { connectorId: s.connectorId, stream: s.stream } });
      }
      const removed: string[] = [];
      for (const existing of await queue.getJobSchedulers(0, -1)) {
        if (existing.key.startsWith(SCHEDULER_PREFIX) && !wanted.has(existing.key)) {
          await queue.removeJobScheduler(existing.key);
          removed.push(existing.key);
        }
      }
      return { active: [...wanted.keys()], removed };
    },
    async retry(runId) {
      const run = await getRun(db, runId);
      if (!run) throw new ConfigError('run.not_found', `Run ${runId} does not exist: \`crosswalk runs\` lists them.`);
      if (run.status !== 'failed') throw new ConfigError('run.not_failed', `Run ${runId} is ${run.status}: only a failed run can be retried.`);
      const jobId = `run-${run.id}`;
      // The failed job of the run (when retention still keeps it) makes way for the new one.
      const old = await queue.getJob(jobId);
      if (old) await old.remove();
      await db.query(`UPDATE sync_run SET status = 'queued', error = NULL, finished_at = NULL, trigger = trigger || ' (retried)' WHERE id = $1 AND status = 'failed'`, [run.id]);
      const job = await queue.add(
        'sync',
        { runId: run.id, connectorId: run.connector, stream: run.stream, ...(run.since ? { since: run.since } : {}) },
        { jobId, deduplication: { id: syncDeduplicationId(run.connector, run.stream) } },
      );
      if (job.id !== jobId) {
        await finishRun(db, run.id, { status: 'failed', error: run.error ?? { code: 'sync.failed', message: 'failed', failureType: 'system' } });
        throw new ConfigError('sync.already_running', `${run.connector}.${run.stream} is already queued or running (job ${job.id}); retry run ${runId} after it finishes.`);
      }
      return (await getRun(db, run.id))!;
    },
    async close() {
      await queue.close();
    },
  };
}

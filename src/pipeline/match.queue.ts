import type { Queue } from 'bullmq';
import type { QueueBackend } from './queue-backend.js';
import { QUEUES, type MatchJobData } from './queue-names.js';

export type MatchQueue = {
  queue: Queue<MatchJobData>;
  /**
   * Asks for the master to be brought up to date with everything stored so far. Called after every stored
   * batch and once more when a run ends; the match worker folds every request waiting when it starts into one
   * resolution (see match.worker.ts), so many requests cost one match.
   */
  request(data: MatchJobData): Promise<void>;
  /** Requests waiting for the match stage: the sync worker pauses reading while there are too many. */
  backlog(): Promise<number>;
  /** Resolves when no match job is waiting, delayed or running. */
  waitUntilIdle(options?: { pollMs?: number; timeoutMs?: number }): Promise<boolean>;
  close(): Promise<void>;
};

export function createMatchQueue(backend: QueueBackend): MatchQueue {
  const queue = backend.createQueue<MatchJobData>(QUEUES.match, {
    defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 }, removeOnComplete: { count: 200 }, removeOnFail: { count: 1000 } },
  });
  return {
    queue,
    async request(data) {
      // A batch's request is idempotent: a retried attempt that stores the same batch again asks once.
      const jobId = data.runId !== undefined && data.batch !== undefined ? `run-${data.runId}-batch-${data.batch}` : undefined;
      await queue.add('match', data, jobId ? { jobId } : {});
    },
    backlog: () => queue.getWaitingCount(),
    async waitUntilIdle(options = {}) {
      const started = Date.now();
      for (;;) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
        if (Object.values(counts).every((n) => n === 0)) return true;
        if (options.timeoutMs && Date.now() - started > options.timeoutMs) return false;
        await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
      }
    },
    close: () => queue.close(),
  };
}

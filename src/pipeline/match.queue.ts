import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type MatchJobData } from './queue-names.js';

export type MatchQueue = {
  queue: Queue<MatchJobData>;
  /** Asks for the master to be brought up to date. Requests while one is waiting fold into it; one arriving while a match runs is kept and runs next. */
  request(reason: string): Promise<void>;
  /** Resolves when no match job is waiting, delayed or running. */
  waitUntilIdle(options?: { pollMs?: number; timeoutMs?: number }): Promise<boolean>;
  close(): Promise<void>;
};

export function createMatchQueue(connection: Redis, prefix: string): MatchQueue {
  const queue = new Queue<MatchJobData>(QUEUES.match, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 }, removeOnComplete: { count: 200 }, removeOnFail: { count: 1000 } },
  });
  return {
    queue,
    async request(reason) {
      await queue.add('match', { reason }, { deduplication: { id: 'master', keepLastIfActive: true } });
    },
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

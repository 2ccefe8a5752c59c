/**
 * Every queue Crosswalk uses, named once. Two queues, on purpose (see sync.worker.ts for why normalize stays
 * in the sync job and match.worker.ts for why matching is one coalesced job).
 */
export const QUEUES = {
  sync: 'sync',
  match: 'match',
} as const;

/**
 * A request to bring the master up to date; one runs at a time across every worker process. Requests of a
 * stored batch name it (run and batch number), so the queue's depth reads as "batches waiting for matching".
 */
export type MatchJobData = { reason: string; runId?: number; batch?: number };

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export type SyncJobData = {
  /** Absent on jobs a schedule creates: the worker opens the run record itself. */
  runId?: number;
  connectorId: string;
  stream: string;
  since?: string;
};

/** One stream never runs twice at once: a second request while one is queued or running joins it. */
export function syncDeduplicationId(connectorId: string, stream: string): string {
  return `${connectorId}.${stream}`;
}

/** Job scheduler ids are `schedule:<connector>.<stream>`, so the ones of removed connectors can be found. */
export const SCHEDULER_PREFIX = 'schedule:';

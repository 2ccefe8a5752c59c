/**
 * Every queue Crosswalk uses, named once. Stages after extract (normalize, match, publish) get their own
 * queues as they move out of the extract job.
 */
export const QUEUES = {
  sync: 'sync',
  match: 'match',
} as const;

/** A request to bring the master up to date; one runs at a time across every worker process. */
export type MatchJobData = { reason: string };

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

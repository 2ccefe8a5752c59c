import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';
import type { RunCounts } from '../store/sync-run.repository.js';

/**
 * The Prometheus metrics of one hub process, in a registry of its own (never prom-client's global one, so
 * two engines in one test process do not collide). Counters count what this process did; the queue depth
 * gauges are read from the queues at scrape time, so they describe every process sharing them.
 *
 * Names:
 * - crosswalk_queue_jobs{queue,state}                waiting / active / delayed / failed ... per queue
 * - crosswalk_jobs_completed_total{queue}            jobs this process finished
 * - crosswalk_jobs_failed_total{queue,failure_type}  attempts that failed (a retried attempt counts too)
 * - crosswalk_records_total{stage}                   read, stored (new / changed / unchanged / deleted),
 *                                                    normalized, quarantined, matched, golden_written
 * - crosswalk_sync_run_duration_seconds{connector,stream,status}
 * - crosswalk_sync_backpressure_seconds_total        time sync workers waited for the match stage
 */
export type Metrics = {
  registry: Registry;
  jobCompleted(queue: string): void;
  jobFailed(queue: string, failureType: string): void;
  /** Adds what a batch added to a run's counts (the difference between two snapshots). */
  recordBatch(before: RunCounts, after: RunCounts): void;
  recordMatched(linked: number, goldenWritten: number): void;
  observeRun(labels: { connector: string; stream: string; status: string }, seconds: number): void;
  backpressure(seconds: number): void;
  /** The queues whose depth `/metrics` reports. */
  watchQueues(queues: Queue[]): void;
};

const STAGES: Array<[keyof RunCounts, string]> = [
  ['read', 'read'],
  ['new', 'stored_new'],
  ['changed', 'stored_changed'],
  ['unchanged', 'stored_unchanged'],
  ['deleted', 'stored_deleted'],
  ['normalized', 'normalized'],
  ['quarantined', 'quarantined'],
];

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'crosswalk_process_' });
  const watched: Queue[] = [];

  new Gauge({
    name: 'crosswalk_queue_jobs',
    help: 'Jobs in each queue by state (read from the queue at scrape time).',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        watched.map(async (q) => {
          try {
            const counts = await q.getJobCounts(...STATES);
            for (const state of STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
          } catch {
            // A queue that cannot be read right now (Redis reconnecting) simply has no sample this scrape.
          }
        }),
      );
    },
  });
  const completed = new Counter({ name: 'crosswalk_jobs_completed_total', help: 'Jobs completed by this process.', labelNames: ['queue'], registers: [registry] });
  const failed = new Counter({ name: 'crosswalk_jobs_failed_total', help: 'Job attempts that failed in this process.', labelNames: ['queue', 'failure_type'], registers: [registry] });
  const records = new Counter({ name: 'crosswalk_records_total', help: 'Records through each pipeline stage in this process.', labelNames: ['stage'], registers: [registry] });
  const runs = new Histogram({
    name: 'crosswalk_sync_run_duration_seconds',
    help: 'Duration of finished sync runs, from first start to finish.',
    labelNames: ['connector', 'stream', 'status'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
    registers: [registry],
  });
  const paused = new Counter({ name: 'crosswalk_sync_backpressure_seconds_total', help: 'Seconds sync workers paused because the match stage was behind.', registers: [registry] });

  return {
    registry,
    jobCompleted: (queue) => completed.inc({ queue }),
    jobFailed: (queue, failureType) => failed.inc({ queue, failure_type: failureType }),
    recordBatch(before, after) {
      for (const [key, stage] of STAGES) {
        const delta = Number(after[key] ?? 0) - Number(before[key] ?? 0);
        if (delta > 0) records.inc({ stage }, delta);
      }
    },
    recordMatched(linked, goldenWritten) {
      if (linked > 0) records.inc({ stage: 'matched' }, linked);
      if (goldenWritten > 0) records.inc({ stage: 'golden_written' }, goldenWritten);
    },
    observeRun: (labels, seconds) => runs.observe(labels, seconds),
    backpressure: (seconds) => paused.inc(seconds),
    watchQueues: (queues) => watched.push(...queues),
  };
}

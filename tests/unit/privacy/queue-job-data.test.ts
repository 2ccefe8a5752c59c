import { describe, expectTypeOf, it } from 'vitest';
import type { MatchJobData, SyncJobData } from '../../../src/pipeline/queue-names.js';

/**
 * Erasure does not touch Redis (or the PostgreSQL queue backend) because BullMQ jobs carry no personal data: a sync
 * job names a run, a connector and a stream; a match job a reason, a run and a batch number. Records travel through
 * the store, never through the queue. If a job ever carries more, this fails: erasure must then learn to clean the
 * queues (job data, return values and failed reasons), and the README must say so. Checked by tsc (`npm test` runs it).
 */
describe('queue job data', () => {
  it('carries ids only', () => {
    expectTypeOf<SyncJobData>().toEqualTypeOf<{ runId?: number; connectorId: string; stream: string; since?: string }>();
    expectTypeOf<MatchJobData>().toEqualTypeOf<{ reason: string; runId?: number; batch?: number }>();
  });
});

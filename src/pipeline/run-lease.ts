import { randomUUID } from 'node:crypto';
import { CrosswalkError } from '../errors.js';
import type { Queryable } from '../store/database.js';

/**
 * Fencing for sync runs. BullMQ hands a job whose lock expired to another worker, but cannot stop the first
 * one (a worker paused by the OS, or cut off from Redis, still runs its processor). Each attempt takes a fresh
 * lease on the run; each batch transaction locks the run row and checks the lease before committing, so a
 * superseded attempt rolls back instead of storing a batch twice or moving the checkpoint backwards.
 * (Kept beside the worker rather than in src/store because only the sync worker uses it.)
 */
export class LeaseLostError extends CrosswalkError {
  constructor(runId: number) {
    super('sync.lease_lost', `Run ${runId} was taken over by another worker; this attempt stops without storing its batch.`, { failureType: 'transient' });
    this.name = 'LeaseLostError';
  }
}

export async function takeRunLease(db: Queryable, runId: number): Promise<string> {
  const lease = randomUUID();
  await db.query('UPDATE sync_run SET lease = $2 WHERE id = $1', [runId, lease]);
  return lease;
}

/** Inside the batch transaction: holds the run row until commit, and fails when another attempt owns it. */
export async function assertRunLease(tx: Queryable, runId: number, lease: string): Promise<void> {
  const { rows } = await tx.query<{ lease: string | null }>('SELECT lease FROM sync_run WHERE id = $1 FOR UPDATE', [runId]);
  if (rows[0]?.lease !== lease) throw new LeaseLostError(runId);
}

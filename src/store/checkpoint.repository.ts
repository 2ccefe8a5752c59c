import type { Checkpoint } from '../sdk/index.js';
import type { Queryable } from './database.js';

export async function loadCheckpoint(db: Queryable, connector: string, stream: string): Promise<Checkpoint | undefined> {
  const { rows } = await db.query<{ state: Checkpoint }>('SELECT state FROM sync_checkpoint WHERE connector = $1 AND stream = $2', [connector, stream]);
  return rows[0]?.state;
}

/** Saved in the same transaction as the batch it follows: a crash leaves both or neither. */
export async function saveCheckpoint(db: Queryable, connector: string, stream: string, state: Checkpoint, runId?: number): Promise<void> {
  await db.query(
    `INSERT INTO sync_checkpoint (connector, stream, state, run_id, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (connector, stream) DO UPDATE SET state = excluded.state, run_id = excluded.run_id, updated_at = now()`,
    [connector, stream, JSON.stringify(state), runId ?? null],
  );
}

export async function clearCheckpoint(db: Queryable, connector: string, stream: string): Promise<void> {
  await db.query('DELETE FROM sync_checkpoint WHERE connector = $1 AND stream = $2', [connector, stream]);
}

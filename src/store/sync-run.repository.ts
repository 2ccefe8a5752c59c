import type { Queryable } from './database.js';

export type RunCounts = {
  read: number;
  new: number;
  changed: number;
  unchanged: number;
  deleted: number;
  quarantined: number;
  normalized: number;
  fieldIssues: number;
  batches: number;
  progress?: number;
};

export const EMPTY_COUNTS: RunCounts = { read: 0, new: 0, changed: 0, unchanged: 0, deleted: 0, quarantined: 0, normalized: 0, fieldIssues: 0, batches: 0 };

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export type SyncRun = {
  id: number;
  connector: string;
  stream: string;
  status: RunStatus;
  trigger: string;
  counts: RunCounts;
  error: { code: string; message: string; failureType: string } | null;
  since: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

const COLUMNS = `id, connector, stream, status, trigger, counts, error, since, created_at, started_at, finished_at`;

type Row = {
  id: number;
  connector: string;
  stream: string;
  status: RunStatus;
  trigger: string;
  counts: RunCounts;
  error: SyncRun['error'];
  since: Date | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

function toRun(r: Row): SyncRun {
  return {
    id: r.id,
    connector: r.connector,
    stream: r.stream,
    status: r.status,
    trigger: r.trigger,
    counts: { ...EMPTY_COUNTS, ...r.counts },
    error: r.error,
    since: r.since?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

export async function createRun(db: Queryable, input: { connector: string; stream: string; trigger: string; since?: string }): Promise<SyncRun> {
  const { rows } = await db.query<Row>(
    `INSERT INTO sync_run (connector, stream, status, trigger, since, counts) VALUES ($1, $2, 'queued', $3, $4, $5) RETURNING ${COLUMNS}`,
    [input.connector, input.stream, input.trigger, input.since ?? null, JSON.stringify(EMPTY_COUNTS)],
  );
  return toRun(rows[0]!);
}

export async function getRun(db: Queryable, id: number): Promise<SyncRun | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM sync_run WHERE id = $1`, [id]);
  return rows[0] ? toRun(rows[0]) : undefined;
}

export async function listRuns(db: Queryable, filter: { connector?: string; limit?: number } = {}): Promise<SyncRun[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM sync_run WHERE ($1::text IS NULL OR connector = $1) ORDER BY id DESC LIMIT $2`,
    [filter.connector ?? null, filter.limit ?? 50],
  );
  return rows.map(toRun);
}

export async function markRunStarted(db: Queryable, id: number): Promise<void> {
  // A retried run keeps its counts: they describe the batches already stored.
  await db.query(`UPDATE sync_run SET status = 'running', started_at = COALESCE(started_at, now()), error = NULL WHERE id = $1`, [id]);
}

export async function saveRunCounts(db: Queryable, id: number, counts: RunCounts): Promise<void> {
  await db.query(`UPDATE sync_run SET counts = $2 WHERE id = $1`, [id, JSON.stringify(counts)]);
}

export async function finishRun(
  db: Queryable,
  id: number,
  outcome: { status: Exclude<RunStatus, 'queued' | 'running'>; error?: SyncRun['error'] },
): Promise<void> {
  await db.query(`UPDATE sync_run SET status = $2, error = $3, finished_at = now() WHERE id = $1`, [id, outcome.status, outcome.error ? JSON.stringify(outcome.error) : null]);
}

/** Records a failure that will be retried: the run stays running, with the last error visible. */
export async function noteRunError(db: Queryable, id: number, error: NonNullable<SyncRun['error']>): Promise<void> {
  await db.query(`UPDATE sync_run SET error = $2 WHERE id = $1`, [id, JSON.stringify(error)]);
}

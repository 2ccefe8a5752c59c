import type { Queryable } from './database.js';

export type QuarantineInput = {
  runId?: number;
  connector: string;
  stream: string;
  sourceId?: string;
  reasonCode: string;
  reason: string;
  payload: unknown;
};

export type QuarantinedRecord = QuarantineInput & { id: number; createdAt: string; replayedAt: string | null };

export async function quarantineRecords(db: Queryable, items: QuarantineInput[]): Promise<void> {
  if (items.length === 0) return;
  await db.query(
    `INSERT INTO quarantine (run_id, connector, stream, source_id, reason_code, reason, payload)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])`,
    [
      items.map((i) => i.runId ?? null),
      items.map((i) => i.connector),
      items.map((i) => i.stream),
      items.map((i) => i.sourceId ?? null),
      items.map((i) => i.reasonCode),
      items.map((i) => i.reason),
      items.map((i) => JSON.stringify(i.payload ?? null)),
    ],
  );
}

export async function listQuarantine(
  db: Queryable,
  filter: { connector?: string; stream?: string; includeReplayed?: boolean; limit?: number } = {},
): Promise<QuarantinedRecord[]> {
  const { rows } = await db.query<{
    id: number;
    run_id: number | null;
    connector: string;
    stream: string;
    source_id: string | null;
    reason_code: string;
    reason: string;
    payload: unknown;
    created_at: Date;
    replayed_at: Date | null;
  }>(
    `SELECT * FROM quarantine
      WHERE ($1::text IS NULL OR connector = $1) AND ($2::text IS NULL OR stream = $2) AND ($3 OR replayed_at IS NULL)
      ORDER BY id LIMIT $4`,
    [filter.connector ?? null, filter.stream ?? null, filter.includeReplayed ?? false, filter.limit ?? 1000],
  );
  return rows.map((r) => ({
    id: r.id,
    runId: r.run_id ?? undefined,
    connector: r.connector,
    stream: r.stream,
    sourceId: r.source_id ?? undefined,
    reasonCode: r.reason_code,
    reason: r.reason,
    payload: r.payload,
    createdAt: r.created_at.toISOString(),
    replayedAt: r.replayed_at?.toISOString() ?? null,
  }));
}

export async function markReplayed(db: Queryable, ids: number[]): Promise<void> {
  if (ids.length > 0) await db.query('UPDATE quarantine SET replayed_at = now() WHERE id = ANY($1::bigint[])', [ids]);
}

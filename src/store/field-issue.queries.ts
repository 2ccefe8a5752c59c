import type { Queryable } from './database.js';

/** Field issues recorded by normalization, listed or counted by connector and code. */
export async function listFieldIssues(
  db: Queryable,
  filter: { connector?: string; code?: string; summary?: boolean; limit?: number },
): Promise<Array<Record<string, string | number>>> {
  const where = `($1::text IS NULL OR s.connector = $1) AND ($2::text IS NULL OR i->>'code' = $2)`;
  const from = `FROM normalized_record n JOIN source_record s ON s.id = n.source_record_id, jsonb_array_elements(n.issues) i`;
  if (filter.summary) {
    const { rows } = await db.query<{ connector: string; stream: string; code: string; records: number }>(
      `SELECT s.connector, s.stream, i->>'code' AS code, count(*) AS records ${from} WHERE ${where} GROUP BY 1, 2, 3 ORDER BY 4 DESC`,
      [filter.connector ?? null, filter.code ?? null],
    );
    return rows;
  }
  const { rows } = await db.query<{ connector: string; stream: string; source_id: string; field: string; code: string; message: string }>(
    `SELECT s.connector, s.stream, s.source_id, i->>'field' AS field, i->>'code' AS code, i->>'message' AS message
       ${from} WHERE ${where} ORDER BY s.id LIMIT $3`,
    [filter.connector ?? null, filter.code ?? null, filter.limit ?? 50],
  );
  return rows.map((r) => ({ connector: r.connector, stream: r.stream, 'source id': r.source_id, field: r.field, code: r.code, message: r.message }));
}

import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Queryable } from '../../store/database.js';

const names = new Map<string, string>();

/**
 * Runs a statement as a named prepared statement: each connection parses and plans it once, and PostgreSQL may
 * keep a generic plan, instead of planning it again on every request (planning cost more than executing for the
 * API's hot reads). The name is a hash of the text, so every text gets its own. Only for statements whose text
 * comes from a bounded set of shapes (the search steps, the golden record page), never for ad-hoc SQL.
 */
export function queryPrepared<R extends pg.QueryResultRow>(db: Queryable, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
  let name = names.get(text);
  if (!name) {
    name = `cw_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    if (names.size < 5_000) names.set(text, name);
  }
  // The pool and its clients take a query config as well as a text; Queryable names only the text form.
  const query = db.query.bind(db) as unknown as (config: pg.QueryConfig) => Promise<pg.QueryResult<R>>;
  return query({ name, text, values });
}

import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { ConfigError, TransientError } from '../errors.js';

/** Anything SQL can be sent through: the pool, or a client inside a transaction. */
export type Queryable = {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
};

/**
 * The one way Crosswalk reaches PostgreSQL: a `pg` pool, either over the network to a real server
 * (`DATABASE_URL`) or in-process to embedded PGlite. Everything above this file writes plain SQL against
 * `pg` and never knows which one it has.
 */
export type Database = {
  readonly kind: 'postgres' | 'pglite';
  readonly pool: pg.Pool;
  /** Where the data lives, for messages: a redacted URL or the PGlite data directory. */
  readonly location: string;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export type OpenDatabaseOptions = {
  /** A PostgreSQL connection string; when absent, embedded PGlite is used. */
  url?: string;
  /** PGlite data directory (`./data/pglite` by default), or `memory://` for a throwaway database. */
  dataDir?: string;
  /** Work inside this schema (created if missing): lets tests share one server without colliding. */
  schema?: string;
  maxConnections?: number;
};

// bigint (int8) columns arrive as strings by default; every bigint Crosswalk stores (row ids, counts) fits
// in a double, and numbers are what the rest of the code expects.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.url) return openServer(options.url, options);
  return openEmbedded(options.dataDir ?? './data/pglite', options);
}

async function openServer(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const schema = options.schema;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    ...(schema ? { options: `-c search_path=${quoteIdent(schema)},public` } : {}),
  });
  pool.on('error', () => {
    // An idle client lost its connection (server restart). The pool replaces it; queries in flight see
    // their own error. Without a listener the process would exit.
  });
  try {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw explainConnectError(error, url);
  }
  return wrap('postgres', pool, redactUrl(url), async () => pool.end());
}

async function openEmbedded(dataDir: string, options: OpenDatabaseOptions): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // pg_trgm gives fuzzy name search the same index on the embedded store as on a server.
  const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  // PGlite is one session: a pool of one connection serialises access, which is what it needs.
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  if (options.schema) {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
    await pool.query(`SET search_path TO ${quoteIdent(options.schema)}, public`);
  }
  return wrap('pglite', pool, dataDir, async () => {
    await pool.end();
    await pglite.close();
  });
}

function wrap(kind: Database['kind'], pool: pg.Pool, location: string, close: () => Promise<void>): Database {
  let closed = false;
  return {
    kind,
    pool,
    location,
    query: (text, params) => pool.query(text, params as unknown[]),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

function explainConnectError(error: unknown, url: string): Error {
  const code = (error as { code?: string }).code;
  const where = redactUrl(url);
  if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'ENOTFOUND' || code === '57P03') {
    return new TransientError(
      'store.unreachable',
      `PostgreSQL at ${where} does not answer (${code}). Start the server, or unset DATABASE_URL to use the embedded database.`,
      { cause: error },
    );
  }
  if (code === '28P01' || code === '28000' || code === '3D000') {
    return new ConfigError(
      'store.rejected',
      `PostgreSQL at ${where} refused the connection: ${(error as Error).message}. Check the user, password and database name in DATABASE_URL.`,
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

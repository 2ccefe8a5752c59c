import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import type { Database } from './database.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export type Migration = { version: number; name: string; sql: string; checksum: string };
export type MigrationReport = { applied: Migration[]; alreadyApplied: number };

/** Reads `NNN-name.sql` files in version order. Versions are unique and never reused. */
export function listMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 3)),
        name: file.slice(4, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex').slice(0, 16),
      };
    });
  migrations.forEach((m, i) => {
    const previous = migrations[i - 1];
    if (previous && previous.version === m.version) throw new ConfigError('migrate.duplicate', `Two migrations share version ${m.version}: ${previous.name} and ${m.name}.`);
  });
  return migrations;
}

/**
 * Forward-only: applies every migration not yet recorded, each in its own transaction, under an advisory
 * lock so two processes starting together do not race. An applied migration whose file changed is refused:
 * a migration, once shipped, is history.
 */
export async function migrate(db: Database, migrations: Migration[] = listMigrations()): Promise<MigrationReport> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migration (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  return db.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(4242001)');
    const { rows } = await client.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migration');
    const done = new Map(rows.map((r) => [r.version, r]));
    const applied: Migration[] = [];
    for (const m of migrations) {
      const previous = done.get(m.version);
      if (previous) {
        if (previous.checksum !== m.checksum) {
          throw new ConfigError(
            'migrate.changed',
            `Migration ${m.version}-${m.name} was changed after it was applied (checksum ${previous.checksum} -> ${m.checksum}). Add a new migration instead of editing an applied one.`,
          );
        }
        continue;
      }
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      applied.push(m);
    }
    return { applied, alreadyApplied: done.size };
  });
}

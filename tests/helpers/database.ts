import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase, quoteIdent, type Database } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrate.js';

export type StoreKind = 'pglite' | 'postgres';

/** The PostgreSQL server the integration tests use; each test file works in a schema of its own. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const STORE_KINDS: StoreKind[] = ['pglite', 'postgres'];

/** A fresh, migrated store of either kind, and a function that removes every trace of it. */
export async function openTestDatabase(kind: StoreKind): Promise<{ db: Database; dispose: () => Promise<void> }> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'crosswalk-test-'));
    const template = process.env.CROSSWALK_TEST_PGLITE_TEMPLATE;
    const dataDir = path.join(dir, 'pglite');
    if (template) cpSync(template, dataDir, { recursive: true });
    const db = await openDatabase({ dataDir });
    await migrate(db);
    return {
      db,
      dispose: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase({ url: TEST_DATABASE_URL, schema, maxConnections: 4 });
  await migrate(db);
  return {
    db,
    dispose: async () => {
      await db.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
      await db.close();
    },
  };
}

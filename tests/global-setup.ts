import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/store/database.js';
import { migrate } from '../src/store/migrate.js';

/**
 * Builds one migrated PGlite data directory for the whole run; each test file copies it instead of paying
 * PGlite's multi-second initialisation again.
 */
export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'crosswalk-template-'));
  const dataDir = path.join(dir, 'pglite');
  const db = await openDatabase({ dataDir });
  await migrate(db);
  await db.close();
  process.env.CROSSWALK_TEST_PGLITE_TEMPLATE = dataDir;
  return () => rmSync(dir, { recursive: true, force: true });
}

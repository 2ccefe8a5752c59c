import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, quoteIdent, type Database } from '../../src/store/database.js';
import { appendAudit } from '../../src/store/master.repository.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { STORE_KINDS, TEST_DATABASE_URL, openTestDatabase } from '../helpers/database.js';

describe.each(STORE_KINDS)('the audit log on %s', (kind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(kind));
  });
  afterAll(async () => dispose?.());

  it('refuses updates, deletes and truncation', async () => {
    await appendAudit(db, { actor: 'steward.ann', action: 'master.merge', entityType: 'hcp', entityId: 'hcp_x', reason: 'same', before: { lastName: 'Vell' }, after: { lastName: 'Vell' } });
    await expect(db.query(`UPDATE audit_log SET actor = 'someone.else'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(db.query('TRUNCATE audit_log')).rejects.toThrow();
    await expect(db.query('TRUNCATE audit_log CASCADE')).rejects.toThrow(/append-only: TRUNCATE refused/);
  });

  it('keeps the values of physician entries apart, where an erasure can remove them, and shows them back through audit_log_entry', async () => {
    await appendAudit(db, { actor: 'admin.bo', action: 'connector.disable', entityType: 'connector', entityId: 'crm', after: { enabled: false } });
    const raw = await db.query<{ action: string; before: unknown; after: unknown }>('SELECT action, before, after FROM audit_log ORDER BY id');
    expect(raw.rows).toEqual([
      { action: 'master.merge', before: null, after: null },
      { action: 'connector.disable', before: null, after: { enabled: false } },
    ]);
    const view = await db.query<{ action: string; before: unknown; after: unknown; redacted_by_request: number | null }>('SELECT action, before, after, redacted_by_request FROM audit_log_entry ORDER BY id');
    expect(view.rows).toEqual([
      { action: 'master.merge', before: { lastName: 'Vell' }, after: { lastName: 'Vell' }, redacted_by_request: null },
      { action: 'connector.disable', before: null, after: { enabled: false }, redacted_by_request: null },
    ]);
  });
});

describe('the audit log on the PostgreSQL server, seen from the application role', () => {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const role = `crosswalk_app_${randomBytes(4).toString('hex')}`;
  let owner: Database;
  let app: pg.Client;

  beforeAll(async () => {
    owner = await openDatabase({ url: TEST_DATABASE_URL, schema, maxConnections: 2 });
    await migrate(owner);
    // The worst case: an application role granted every privilege on every table, as a careless setup would.
    await owner.query(`CREATE ROLE ${quoteIdent(role)} LOGIN`);
    await owner.query(`GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO ${quoteIdent(role)}`);
    await owner.query(`GRANT ALL ON ALL TABLES IN SCHEMA ${quoteIdent(schema)} TO ${quoteIdent(role)}`);
    await owner.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA ${quoteIdent(schema)} TO ${quoteIdent(role)}`);
    const url = new URL(TEST_DATABASE_URL);
    url.username = role;
    url.password = '';
    app = new pg.Client({ connectionString: url.toString(), options: `-c search_path=${quoteIdent(schema)}` });
    await app.connect();
  });
  afterAll(async () => {
    await app?.end().catch(() => undefined);
    await owner?.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`).catch(() => undefined);
    await owner?.query(`DROP OWNED BY ${quoteIdent(role)}`).catch(() => undefined);
    await owner?.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`).catch(() => undefined);
    await owner?.close();
  });

  it('lets the application append, and nothing else, even with every table privilege', async () => {
    await app.query(`INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after) VALUES ('steward.ann', 'master.merge', 'hcp', 'hcp_y', '{"lastName": "Vell"}', '{"lastName": "Vell"}')`);
    await expect(app.query(`UPDATE audit_log SET reason = 'rewritten'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(app.query('DELETE FROM audit_log')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(app.query('TRUNCATE audit_log CASCADE')).rejects.toThrow(/append-only: TRUNCATE refused/);
    // Nor can it take the guard away: only the owner (the role that ran the migrations) can.
    await expect(app.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update')).rejects.toThrow(/must be owner/);
    await expect(app.query('DROP TRIGGER audit_log_no_update ON audit_log')).rejects.toThrow(/must be owner/);
    await expect(app.query('DROP TABLE audit_log CASCADE')).rejects.toThrow(/must be owner/);
    const { rows } = await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(rows[0]!.n).toBe(1);
  });
});

describe('migration 010 on a store that already has audit entries', () => {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ url: TEST_DATABASE_URL, schema, maxConnections: 2 });
  });
  afterAll(async () => {
    await db.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
    await db.close();
  });

  it('moves the values of existing physician entries apart, unchanged, and leaves the append-only guard on', async () => {
    const all = listMigrations();
    await migrate(db, all.filter((m) => m.version < 10));
    await db.query(`INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after) VALUES ('steward.ann', 'master.merge', 'hcp', 'hcp_z', '{"firstName": "Ida"}', '{"firstName": "Ida"}'), ('admin', 'x', 'connector', 'crm', NULL, '{"enabled": true}')`);
    await migrate(db, all);
    const raw = await db.query('SELECT entity_type, before, after FROM audit_log ORDER BY id');
    expect(raw.rows).toEqual([
      { entity_type: 'hcp', before: null, after: null },
      { entity_type: 'connector', before: null, after: { enabled: true } },
    ]);
    const view = await db.query('SELECT entity_type, before, after FROM audit_log_entry ORDER BY id');
    expect(view.rows[0]).toEqual({ entity_type: 'hcp', before: { firstName: 'Ida' }, after: { firstName: 'Ida' } });
    await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });
});

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatchQueue } from '../../src/pipeline/match.queue.js';
import { pgliteBackend, postgresBackend, type QueueBackend } from '../../src/pipeline/queue-backend.js';
import { createSyncQueue } from '../../src/pipeline/sync.queue.js';
import { startSyncWorker } from '../../src/pipeline/sync.worker.js';
import type { Database } from '../../src/store/database.js';
import { createCountingSource, singleSourceWorkspace } from '../fakes/counting-connector.js';
import { openTestDatabase, TEST_DATABASE_URL } from '../helpers/database.js';

const logger = pino({ level: 'silent' });

/**
 * QUEUE_BACKEND=postgres: the same queues and workers on BullMQ's PostgreSQL backend, no Redis involved. The
 * store here is the PostgreSQL server too (the queues need a server: see README "Queues without Redis").
 */
describe('sync runs on the PostgreSQL queue backend', () => {
  let db: Database;
  let dispose: () => Promise<void>;
  let backend: QueueBackend;
  const schema = `cw_q_test_${randomBytes(5).toString('hex')}`;
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase('postgres'));
    backend = postgresBackend(TEST_DATABASE_URL, schema);
  });
  afterAll(async () => {
    await backend?.close();
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    await dispose?.();
  });

  it('runs a sync, retries a transient failure from its checkpoint, asks matching to follow each batch, and joins a duplicate request', async () => {
    const source = createCountingSource({ total: 60, batchSize: 10, failOnceAtBatch: 3 });
    const { workspace, mappings } = singleSourceWorkspace(source.definition);
    const queue = createSyncQueue(db, backend);
    const match = createMatchQueue(backend);
    const worker = startSyncWorker(
      { db, workspace, mappings, logger },
      {
        backend,
        onBatchStored: (runId, batch) => match.request({ reason: 'test', runId, batch }),
        onRunSucceeded: (runId) => match.request({ reason: 'test', runId }),
      },
    );
    try {
      const { run } = await queue.request({ connectorId: 'source', stream: 'items', trigger: 'test' });
      const again = await queue.request({ connectorId: 'source', stream: 'items', trigger: 'test' });
      expect(again).toMatchObject({ joined: true, run: { id: run.id } });
      const done = await queue.waitForRun(run.id, { timeoutMs: 30_000 });
      expect(done.status).toBe('succeeded');
      expect(source.served).toEqual([0, 1, 2, 3, 4, 5]);
      expect(done.counts).toMatchObject({ read: 60, new: 60 });
      // One request per stored batch plus one for the end of the run, waiting for a match worker.
      expect(await match.backlog()).toBe(7);
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM source_record');
      expect(rows[0]!.n).toBe(60);
    } finally {
      await worker.close();
      await queue.close();
      await match.close();
    }
  });
});

describe('sync runs on the embedded PGlite queue backend (no Redis, no server)', () => {
  it('runs a sync and retries a transient failure from its checkpoint', async () => {
    const { db, dispose } = await openTestDatabase('pglite');
    const backend = await pgliteBackend('memory://');
    const source = createCountingSource({ total: 40, batchSize: 10, failOnceAtBatch: 2 });
    const { workspace, mappings } = singleSourceWorkspace(source.definition);
    const queue = createSyncQueue(db, backend);
    const worker = startSyncWorker({ db, workspace, mappings, logger }, { backend });
    try {
      const { run } = await queue.request({ connectorId: 'source', stream: 'items', trigger: 'test' });
      const done = await queue.waitForRun(run.id, { timeoutMs: 30_000 });
      expect(done.status).toBe('succeeded');
      expect(source.served).toEqual([0, 1, 2, 3]);
      expect(done.counts).toMatchObject({ read: 40, new: 40 });
    } finally {
      await worker.close();
      await queue.close();
      await backend.close();
      await dispose();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisBackend, type QueueBackend } from '../../src/pipeline/queue-backend.js';
import { createMatchQueue } from '../../src/pipeline/match.queue.js';
import { createSyncQueue, type SyncQueue } from '../../src/pipeline/sync.queue.js';
import { startSyncWorker } from '../../src/pipeline/sync.worker.js';
import { syncStream } from '../../src/pipeline/sync-stream.js';
import { createRun } from '../../src/store/sync-run.repository.js';
import type { Database } from '../../src/store/database.js';
import { createCountingSource, singleSourceWorkspace } from '../fakes/counting-connector.js';
import { openTestDatabase } from '../helpers/database.js';

const logger = pino({ level: 'silent' });
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('sync runs', () => {
  let db: Database;
  let dispose: () => Promise<void>;
  const closers: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase('pglite'));
  });
  afterEach(async () => {
    while (closers.length) await closers.pop()!();
    await db.query('TRUNCATE sync_checkpoint, normalized_record, rx_fact, quarantine, source_record, sync_run CASCADE');
  });
  afterAll(async () => dispose?.());

  async function engine(source: ReturnType<typeof createCountingSource>, extra: Partial<Parameters<typeof startSyncWorker>[1]> = {}) {
    const { workspace, mappings } = singleSourceWorkspace(source.definition);
    const backend = testBackend();
    const queue: SyncQueue = createSyncQueue(db, backend);
    // Retries wait 1 s, 2 s ...: fine for a test that fails once.
    const worker = startSyncWorker({ db, workspace, mappings, logger }, { backend, ...extra });
    closers.push(async () => {
      await worker.close();
      await queue.queue.obliterate({ force: true });
      await queue.close();
      await backend.close();
    });
    return queue;
  }

  function testBackend(): QueueBackend {
    return redisBackend(REDIS_URL, `cw-test-${randomBytes(4).toString('hex')}`);
  }

  it('reports everything unchanged when the same input runs twice', async () => {
    const source = createCountingSource({ total: 50, batchSize: 10 });
    const { workspace, mappings } = singleSourceWorkspace(source.definition);
    const deps = { db, workspace, mappings, logger };
    const run1 = await createRun(db, { connector: 'source', stream: 'items', trigger: 'test' });
    const first = await syncStream(deps, { runId: run1.id, connectorId: 'source', stream: 'items' });
    expect(first).toMatchObject({ read: 50, new: 50, unchanged: 0, normalized: 50, batches: 5 });
    // The source restarts from the beginning when its checkpoint is cleared, as a snapshot file does.
    await db.query('DELETE FROM sync_checkpoint');
    const run2 = await createRun(db, { connector: 'source', stream: 'items', trigger: 'test' });
    const second = await syncStream(deps, { runId: run2.id, connectorId: 'source', stream: 'items' });
    expect(second).toMatchObject({ read: 50, new: 0, changed: 0, unchanged: 50, normalized: 0 });
  });

  it('retries a transient failure at batch 3 and resumes from batch 3, not from the start', async () => {
    const source = createCountingSource({ total: 60, batchSize: 10, failOnceAtBatch: 3 });
    const queue = await engine(source);
    const { run } = await queue.request({ connectorId: 'source', stream: 'items', trigger: 'test' });
    const done = await queue.waitForRun(run.id, { timeoutMs: 30_000 });
    expect(done.status).toBe('succeeded');
    expect(source.served).toEqual([0, 1, 2, 3, 4, 5]);
    expect(done.counts).toMatchObject({ read: 60, new: 60 });
    const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM source_record');
    expect(rows[0]!.n).toBe(60);
  });

  it('fails a run with bad credentials at once, without retrying, and says what to do', async () => {
    const source = createCountingSource({ total: 10, batchSize: 10, badCredentials: true });
    const queue = await engine(source);
    const { run } = await queue.request({ connectorId: 'source', stream: 'items', trigger: 'test' });
    const done = await queue.waitForRun(run.id, { timeoutMs: 30_000 });
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ code: 'auth.invalid', failureType: 'config' });
    expect(done.error!.message).toMatch(/reconnect the connector/);
    const job = await queue.queue.getJob(`run-${run.id}`);
    expect(job!.attemptsMade).toBe(1);
  });

  it('joins a second request for a stream that is already queued instead of running it twice', async () => {
    const backend = testBackend();
    const queue = createSyncQueue(db, backend);
    closers.push(async () => {
      await queue.queue.obliterate({ force: true });
      await queue.close();
      await backend.close();
    });
    const first = await queue.request({ connectorId: 'source', stream: 'items', trigger: 'test' });
    const second = await queue.request({ connectorId: 'source', stream: 'items', trigger: 'test' });
    expect(first.joined).toBe(false);
    expect(second.joined).toBe(true);
    expect(second.run.id).toBe(first.run.id);
    expect(await queue.queue.count()).toBe(1);
  });

  it('keeps job schedulers in step with the workspace: a removed connector loses its schedule', async () => {
    const source = createCountingSource({ total: 1, batchSize: 1 });
    const { workspace } = singleSourceWorkspace(source.definition);
    const backend = testBackend();
    const queue = createSyncQueue(db, backend);
    closers.push(async () => {
      await queue.queue.obliterate({ force: true });
      await queue.close();
      await backend.close();
    });
    workspace.connectors[0]!.schedule = { cron: '0 2 * * *', tz: 'America/New_York' };
    expect(await queue.applySchedules(workspace)).toEqual({ active: ['schedule:source.items'], removed: [] });
    const [scheduler] = await queue.queue.getJobSchedulers();
    expect(scheduler).toMatchObject({ key: 'schedule:source.items', pattern: '0 2 * * *', tz: 'America/New_York' });
    workspace.connectors = [];
    expect(await queue.applySchedules(workspace)).toEqual({ active: [], removed: ['schedule:source.items'] });
    expect(await queue.queue.getJobSchedulers()).toEqual([]);
  });

  it('quarantines a record without a source id and keeps the rest of its batch', async () => {
    const source = createCountingSource({ total: 3, batchSize: 3 });
    const { workspace, mappings } = singleSourceWorkspace(source.definition);
    const original = source.definition.read;
    source.definition.read = async function* (config, context) {
      for await (const batch of original(config, context)) {
        batch.records[1]!.payload.id = '';
        yield batch;
      }
    };
    const run = await createRun(db, { connector: 'source', stream: 'items', trigger: 'test' });
    const counts = await syncStream({ db, workspace, mappings, logger }, { runId: run.id, connectorId: 'source', stream: 'items' });
    expect(counts).toMatchObject({ read: 3, new: 2, quarantined: 1 });
    const { rows } = await db.query<{ reason_code: string; payload: { name: string } }>('SELECT reason_code, payload FROM quarantine');
    expect(rows).toEqual([{ reason_code: 'record.no_id', payload: { id: '', name: 'Record 1' } }]);
  });

  it('pauses reading while the match stage is behind, and goes on when it catches up', async () => {
    const source = createCountingSource({ total: 200, batchSize: 10 });
    const backend = testBackend();
    const match = createMatchQueue(backend);
    closers.push(async () => {
      await match.queue.obliterate({ force: true });
      await match.close();
      await backend.close();
    });
    // No match worker: every stored batch leaves a request waiting, as when matching falls behind.
    const queue = await engine(source, {
      onBatchStored: (runId, batch) => match.request({ reason: 'test', runId, batch }),
      backpressure: { backlog: match.backlog, limit: 3, pollMs: 50 },
    });
    const { run } = await queue.request({ connectorId: 'source', stream: 'items', trigger: 'test' });
    await until(async () => (await match.backlog()) >= 4);
    // Paused: however long we wait, the worker reads no further than one batch past the limit.
    await new Promise((r) => setTimeout(r, 500));
    expect(source.served.length).toBe(4);
    expect((await queue.waitForRun(run.id, { timeoutMs: 1 })).status).toBe('running');
    // The match stage catches up (takes the waiting requests, as its worker does): reading resumes.
    const drain = setInterval(() => void match.queue.drain(), 50);
    closers.push(async () => clearInterval(drain));
    const done = await queue.waitForRun(run.id, { timeoutMs: 30_000 });
    expect(done.status).toBe('succeeded');
    expect(done.counts).toMatchObject({ read: 200, new: 200, batches: 20 });
  });

  it('retries a failed run from its checkpoint with `retry`, keeping what it stored', async () => {
    // A config error at batch 2 (someone revoked a permission) fails the run at once; it is fixed, then retried.
    const source = createCountingSource({ total: 50, batchSize: 10, failOnceAtBatch: 2, failureType: 'config' });
    const queue = await engine(source);
    const { run } = await queue.request({ connectorId: 'source', stream: 'items', trigger: 'test' });
    const failed = await queue.waitForRun(run.id, { timeoutMs: 30_000 });
    expect(failed.status).toBe('failed');
    expect(failed.counts).toMatchObject({ read: 20, batches: 2 });
    const retried = await queue.retry(run.id);
    expect(retried.status).toBe('queued');
    const done = await queue.waitForRun(run.id, { timeoutMs: 30_000 });
    expect(done.status).toBe('succeeded');
    expect(source.served).toEqual([0, 1, 2, 3, 4]);
    expect(done.counts).toMatchObject({ read: 50, new: 50, batches: 5 });
    await expect(queue.retry(run.id)).rejects.toThrow(/only a failed run/);
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

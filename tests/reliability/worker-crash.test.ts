import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getRun } from '../../src/store/sync-run.repository.js';
import { createEnvironment, storedDigest, until, writeNumberedFile, writeNumberedMapping, type Environment } from './harness.js';

const RECORDS = 100_000;

describe('a worker process that dies or is stopped mid-run', () => {
  let environment: Environment | undefined;
  afterEach(async () => {
    await environment?.dispose();
    environment = undefined;
  });

  async function setUp(records: number) {
    let expected: { digest: string } | undefined;
    const file = async (dir: string) => (expected = await writeNumberedFile(path.join(dir, 'items.csv'), records));
    let dirForFile = '';
    environment = await createEnvironment(
      (dir) => {
        dirForFile = dir;
        return {
          mappingsDir: writeNumberedMapping(dir, 'items', 'records'),
          connectors: `  - id: items\n    type: delimited-file\n    config: { path: items.csv, stream: records }\n`,
        };
      },
      // Only sync workers: these tests are about extract and store; no match stage, so no backpressure either.
      { CROSSWALK_MATCH_BACKLOG_LIMIT: '0' },
    );
    await file(dirForFile);
    return { env: environment, expected: expected! };
  }

  it('completes a 100,000-record run with every record stored exactly once after kill -9 of its worker', async () => {
    const { env, expected } = await setUp(RECORDS);
    const first = await env.spawnWorker(['--queues', 'sync']);
    const { run } = await env.engine.sync.request({ connectorId: 'items', stream: 'records', trigger: 'test' });
    await until(async () => ((await getRun(env.hub.db, run.id))?.counts.batches ?? 0) >= 10);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    const before = (await getRun(env.hub.db, run.id))!;
    expect(before.status).toBe('running');
    expect(before.counts.read).toBeLessThan(RECORDS);

    // Another worker takes the run over once the dead one's lock has expired, from the last checkpoint.
    await env.spawnWorker(['--queues', 'sync']);
    const done = await env.engine.sync.waitForRun(run.id, { timeoutMs: 90_000 });
    expect(done.status).toBe('succeeded');
    expect(done.counts).toMatchObject({ read: RECORDS, new: RECORDS, changed: 0, unchanged: 0, normalized: RECORDS });
    const stored = await storedDigest(env.hub, 'items', 'records');
    expect(stored).toEqual({ rows: RECORDS, distinct: RECORDS, digest: expected.digest });
    const { rows } = await env.hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM normalized_record');
    expect(rows[0]!.n).toBe(RECORDS);
  });

  it('hands the run back on SIGTERM after its current batch, and the next worker finishes it with nothing lost', async () => {
    const records = 30_000;
    const { env, expected } = await setUp(records);
    const first = await env.spawnWorker(['--queues', 'sync']);
    const { run } = await env.engine.sync.request({ connectorId: 'items', stream: 'records', trigger: 'test' });
    await until(async () => ((await getRun(env.hub.db, run.id))?.counts.batches ?? 0) >= 3);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('run handed back after its last stored batch');

    // Not failed, not retried: waiting for the next worker, with everything it stored kept.
    const paused = (await getRun(env.hub.db, run.id))!;
    expect(paused.status).toBe('running');
    const job = (await env.engine.sync.queue.getJob(`run-${run.id}`))!;
    expect(await job.getState()).toBe('waiting');
    expect(job.attemptsMade).toBe(0);
    expect((await storedDigest(env.hub, 'items', 'records')).rows).toBe(paused.counts.read);

    await env.spawnWorker(['--queues', 'sync']);
    const done = await env.engine.sync.waitForRun(run.id, { timeoutMs: 60_000 });
    expect(done.status).toBe('succeeded');
    expect(done.counts).toMatchObject({ read: records, new: records });
    expect(await storedDigest(env.hub, 'items', 'records')).toEqual({ rows: records, distinct: records, digest: expected.digest });
  });
});

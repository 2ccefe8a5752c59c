import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { Hub } from '../../src/hub.js';
import { getRun } from '../../src/store/sync-run.repository.js';
import { createEnvironment, storedDigest, until, writeNumberedFile, writeNumberedMapping, type Environment } from './harness.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('a run whose connections drop, and a run of the same input twice', () => {
  let environment: Environment | undefined;
  afterEach(async () => {
    await environment?.dispose();
    environment = undefined;
  });

  it('recovers when every Redis connection is killed mid-run, and completes with each record stored once', async () => {
    const records = 40_000;
    let dir = '';
    environment = await createEnvironment(
      (d) => {
        dir = d;
        return { mappingsDir: writeNumberedMapping(d, 'items', 'records'), connectors: `  - id: items\n    type: delimited-file\n    config: { path: items.csv, stream: records }\n` };
      },
      { CROSSWALK_MATCH_BACKLOG_LIMIT: '0' },
    );
    const expected = await writeNumberedFile(path.join(dir, 'items.csv'), records);
    const env = environment;
    await env.spawnWorker(['--queues', 'sync']);
    const { run } = await env.engine.sync.request({ connectorId: 'items', stream: 'records', trigger: 'test' });
    const killer = new Redis(REDIS_URL);
    try {
      let kills = 0;
      let lastBatches = 0;
      // Kill every normal client (the worker's, the test's own queue connections; not this one) each time a few
      // more batches were stored, until the run is over or we did it five times.
      while (kills < 5) {
        await until(async () => {
          const r = await getRun(env.hub.db, run.id);
          return !r || r.status !== 'running' || r.counts.batches >= lastBatches + 3;
        }, 60_000, 50);
        const current = (await getRun(env.hub.db, run.id))!;
        if (current.status !== 'running' && current.status !== 'queued') break;
        lastBatches = current.counts.batches;
        await killer.call('CLIENT', 'KILL', 'TYPE', 'normal');
        kills += 1;
      }
      expect(kills).toBeGreaterThan(0);
    } finally {
      killer.disconnect();
    }
    const done = await env.engine.sync.waitForRun(run.id, { timeoutMs: 90_000 });
    expect(done.status).toBe('succeeded');
    expect(done.counts).toMatchObject({ read: records, new: records });
    expect(await storedDigest(env.hub, 'items', 'records')).toEqual({ rows: records, distinct: records, digest: expected.digest });
  });

  it('reports everything unchanged the second time the same file runs, and changes no golden record', async () => {
    environment = await createEnvironment((d) => {
      copyFileSync(path.resolve('examples/demo/sources/veeva-crm.accounts.csv'), path.join(d, 'veeva.csv'));
      return { connectors: `  - id: veeva-crm\n    type: delimited-file\n    config: { path: veeva.csv, stream: accounts }\n` };
    });
    const env = environment;
    // Sync and match workers: each run is followed by master resolution.
    await env.spawnWorker(['--queues', 'sync,match']);

    const first = await runAndSettle(env);
    expect(first.status).toBe('succeeded');
    expect(first.counts.new).toBeGreaterThan(300);
    const goldenAfterFirst = await goldenState(env.hub);
    expect(goldenAfterFirst.records.length).toBeGreaterThan(100);

    const second = await runAndSettle(env);
    expect(second.status).toBe('succeeded');
    expect(second.counts).toMatchObject({ read: first.counts.read, new: 0, changed: 0, deleted: 0, unchanged: first.counts.read - first.counts.quarantined, normalized: 0 });
    expect(await goldenState(env.hub)).toEqual(goldenAfterFirst);
  });
});

async function runAndSettle(env: Environment) {
  const { run } = await env.engine.sync.request({ connectorId: 'veeva-crm', stream: 'accounts', trigger: 'test' });
  const done = await env.engine.sync.waitForRun(run.id, { timeoutMs: 60_000 });
  expect(await env.engine.match.waitUntilIdle({ timeoutMs: 60_000 })).toBe(true);
  return done;
}

async function goldenState(hub: Hub) {
  const { rows: records } = await hub.db.query<{ master_id: string; version: number }>('SELECT master_id, version FROM golden_record ORDER BY master_id');
  const { rows: history } = await hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM golden_record_history');
  const { rows: outbox } = await hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
  return { records, history: history[0]!.n, outbox: outbox[0]!.n };
}

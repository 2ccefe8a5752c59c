import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi, type Api } from '../../src/api/app.js';
import { createUser, issueApiKey } from '../../src/auth/user.repository.js';
import { loadSettings } from '../../src/config.js';
import type { Hub } from '../../src/hub.js';
import { startEngine, type Engine } from '../../src/pipeline/engine.js';
import type { Database } from '../../src/store/database.js';
import { createCountingSource, singleSourceWorkspace } from '../fakes/counting-connector.js';
import { openTestDatabase } from '../helpers/database.js';

describe('the HTTP API', () => {
  let db: Database;
  let dispose: () => Promise<void>;
  let engine: Engine;
  let api: Api;
  let headers: { authorization: string };
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase('pglite'));
    const { workspace, mappings } = singleSourceWorkspace(createCountingSource({ total: 30, batchSize: 10 }).definition);
    const settings = loadSettings({ CROSSWALK_QUEUE_PREFIX: `cw-test-${randomBytes(4).toString('hex')}`, REDIS_URL: process.env.REDIS_URL });
    // No match worker here (the fake source makes no physicians worth matching); the sync worker runs.
    const hub = { settings, logger: pino({ level: 'silent' }), db, workspace, mappings, masterRules: undefined as never, close: async () => undefined } satisfies Hub;
    engine = await startEngine(hub, { workers: ['sync'] });
    api = await buildApi(hub, engine);
    await createUser(db, { name: 'ops', role: 'admin', actor: 'test' });
    headers = { authorization: `Bearer ${(await issueApiKey(db, 'ops', { actor: 'test' })).key}` };
  });
  afterAll(async () => {
    await api?.close();
    await engine?.sync.queue.obliterate({ force: true });
    await engine?.match.queue.obliterate({ force: true });
    await engine?.close();
    await dispose?.();
  });

  it('says the store and the queues are up at /health', async () => {
    const res = await api.inject({ method: 'GET', url: '/health', headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', db: { status: 'up' }, queues: { status: 'up' } });
    // Master search's index loads as the API starts; /health says how far it is.
    expect(['loading', 'ready']).toContain(res.json().searchIndex.status);
  });

  it('starts a manual run with POST /api/connectors/:id/sync and shows it at /api/runs/:id', async () => {
    const res = await api.inject({ method: 'POST', url: '/api/connectors/source/sync', payload: { stream: 'items' }, headers });
    expect(res.statusCode).toBe(202);
    const [run] = res.json().runs;
    expect(run).toMatchObject({ connector: 'source', stream: 'items', status: 'queued', joined: false });
    await engine.sync.waitForRun(run.id, { timeoutMs: 30_000 });
    const got = await api.inject({ method: 'GET', url: `/api/runs/${run.id}`, headers });
    expect(got.json()).toMatchObject({ id: run.id, status: 'succeeded', counts: { read: 30, new: 30 } });
    const list = await api.inject({ method: 'GET', url: '/api/runs?limit=5', headers });
    expect(list.json().runs.map((r: { id: number }) => r.id)).toContain(run.id);
  });

  it('answers every error in one envelope: validation, unknown things, missing routes', async () => {
    const invalid = await api.inject({ method: 'POST', url: '/api/connectors/source/sync', payload: { since: 'last tuesday' }, headers });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ error: { code: 'request.invalid', issues: [{ path: '/since' }] } });
    const unknownConnector = await api.inject({ method: 'POST', url: '/api/connectors/nope/sync', payload: {}, headers });
    expect(unknownConnector.statusCode).toBe(404);
    expect(unknownConnector.json().error).toMatchObject({ code: 'workspace.unknown_connector' });
    const unknownRun = await api.inject({ method: 'GET', url: '/api/runs/999999', headers });
    expect(unknownRun.json()).toEqual({ error: { code: 'run.not_found', message: 'Run 999999 does not exist.' } });
    const badId = await api.inject({ method: 'GET', url: '/api/runs/abc', headers });
    expect(badId.statusCode).toBe(400);
    const noRoute = await api.inject({ method: 'GET', url: '/nowhere', headers });
    expect(noRoute.json()).toMatchObject({ error: { code: 'route.not_found' } });
  });

  it('serves Prometheus metrics, with queue depths and records per stage', async () => {
    const res = await api.inject({ method: 'GET', url: '/metrics', headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(/crosswalk_queue_jobs\{queue="sync",state="completed"\} \d+/);
    expect(res.body).toMatch(/crosswalk_records_total\{stage="read"\} 30/);
    expect(res.body).toMatch(/crosswalk_jobs_completed_total\{queue="sync"\} 1/);
    expect(res.body).toMatch(/crosswalk_sync_run_duration_seconds_count\{connector="source",stream="items",status="succeeded"\} 1/);
  });

  it('serves the queue dashboard at /admin/queues', async () => {
    const page = await api.inject({ method: 'GET', url: '/admin/queues', headers });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<html/i);
    const queues = await api.inject({ method: 'GET', url: '/admin/queues/api/queues', headers });
    expect(queues.statusCode).toBe(200);
    expect(queues.json().queues.map((q: { name: string }) => q.name).sort()).toEqual(['match', 'sync']);
  });
});

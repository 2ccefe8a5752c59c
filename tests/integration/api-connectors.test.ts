import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskSecrets } from '../../src/api/routes/connectors.js';
import { bearer, startTestHub, type TestHub } from '../e2e/harness.js';

describe('connectors, runs and quarantine over HTTP', () => {
  let t: TestHub;
  const admin = (method: 'GET' | 'POST', url: string, payload?: object) => t.api.inject({ method, url, headers: bearer(t.keys.admin), payload });
  beforeAll(async () => {
    t = await startTestHub({ uncertainPairs: 0 });
  });
  afterAll(async () => t?.close());

  it('masks secrets in connector configuration', () => {
    expect(maskSecrets({ path: 'a.csv', auth: { clientSecret: 's3cr3t', username: 'u', password: 'p' }, url: 'postgres://u:pw@host/db' })).toEqual({
      path: 'a.csv',
      auth: { clientSecret: '********', username: 'u', password: '********' },
      url: 'postgres://u:********@host/db',
    });
  });

  it('lists connectors with their schedule, streams and last runs', async () => {
    const { connectors } = (await admin('GET', '/api/connectors')).json();
    expect(connectors.map((c: { id: string }) => c.id)).toEqual(t.hub.workspace.connectors.map((c) => c.id));
    const crm = connectors.find((c: { id: string }) => c.id === t.hub.workspace.connectors[0]!.id);
    expect(crm).toMatchObject({ enabled: true, enabledBy: { source: 'workspace' } });
    expect(crm.streams[0].lastRun).toMatchObject({ connector: crm.id, status: expect.any(String) });
  });

  it('tests a connection with the connector\'s check', async () => {
    const id = t.hub.workspace.connectors.find((c) => c.type === 'delimited-file')!.id;
    const res = await admin('POST', `/api/connectors/${id}/check`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true });
  });

  it('disables and enables a connector, persisted and audited, and refuses to run a disabled one', async () => {
    const id = t.hub.workspace.connectors[0]!.id;
    const off = await admin('POST', `/api/connectors/${id}/disable`, { reason: 'source under maintenance' });
    expect(off.json()).toMatchObject({ enabled: false, enabledBy: { source: 'console', by: 'admin1' } });
    const refused = await admin('POST', `/api/connectors/${id}/sync`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('connector.disabled');
    expect((await admin('POST', `/api/connectors/${id}/enable`, {})).json().enabled).toBe(true);
    const { entries } = (await admin('GET', `/api/audit?entityType=connector&entityId=${id}`)).json();
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['connector.enable', 'connector.disable']);
    expect(entries[1]).toMatchObject({ actor: 'admin1', reason: 'source under maintenance', before: { enabled: true }, after: { enabled: false } });
  });

  it('queues a run now and shows it; only a failed run can be retried', async () => {
    const id = t.hub.workspace.connectors[0]!.id;
    const res = await admin('POST', `/api/connectors/${id}/sync`, {});
    expect(res.statusCode).toBe(202);
    const [run] = res.json().runs;
    expect(run).toMatchObject({ connector: id, status: 'queued', trigger: 'api (admin1)' });
    expect((await admin('GET', `/api/runs/${run.id}`)).json()).toMatchObject({ id: run.id, counts: { read: 0 } });
    expect((await admin('GET', '/api/runs?status=succeeded')).json().runs.every((r: { status: string }) => r.status === 'succeeded')).toBe(true);
    const retry = await admin('POST', `/api/runs/${run.id}/retry`);
    expect(retry.statusCode).toBe(422);
    expect(retry.json().error.code).toBe('run.not_failed');
  });

  it('lists quarantined records and replays them', async () => {
    await t.db.query(
      `INSERT INTO quarantine (connector, stream, source_id, reason_code, reason, payload) VALUES ('nope', 'x', 'q1', 'mapping.missing', 'no mapping', '{"a": 1}')`,
    );
    const { items } = (await admin('GET', '/api/quarantine')).json();
    expect(items.some((i: { sourceId: string }) => i.sourceId === 'q1')).toBe(true);
    const replay = await admin('POST', '/api/quarantine/replay', { connector: 'nope' });
    expect(replay.json()).toMatchObject({ replayed: 0, notReplayable: 1 });
  });
});

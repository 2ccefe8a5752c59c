import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestHub, type TestHub } from '../e2e/harness.js';

describe('API hardening', () => {
  let t: TestHub;
  const previous = process.env.CROSSWALK_API_RATE_LIMIT;
  beforeAll(async () => {
    process.env.CROSSWALK_API_RATE_LIMIT = '5';
    t = await startTestHub({ seedDemo: false });
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.CROSSWALK_API_RATE_LIMIT;
    else process.env.CROSSWALK_API_RATE_LIMIT = previous;
    await t?.close();
  });

  it('sends security headers on every answer, errors included', async () => {
    for (const url of ['/health', '/api/runs', '/api/nothing-here']) {
      const res = await t.api.inject({ method: 'GET', url, headers: bearer(t.keys.viewer), remoteAddress: '10.1.0.1' });
      expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
    }
  });

  it('limits each client to its budget per minute, in the one error envelope, without touching other clients', async () => {
    const call = (key: string) => t.api.inject({ method: 'GET', url: '/api/runs', headers: bearer(key) });
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push((await call(t.keys.steward)).statusCode);
    expect(answers.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await call(t.keys.steward);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect((await call(t.keys.admin)).statusCode).toBe(200);
  });

  it('refuses a body over the size limit', async () => {
    const res = await t.api.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'x'.repeat(3 * 1024 * 1024), password: 'y' }, remoteAddress: '10.1.0.9' });
    expect(res.statusCode).toBe(413);
  });
});

describe('API input handling', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ seedDemo: false });
  });
  afterAll(async () => t?.close());

  it('treats injection attempts in search and filters as plain text: no error, no effect', async () => {
    const { rows: masters } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM master_entity`);
    const attempts = ["'; DROP TABLE golden_record; --", "x' OR '1'='1", '%_\\', '") OR 1=1 --', "Robert'); DELETE FROM audit_log;--"];
    for (const text of attempts) {
      for (const field of ['q', 'name', 'city', 'identifier', 'specialty']) {
        const res = await t.api.inject({ method: 'GET', url: `/api/masters?${field}=${encodeURIComponent(text)}&limit=100`, headers: bearer(t.keys.admin) });
        expect(res.statusCode).toBe(200);
        // A name search is fuzzy and may find a look-alike; none of them opens the whole table, and an exact filter finds nothing.
        expect(res.json().hits.length).toBeLessThan(masters[0]!.n);
        if (field === 'identifier' || field === 'city') expect(res.json().hits).toEqual([]);
      }
      const audit = await t.api.inject({ method: 'GET', url: `/api/audit?actor=${encodeURIComponent(text)}`, headers: bearer(t.keys.admin) });
      expect(audit.statusCode).toBe(200);
    }
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM master_entity`);
    expect(rows[0]!.n).toBe(masters[0]!.n);
  });
});

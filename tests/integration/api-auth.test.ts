import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, PASSWORD, startTestHub, type TestHub } from '../e2e/harness.js';

describe('signing in and API keys', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t?.close());

  const login = (name: string, password: string, ip = '10.0.0.1') => t.api.inject({ method: 'POST', url: '/api/auth/login', payload: { name, password }, remoteAddress: ip });

  it('sets an httpOnly, SameSite=Strict session cookie and returns a CSRF token', async () => {
    const res = await login('steward1', PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'cw_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(res.json()).toMatchObject({ user: { name: 'steward1', role: 'steward' }, csrfToken: expect.any(String) });
    const me = await t.api.inject({ method: 'GET', url: '/api/auth/me', cookies: { cw_session: cookie.value } });
    expect(me.json()).toMatchObject({ name: 'steward1', role: 'steward', via: 'session', csrfToken: res.json().csrfToken });
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await login('steward1', 'not the password', '10.0.0.2');
    const unknown = await login('nobody', 'not the password', '10.0.0.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('needs the CSRF token for a change made with the session cookie, and accepts it', async () => {
    const res = await login('steward1', PASSWORD, '10.0.0.3');
    const cookies = { cw_session: res.cookies.find((c) => c.name === 'cw_session')!.value };
    const [item] = (await t.api.inject({ method: 'GET', url: '/api/review', headers: bearer(t.keys.viewer) })).json().items;
    const url = `/api/review/${item.id}/decision`;
    const noToken = await t.api.inject({ method: 'POST', url, cookies, payload: { decision: 'defer' } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('auth.csrf');
    const crossOrigin = await t.api.inject({ method: 'POST', url, cookies, headers: { 'x-csrf-token': res.json().csrfToken, origin: 'https://evil.example' }, payload: { decision: 'defer' } });
    expect(crossOrigin.json().error.code).toBe('auth.origin');
    const ok = await t.api.inject({ method: 'POST', url, cookies, headers: { 'x-csrf-token': res.json().csrfToken }, payload: { decision: 'defer', reason: 'later' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'deferred', item: { status: 'deferred', resolvedBy: 'steward1' } });
    const logout = await t.api.inject({ method: 'POST', url: '/api/auth/logout', cookies, headers: { 'x-csrf-token': res.json().csrfToken } });
    expect(logout.statusCode).toBe(204);
    expect((await t.api.inject({ method: 'GET', url: '/api/auth/me', cookies })).statusCode).toBe(401);
  });

  it('ends the console session of a user an admin disables at once, though sessions are cached between requests', async () => {
    const created = await t.api.inject({ method: 'POST', url: '/api/users', headers: bearer(t.keys.admin), payload: { name: 'temp-steward', role: 'steward', password: PASSWORD } });
    expect(created.statusCode).toBe(201);
    const res = await login('temp-steward', PASSWORD, '10.0.0.4');
    const cookies = { cw_session: res.cookies.find((c) => c.name === 'cw_session')!.value };
    expect((await t.api.inject({ method: 'GET', url: '/api/auth/me', cookies })).statusCode).toBe(200);
    expect((await t.api.inject({ method: 'GET', url: '/api/masters', cookies })).statusCode).toBe(200);
    const disabled = await t.api.inject({ method: 'PATCH', url: '/api/users/temp-steward', headers: bearer(t.keys.admin), payload: { disabled: true } });
    expect(disabled.statusCode).toBe(200);
    expect((await t.api.inject({ method: 'GET', url: '/api/auth/me', cookies })).statusCode).toBe(401);
  });

  it('rate-limits sign-in attempts per client address', async () => {
    const answers = [];
    for (let i = 0; i < 12; i += 1) answers.push((await login('admin1', 'wrong password', '10.0.0.9')).statusCode);
    expect(answers.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(answers.at(-1)).toBe(429);
    const limited = await login('admin1', PASSWORD, '10.0.0.9');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect((await login('admin1', PASSWORD, '10.0.0.10')).statusCode).toBe(200);
  });

  it('lets an admin create users and issue and revoke keys, each in the audit log without the secret', async () => {
    const created = await t.api.inject({ method: 'POST', url: '/api/users', headers: bearer(t.keys.admin), payload: { name: 'etl-bot', role: 'viewer' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'etl-bot', role: 'viewer', hasPassword: false });
    const issued = await t.api.inject({ method: 'POST', url: '/api/users/etl-bot/keys', headers: bearer(t.keys.admin), payload: { label: 'nightly export' } });
    const { key, info } = issued.json();
    expect(key).toMatch(/^cwk_/);
    expect((await t.api.inject({ method: 'GET', url: '/api/masters', headers: bearer(key) })).statusCode).toBe(200);
    const { rows } = await t.db.query<{ key_hash: string }>('SELECT key_hash FROM api_key WHERE id = $1', [info.id]);
    expect(rows[0]!.key_hash).not.toContain(key.slice(4));
    expect((await t.api.inject({ method: 'DELETE', url: `/api/users/etl-bot/keys/${info.id}`, headers: bearer(t.keys.admin) })).statusCode).toBe(204);
    expect((await t.api.inject({ method: 'GET', url: '/api/masters', headers: bearer(key) })).statusCode).toBe(401);
    const audit = (await t.api.inject({ method: 'GET', url: '/api/audit?entityType=user&entityId=etl-bot', headers: bearer(t.keys.viewer) })).json().entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['user.key_revoked', 'user.key_issued', 'user.create']);
    expect(audit.every((e: { actor: string }) => e.actor === 'admin1')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(key);
    const { rows: passwords } = await t.db.query<{ password_hash: string }>(`SELECT password_hash FROM app_user WHERE name = 'admin1'`);
    expect(passwords[0]!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('will not demote or disable the last admin', async () => {
    const res = await t.api.inject({ method: 'PATCH', url: '/api/users/admin1', headers: bearer(t.keys.admin), payload: { role: 'viewer' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('user.last_admin');
  });
});

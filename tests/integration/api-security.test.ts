import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import { hasRole } from '../../src/auth/roles.js';
import { bearer, startTestHub, type TestHub } from '../e2e/harness.js';

/**
 * Generated from the route table: every route but the public ones refuses a request without credentials (401)
 * and a caller whose role is too low (403), before validation or any handler runs.
 */
const PUBLIC = new Set(['GET /health', 'HEAD /health', 'POST /api/auth/login', 'GET /', 'HEAD /', 'GET /assets/:file', 'HEAD /assets/:file']);

function concreteUrl(url: string): string {
  return url.replace(/:id\b/g, '1').replace(/:name\b/g, 'nobody').replace(/:attribute\b/g, 'lastName').replace(/:file\b/g, 'x.js').replace(/\*$/, 'x');
}

describe('the route table', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ seedDemo: false, uncertainPairs: 0 });
  });
  afterAll(async () => t?.close());

  it('declares public access only for /health, sign-in and the console page and its assets', () => {
    const publicRoutes = t.api.routeCatalog.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`);
    expect(publicRoutes.sort()).toEqual([...PUBLIC].sort());
    expect(t.api.routeCatalog.length).toBeGreaterThan(40);
  });

  it('refuses every other route without credentials, with a bad key, and with a role that is too low', async () => {
    const checked: string[] = [];
    for (const route of t.api.routeCatalog) {
      if (route.access === 'public' || route.method === 'OPTIONS') continue;
      const url = concreteUrl(route.url);
      const method = route.method as 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      const anonymous = await t.api.inject({ method, url });
      expect(anonymous.statusCode, `${route.method} ${route.url} without credentials`).toBe(401);
      if (method !== 'HEAD') expect(anonymous.json().error.code, `${route.method} ${route.url}`).toMatch(/^auth\./);
      const badKey = await t.api.inject({ method, url, headers: bearer('cwk_not-a-key') });
      expect(badKey.statusCode, `${route.method} ${route.url} with a bad key`).toBe(401);
      for (const role of ['viewer', 'steward'] as Role[]) {
        if (hasRole(role, route.access)) continue;
        const res = await t.api.inject({ method, url, headers: bearer(t.keys[role]) });
        expect(res.statusCode, `${route.method} ${route.url} as ${role}`).toBe(403);
      }
      checked.push(`${route.method} ${route.url}`);
    }
    expect(checked).toContain('POST /api/masters/:id/merge');
    expect(checked).toContain('GET /docs/json');
    expect(checked.some((r) => r.startsWith('GET /admin/queues'))).toBe(true);
  });

  it('lets each role through to the routes of its level', async () => {
    expect((await t.api.inject({ method: 'GET', url: '/api/masters', headers: bearer(t.keys.viewer) })).statusCode).toBe(200);
    expect((await t.api.inject({ method: 'GET', url: '/api/users', headers: bearer(t.keys.admin) })).statusCode).toBe(200);
    const docs = await t.api.inject({ method: 'GET', url: '/docs/json', headers: bearer(t.keys.viewer) });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toContain('/api/review/{id}/decision');
    const queues = await t.api.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(t.keys.admin) });
    expect(queues.statusCode).toBe(200);
  });
});

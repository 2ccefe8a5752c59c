import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestHub, type TestHub } from '../e2e/harness.js';

type Hit = { id: string; displayName: string; identifiers: Array<{ type: string; value: string }>; state: string | null };

describe('masters, golden records, the review queue and the audit log over HTTP', () => {
  let t: TestHub;
  const get = (url: string) => t.api.inject({ method: 'GET', url, headers: bearer(t.keys.viewer) });
  const steward = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => t.api.inject({ method, url, headers: bearer(t.keys.steward), payload });
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t?.close());

  it('finds masters by name, by NPI and by state, a page at a time', async () => {
    const byName = (await get('/api/masters?q=harrington')).json();
    expect(byName.hits.length).toBeGreaterThanOrEqual(1);
    // Fuzzy: the misspelt twin (HARINGTON) is found too; nothing unrelated is.
    expect(byName.hits.some((h: Hit) => /HARRINGTON/i.test(h.displayName))).toBe(true);
    expect(byName.hits.every((h: Hit) => /HARR?INGTON/i.test(h.displayName))).toBe(true);
    const reversed = (await get('/api/masters?name=william%20harrington')).json();
    // First name and last name in either order find the same physicians, the closest first.
    expect(reversed.hits.map((h: Hit) => h.id)).toEqual(expect.arrayContaining(byName.hits.filter((h: Hit) => /HARRINGTON/i.test(h.displayName)).map((h: Hit) => h.id)));
    expect(reversed.hits[0].displayName).toMatch(/HARR?INGTON/i);
    const byNpi = (await get('/api/masters?q=1234567893')).json();
    expect(byNpi.hits).toHaveLength(1);
    expect(byNpi.hits[0].identifiers).toContainEqual({ type: 'npi', value: '1234567893' });
    const page1 = (await get('/api/masters?type=hcp&state=MA&limit=5')).json();
    expect(page1.hits).toHaveLength(5);
    expect(page1.hasMore).toBe(true);
    expect(page1.hits.every((h: Hit) => h.state === 'MA')).toBe(true);
    const page2 = (await get(`/api/masters?type=hcp&state=MA&limit=5&offset=${page1.nextOffset}`)).json();
    expect(page2.hits.map((h: Hit) => h.id)).not.toContain(page1.hits[0].id);
    expect((await get('/api/masters?state=Massachusetts')).statusCode).toBe(400);
  });

  it('shows a golden record with the lineage of every value, its member records with payloads, and its history', async () => {
    const [hit] = (await get('/api/masters?q=1234567893')).json().hits;
    const res = await get(`/api/masters/${hit.id}`);
    expect(res.statusCode).toBe(200);
    const golden = res.json();
    const lastName = golden.attributes.find((a: { attribute: string }) => a.attribute === 'lastName');
    expect(lastName).toMatchObject({ value: 'Harrington', from: expect.stringMatching(/^nppes\//), ruleLabel: expect.any(String), pinned: false });
    expect(golden.members[0].record).toMatchObject({ connector: 'nppes', payload: expect.any(Object) });
    expect(golden.identifiers).toContainEqual(expect.objectContaining({ type: 'npi', value: '1234567893' }));
    expect(golden.history[0].kind).toBe('golden v1');
    expect((await get('/api/masters/hcp_nope')).json().error.code).toBe('master.not_found');
  });

  it('lists pending pairs highest score first with both drafts and the score waterfall', async () => {
    const { items } = (await get('/api/review')).json();
    expect(items.length).toBeGreaterThanOrEqual(3);
    const scores = items.map((i: { score: number }) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const item = items.find((i: { records: Array<{ draft: { lastName: string } }> }) => i.records[0]!.draft.lastName === 'Pennington');
    expect(item.records.map((r: { connector: string }) => r.connector).sort()).toEqual(['nppes', 'veeva-crm']);
    expect(item.explanation.steps.map((s: { comparison: string }) => s.comparison)).toContain('last_name');
  });

  it('merges a pair with the chosen values pinned, in the audit log, then unmerges it', async () => {
    const { items } = (await get('/api/review')).json();
    const item = items.find((i: { records: Array<{ draft: { lastName: string } }> }) => i.records[0]!.draft.lastName === 'Pennington');
    const res = await steward('POST', `/api/review/${item.id}/decision`, { decision: 'merge', reason: 'same person, new practice', values: { specialties: ['Internal Medicine'] } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'merged', item: { status: 'resolved', resolution: 'merged', resolvedBy: 'steward1' } });
    const winner = res.json().masterId as string;
    const golden = (await get(`/api/masters/${winner}`)).json();
    expect(golden.members).toHaveLength(2);
    expect(golden.attributes.find((a: { attribute: string }) => a.attribute === 'specialties')).toMatchObject({ value: ['Internal Medicine'], rule: 'steward_pin', pinned: true, pinnedBy: 'steward1' });
    const loser = item.records.map((r: { masterId: string }) => r.masterId).find((m: string) => m !== winner);
    expect((await get(`/api/masters/${loser}`)).json()).toMatchObject({ id: winner, redirectedFrom: loser });
    const audit = (await get(`/api/audit?entityId=${winner}`)).json().entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['master.pin', 'master.merge']);
    expect(audit[0]).toMatchObject({ actor: 'steward1', before: { attribute: 'specialties' }, after: { value: ['Internal Medicine'] } });

    const undone = await steward('POST', `/api/masters/${loser}/unmerge`, { reason: 'different people after all' });
    expect(undone.json()).toMatchObject({ status: 'unmerged', winnerId: winner, restoredId: loser });
    expect((await get(`/api/masters/${loser}`)).json()).toMatchObject({ id: loser, status: 'active' });
    expect((await get(`/api/audit?entityId=${winner}&action=master.unmerge`)).json().entries).toHaveLength(1);
  });

  it('pins and unpins an attribute, refusing a value that does not fit', async () => {
    const [hit] = (await get('/api/masters?q=1234567893')).json().hits;
    const bad = await steward('PUT', `/api/masters/${hit.id}/pins/birthYear`, { value: 'nineteen' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('pin.invalid');
    const pinned = await steward('PUT', `/api/masters/${hit.id}/pins/firstName`, { value: 'BILL', reason: 'goes by Bill' });
    expect(pinned.json().attributes.find((a: { attribute: string }) => a.attribute === 'firstName')).toMatchObject({ value: 'BILL', rule: 'steward_pin' });
    const unpinned = await steward('DELETE', `/api/masters/${hit.id}/pins/firstName`);
    expect(unpinned.json().attributes.find((a: { attribute: string }) => a.attribute === 'firstName')).toMatchObject({ value: 'William', pinned: false });
    const actions = (await get(`/api/audit?entityId=${hit.id}&actor=steward1`)).json().entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['master.unpin', 'master.pin']);
  });

  it('keeps a pair marked not a duplicate apart when the master is resolved again', async () => {
    const { items } = (await get('/api/review')).json();
    const item = items.find((i: { records: Array<{ draft: { lastName: string } }> }) => i.records[0]!.draft.lastName === 'Harrington');
    expect((await steward('POST', `/api/review/${item.id}/decision`, { decision: 'not_duplicate', reason: 'different practices' })).json().status).toBe('not_duplicate');
    await t.resolve();
    const again = (await get('/api/review')).json().items;
    expect(again.some((i: { records: Array<{ draft: { lastName: string } }> }) => i.records[0]!.draft.lastName === 'Harrington')).toBe(false);
  });

  it('answers errors in the one envelope and never leaks internals', async () => {
    const res = await steward('POST', '/api/masters/hcp_aaaaaaaaaaaaaaaa/merge', { loserId: 'hcp_bbbbbbbbbbbbbbbb' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'master.not_found', message: expect.any(String) } });
    const invalid = await steward('POST', '/api/review/1/decision', { decision: 'maybe' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toMatchObject({ code: 'request.invalid', issues: [{ path: '/decision' }] });
  });
});

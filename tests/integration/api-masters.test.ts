import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoldenDetailSchema, loadGoldenDetail, SearchAnswerSchema, type GoldenDetail } from '../../src/api/routes/masters.js';
import { bearer, startTestHub, type TestHub } from '../e2e/harness.js';

type Hit = { id: string; displayName: string; identifiers: Array<{ type: string; value: string }>; state: string | null; score: number | null };

describe('masters, golden records, the review queue and the audit log over HTTP', () => {
  let t: TestHub;
  const get = (url: string) => t.api.inject({ method: 'GET', url, headers: bearer(t.keys.viewer) });
  const steward = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => t.api.inject({ method, url, headers: bearer(t.keys.steward), payload });
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t?.close());

  const iso = (d: Date | null) => d?.toISOString() ?? null;
  /**
   * GET /api/masters/:id sends text PostgreSQL and the route composed, unserialized: it must be what the schema
   * says (every key in the schema's order, no other key, as the zod serializer wrote it), its timestamps what
   * toISOString gives for the stored values, and each member's draft the data of its record's draft with that key.
   */
  async function expectGoldenAnswer(res: LightMyRequestResponse): Promise<GoldenDetail> {
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = res.json();
    const parsed = GoldenDetailSchema.parse(body);
    expect(JSON.stringify(body)).toBe(JSON.stringify(parsed));
    const id = parsed.id;
    const q = async <R>(sql: string) => (await t.db.query<R & object>(sql, [id])).rows;
    const [golden] = await q<{ computed_at: Date }>('SELECT computed_at FROM golden_record WHERE master_id = $1');
    expect(parsed.computedAt).toBe(iso(golden!.computed_at));
    const members = await q<{ ref: string; linked_at: Date; source_updated_at: Date | null; last_changed_at: Date; draft_key: string; drafts: Array<{ key: string; data: unknown }> | null }>(
      `SELECT c.source_record_id || ':' || c.draft_key AS ref, c.linked_at, c.draft_key, s.source_updated_at, s.last_changed_at, n.drafts
         FROM crosswalk c JOIN source_record s ON s.id = c.source_record_id LEFT JOIN normalized_record n ON n.source_record_id = s.id WHERE c.master_id = $1`,
    );
    expect(parsed.members.map((m) => m.ref).sort()).toEqual(members.map((m) => m.ref).sort());
    for (const stored of members) {
      const member = parsed.members.find((m) => m.ref === stored.ref)!;
      expect(member.linkedAt).toBe(iso(stored.linked_at));
      expect(member.record!.sourceUpdatedAt).toBe(iso(stored.source_updated_at));
      expect(member.record!.lastChangedAt).toBe(iso(stored.last_changed_at));
      expect(member.draft).toEqual(stored.drafts?.find((d) => d.key === stored.draft_key)?.data ?? null);
    }
    const pins = await q<{ attribute: string; pinned_at: Date }>('SELECT attribute, pinned_at FROM attribute_pin WHERE master_id = $1 ORDER BY attribute');
    expect(parsed.pins.map((p) => [p.attribute, p.pinnedAt])).toEqual(pins.map((p) => [p.attribute, iso(p.pinned_at)]));
    expect(parsed.attributes.filter((a) => a.pinned).map((a) => a.attribute)).toEqual(pins.map((p) => p.attribute).filter((a) => parsed.attributes.some((x) => x.attribute === a)));
    const merges = await q<{ id: number; merged_at: Date; undone_at: Date | null }>('SELECT id, merged_at, undone_at FROM merge_event WHERE winner_id = $1 OR loser_id = $1 ORDER BY id DESC');
    expect(parsed.merges.map((e) => [e.id, e.mergedAt, e.undoneAt])).toEqual(merges.map((e) => [e.id, iso(e.merged_at), iso(e.undone_at)]));
    const versions = await q<{ computed_at: Date }>('SELECT computed_at FROM golden_record_history WHERE master_id = $1');
    const times = [...versions.map((v) => v.computed_at), ...merges.flatMap((e) => [e.merged_at, e.undone_at])].map(iso);
    expect(parsed.history.length).toBe(versions.length + merges.length + merges.filter((e) => e.undone_at).length);
    for (const h of parsed.history) expect(times).toContain(h.at);
    return parsed;
  }

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

  it('answers a search with JSON in the shape of its schema: its keys in its order and no others', async () => {
    // The route sends text PostgreSQL and it wrote, instead of running the zod serializer over every hit.
    const [byNpi] = (await get('/api/masters?q=1234567893')).json().hits;
    // By master id the hit is written in JavaScript, the others by PostgreSQL: both in the same shape.
    for (const url of ['/api/masters?q=1234567893', `/api/masters?q=${byNpi.id}`, '/api/masters?name=william%20harrington', '/api/masters?type=hcp&state=MA&limit=5', '/api/masters?q=zzzzqqq']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const body = res.json();
      expect(JSON.stringify(body)).toBe(JSON.stringify(SearchAnswerSchema.parse(body)));
    }
    expect((await get(`/api/masters?q=${byNpi.id}`)).json().hits.map((h: Hit) => h.id)).toEqual([byNpi.id]);
  });

  it('scores name search hits by how close their names are to the words asked for, and nothing else', async () => {
    const scored = (await get('/api/masters?name=william%20harrington')).json();
    expect(scored.hits[0].score).toBeGreaterThan(0.5);
    expect(scored.hits.every((h: Hit) => typeof h.score === 'number' && h.score > 0 && h.score <= 1)).toBe(true);
    for (const url of ['/api/masters?q=1234567893', '/api/masters?state=MA&limit=2']) {
      const { hits } = (await get(url)).json();
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.every((h: Hit) => h.score === null), url).toBe(true);
    }
  });

  it('shows a golden record with the lineage of every value, its member records with payloads, and its history', async () => {
    const [hit] = (await get('/api/masters?q=1234567893')).json().hits;
    const golden = await expectGoldenAnswer(await get(`/api/masters/${hit.id}`));
    const lastName = golden.attributes.find((a: { attribute: string }) => a.attribute === 'lastName');
    expect(lastName).toMatchObject({ value: 'Harrington', from: expect.stringMatching(/^nppes\//), ruleLabel: expect.any(String), pinned: false });
    expect(golden.members[0]!.record).toMatchObject({ connector: 'nppes', payload: expect.any(Object) });
    expect(golden.members[0]!.draft).toMatchObject({ lastName: 'Harrington' });
    expect(golden.identifiers).toContainEqual(expect.objectContaining({ type: 'npi', value: '1234567893' }));
    expect(golden.history[0]!.kind).toBe('golden v1');
    // Loaded for the other routes and the CLI, the golden record is the same answer, parsed.
    expect(await loadGoldenDetail(t.db, hit.id)).toEqual(golden);
    const missing = await get('/api/masters/hcp_nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'master.not_found', message: 'No master record hcp_nope.' } });
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
    const golden = await expectGoldenAnswer(await get(`/api/masters/${winner}`));
    expect(golden.members).toHaveLength(2);
    expect(golden.attributes.find((a: { attribute: string }) => a.attribute === 'specialties')).toMatchObject({ value: ['Internal Medicine'], rule: 'steward_pin', pinned: true, pinnedBy: 'steward1' });
    expect(golden.pins).toMatchObject([{ attribute: 'specialties', value: ['Internal Medicine'], pinnedBy: 'steward1' }]);
    expect(golden.merges).toMatchObject([{ winnerId: winner, actor: 'steward1', undoneAt: null, undoneBy: null }]);
    expect(golden.history.map((h) => h.kind)).toContain(`merge #${golden.merges[0]!.id}`);
    expect(golden.history.find((h) => h.kind.startsWith('merge #'))).toMatchObject({ actor: 'steward1' });
    expect(golden.history.find((h) => h.kind.startsWith('golden v'))).not.toHaveProperty('actor');
    const loser = item.records.map((r: { masterId: string }) => r.masterId).find((m: string) => m !== winner);
    const redirected = await expectGoldenAnswer(await get(`/api/masters/${loser}`));
    expect(redirected).toMatchObject({ id: winner, redirectedFrom: loser });
    expect({ ...redirected, redirectedFrom: undefined }).toEqual({ ...golden, redirectedFrom: undefined });
    expect(Object.keys(redirected).slice(0, 6)).toEqual(['id', 'entityType', 'status', 'replacedBy', 'redirectedFrom', 'displayName']);
    const audit = (await get(`/api/audit?entityId=${winner}`)).json().entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['master.pin', 'master.merge']);
    expect(audit[0]).toMatchObject({ actor: 'steward1', before: { attribute: 'specialties' }, after: { value: ['Internal Medicine'] } });

    const undone = await steward('POST', `/api/masters/${loser}/unmerge`, { reason: 'different people after all' });
    expect(undone.json()).toMatchObject({ status: 'unmerged', winnerId: winner, restoredId: loser });
    expect(await expectGoldenAnswer(await get(`/api/masters/${loser}`))).toMatchObject({ id: loser, status: 'active' });
    const after = await expectGoldenAnswer(await get(`/api/masters/${winner}`));
    expect(after.merges).toMatchObject([{ loserId: loser, undoneBy: 'steward1', undoneAt: expect.any(String) }]);
    expect(after.history.find((h) => h.kind.startsWith('unmerge #'))).toMatchObject({ actor: 'steward1', detail: `undid the merge of ${loser} into ${winner}` });
    expect((await get(`/api/audit?entityId=${winner}&action=master.unmerge`)).json().entries).toHaveLength(1);
  });

  it('pins and unpins an attribute, refusing a value that does not fit', async () => {
    const [hit] = (await get('/api/masters?q=1234567893')).json().hits;
    const bad = await steward('PUT', `/api/masters/${hit.id}/pins/birthYear`, { value: 'nineteen' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('pin.invalid');
    const pinned = await steward('PUT', `/api/masters/${hit.id}/pins/firstName`, { value: 'BILL', reason: 'goes by Bill' });
    expect(pinned.json().attributes.find((a: { attribute: string }) => a.attribute === 'firstName')).toMatchObject({ value: 'BILL', rule: 'steward_pin' });
    // The route that answers with the golden record after a pin gives what GET gives.
    expect(pinned.json()).toEqual((await expectGoldenAnswer(await get(`/api/masters/${hit.id}`))) as object);
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

  // Last: it stores values no sync writes (earlier tests resolve these masters again).
  it('gives stored timestamps as toISOString does, payloads as stored, and null for a member draft its record lacks', async () => {
    const [hit] = (await get('/api/masters?q=1234567893')).json().hits;
    const { rows } = await t.db.query<{ source_record_id: number }>('SELECT source_record_id FROM crosswalk WHERE master_id = $1 ORDER BY source_record_id LIMIT 1', [hit.id]);
    const id = rows[0]!.source_record_id;
    const payload = { b: 1.5, a: 'é\u0001"\\/ \u2028', '10': [100, null, true], '2': { x: -1.25e-7 }, zz: '😀' };
    // Microseconds the answer drops (a JavaScript Date holds milliseconds), a time before 1970, issues stored in another key order.
    await t.db.query(`UPDATE source_record SET source_updated_at = '1969-12-31 23:59:59.9996+00', last_changed_at = '2024-02-29 23:59:59.999999+00', payload = $2 WHERE id = $1`, [id, JSON.stringify(payload)]);
    await t.db.query(`UPDATE normalized_record SET issues = '[{"message": "m", "code": "c", "field": "f"}, {"code": "only"}]' WHERE source_record_id = $1`, [id]);
    await t.db.query(`INSERT INTO crosswalk (source_record_id, draft_key, master_id, linked_by, reason, linked_at) VALUES ($1, 'no-such-draft', $2, 'steward1', 'test', '2001-01-01 00:00:00.0005+00')`, [id, hit.id]);
    await t.db.query(`UPDATE golden_record SET computed_at = '2020-05-05 05:05:05.123456+00' WHERE master_id = $1`, [hit.id]);
    // A merge with an empty actor and an unmerge by nobody: their history entries have no actor.
    const other = (await t.db.query<{ id: string }>("SELECT id FROM master_entity WHERE id <> $1 AND entity_type = 'hcp' ORDER BY id LIMIT 1", [hit.id])).rows[0]!.id;
    await t.db.query(
      `INSERT INTO merge_event (entity_type, winner_id, loser_id, member_refs, actor, reason, score, merged_at, undone_at) VALUES ('hcp', $1, $2, '["1:x"]', '', 'r', 0.25, '2021-06-01 12:00:00.0019+00', '2021-06-02 00:00:00+00')`,
      [hit.id, other],
    );
    const golden = await expectGoldenAnswer(await get(`/api/masters/${hit.id}`));
    expect(golden.computedAt).toBe('2020-05-05T05:05:05.123Z');
    const [known, unknown] = [golden.members.find((m) => m.ref.startsWith(`${id}:`) && m.ref !== `${id}:no-such-draft`)!, golden.members.find((m) => m.ref === `${id}:no-such-draft`)!];
    expect(unknown).toMatchObject({ linkedBy: 'steward1', reason: 'test', linkedAt: '2001-01-01T00:00:00.000Z', draft: null });
    expect(unknown.record!.drafts.length).toBeGreaterThan(0);
    expect(known.draft).toEqual(known.record!.drafts.find((d) => `${id}:${d.key}` === known.ref)!.data);
    expect(known.draft).not.toBeNull();
    expect(unknown.record).toMatchObject({ sourceUpdatedAt: '1969-12-31T23:59:59.999Z', lastChangedAt: '2024-02-29T23:59:59.999Z', payload });
    expect(unknown.record!.payload).toEqual(payload);
    expect(unknown.record!.issues).toEqual([{ field: 'f', code: 'c', message: 'm' }, { code: 'only' }]);
    expect(Object.keys(unknown.record!.issues[0]!)).toEqual(['field', 'code', 'message']);
    expect(Object.keys(unknown.record!.drafts[0]!)).toEqual(['kind', 'key', 'data']);
    expect(golden.merges).toEqual([
      { id: expect.any(Number), winnerId: hit.id, loserId: other, actor: '', reason: 'r', score: 0.25, mergedAt: '2021-06-01T12:00:00.001Z', undoneAt: '2021-06-02T00:00:00.000Z', undoneBy: null, members: ['1:x'] },
    ]);
    expect(golden.history.filter((h) => /^(un)?merge #/.test(h.kind))).toEqual([
      { at: '2021-06-01T12:00:00.001Z', kind: `merge #${golden.merges[0]!.id}`, detail: `absorbed ${other}: r` },
      { at: '2021-06-02T00:00:00.000Z', kind: `unmerge #${golden.merges[0]!.id}`, detail: `undid the merge of ${other} into ${hit.id}` },
    ]);
  });
});

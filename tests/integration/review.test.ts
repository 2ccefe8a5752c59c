import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMasters } from '../../src/pipeline/resolve-masters.js';
import { trainMasterModel } from '../../src/pipeline/train-master-model.js';
import type { Database } from '../../src/store/database.js';
import { listReviewItems } from '../../src/store/review.repository.js';
import { decideReviewItem } from '../../src/survivorship/review-decisions.js';
import { openTestDatabase } from '../helpers/database.js';
import { ingest, masterOf, physician, rules, survivorship } from '../helpers/masters.js';

// Same name, no NPI on the second record, another address: the shipped physician model is unsure (review).
const known = () => physician({ firstName: 'William', lastName: 'Harrington', npi: '1234567893' });
const maybe = (extra: { phone?: string; credentials?: string[] } = {}) =>
  physician({
    firstName: 'William',
    lastName: 'Harrington',
    line1: '90 PARK AVE',
    zip: '02118',
    credentials: extra.credentials ?? [],
    ...(extra.phone ? { contactPoints: [{ kind: 'phone', value: extra.phone, use: 'work', primary: true }] } : {}),
  });

describe('the review queue', () => {
  let db: Database;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase('pglite'));
  });
  afterAll(async () => dispose?.());

  it('queues an uncertain pair with its explanation instead of merging it', async () => {
    await ingest(db, 'nppes', 'n1', known());
    await ingest(db, 'veeva-crm', 'c1', maybe());
    const report = await resolveMasters(db, rules, 'hcp');
    expect(report).toMatchObject({ newMasters: 2, reviewItems: 1 });
    const [item] = await listReviewItems(db);
    expect(item!.score).toBeGreaterThan(0.6);
    expect(item!.score).toBeLessThan(0.95);
    expect(item!.explanation!.steps.map((s) => s.comparison)).toContain('last_name');
    expect(item!.masterIds[0]).not.toBe(item!.masterIds[1]);
  });

  it('keeps a pair marked not a duplicate apart across re-runs and changes outside the compared fields', async () => {
    const [item] = await listReviewItems(db);
    const result = await decideReviewItem(db, survivorship, { id: item!.id, decision: 'not_duplicate', actor: 'steward.ann', reason: 'different practices' });
    expect(result.status).toBe('not_duplicate');
    expect((await resolveMasters(db, rules, 'hcp')).reviewItems).toBe(0);
    // Credentials are not compared by the physician model: the decision stands.
    await ingest(db, 'veeva-crm', 'c1', maybe({ credentials: ['MD'] }));
    const report = await resolveMasters(db, rules, 'hcp');
    expect(report).toMatchObject({ reviewItems: 0, reopenedDecisions: 0 });
    expect(await listReviewItems(db)).toEqual([]);
    const { rows } = await db.query<{ decision: string; author: string; reopened_at: Date | null }>('SELECT decision, author, reopened_at FROM match_decision WHERE revoked_at IS NULL');
    expect(rows).toEqual([{ decision: 'cannot_link', author: 'steward.ann', reopened_at: null }]);
    const audit = await db.query<{ action: string; actor: string }>(`SELECT action, actor FROM audit_log`);
    expect(audit.rows).toEqual([{ action: 'review.not_duplicate', actor: 'steward.ann' }]);
  });

  it('reopens a not-a-duplicate decision, visibly, when one of its records changes in a compared field', async () => {
    await ingest(db, 'veeva-crm', 'c1', maybe({ credentials: ['MD'], phone: '+16175550123' }));
    const report = await resolveMasters(db, rules, 'hcp');
    expect(report).toMatchObject({ reopenedDecisions: 1, reviewItems: 1 });
    const { rows } = await db.query<{ reopened_reason: string }>('SELECT reopened_reason FROM match_decision WHERE reopened_at IS NOT NULL');
    expect(rows[0]!.reopened_reason).toMatch(/changed in a compared field/);
    const audit = await db.query<{ action: string; actor: string }>(`SELECT action, actor FROM audit_log ORDER BY id DESC LIMIT 1`);
    expect(audit.rows).toEqual([{ action: 'decision.reopened', actor: 'system' }]);
    const [again] = await listReviewItems(db);
    await decideReviewItem(db, survivorship, { id: again!.id, decision: 'not_duplicate', actor: 'steward.ann', reason: 'still different practices' });
  });

  it('sends a new copy of the record marked distinct to that record\'s master, not to the other one', async () => {
    // A third copy of the second record arrives: it matches c1 exactly but must not join n1 through it.
    const c2 = await ingest(db, 'salesforce', 'c2', maybe({ credentials: ['MD'], phone: '+16175550123' }));
    await resolveMasters(db, rules, 'hcp');
    const { rows } = await db.query<{ source_record_id: number }>(`SELECT id AS source_record_id FROM source_record WHERE source_id = 'n1'`);
    expect(await masterOf(db, c2)).not.toBe(await masterOf(db, rows[0]!.source_record_id));
  });

  it('merges the two masters of a pair when the steward says merge', async () => {
    await ingest(db, 'nppes', 'n9', physician({ firstName: 'Ada', lastName: 'Quist', npi: '1497758544' }));
    await ingest(db, 'veeva-crm', 'c9', physician({ firstName: 'Ada', lastName: 'Quist', line1: '90 PARK AVE', zip: '02118' }));
    await resolveMasters(db, rules, 'hcp');
    const pending = await listReviewItems(db);
    expect(pending).toHaveLength(1);
    const result = await decideReviewItem(db, survivorship, { id: pending[0]!.id, decision: 'merge', actor: 'steward.bob' });
    expect(result.status).toBe('merged');
    const [item] = await listReviewItems(db, { status: 'resolved', limit: 10 }).then((items) => items.filter((i) => i.id === pending[0]!.id));
    expect(item!.masterIds[0]).toBe(item!.masterIds[1]);
    expect(item!.resolvedBy).toBe('steward.bob');
  });

  it('re-trains the matching model on the master and counts every steward decision as a labelled pair', async () => {
    const trained = await trainMasterModel(db, rules.hcp.model, 'hcp');
    const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM match_decision WHERE revoked_at IS NULL');
    expect(trained.labels).toBe(rows[0]!.n);
    expect(trained.labels).toBeGreaterThan(0);
    expect(trained.model.comparisons.map((c) => c.name)).toEqual(rules.hcp.model.comparisons.map((c) => c.name));
    expect(trained.model.prior).not.toBe(rules.hcp.model.prior);
  });
});

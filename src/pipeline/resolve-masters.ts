import path from 'node:path';
import type { Logger } from 'pino';
import { loadModel, type MatchCandidate, type MatchModel } from '../matching/index.js';
import { fingerprintMatchRecord } from '../matching/fingerprint.js';
import { attachFactsToMasters } from './attach-facts.js';
import { cachedMasterIndex, forgetMasterIndex, keepMasterIndex, MasterIndex, type UnlinkedDraft } from './master-index-cache.js';
import { projectDraft, type MatchRecord } from '../matching/project-draft.js';
import type { MasterEntityType } from '../model/index.js';
import type { Database, Queryable } from '../store/database.js';
import {
  appendAudit,
  appendOutbox,
  createMasters,
  linkMembers,
  listOrphanedLinks,
  loadMemberDrafts,
  newMasterId,
  parseMemberRef,
  saveGoldenRecords,
  type GoldenInput,
  unlinkMembers,
  type MemberRef,
  type MemberRow,
} from '../store/master.repository.js';
import { advanceGeneration, clearPending, markResolving, readGeneration, readPending, type PendingRecord } from '../store/match-pending.repository.js';
import { listLinksOfSourceRecords, listMembers, listMembersOfMasters, listMembersOfSourceRecords } from '../store/member.queries.js';
import { computeGoldenAttributes, requireSurvivorshipConfig, type StewardPin, type SurvivorshipConfig } from '../survivorship/index.js';
import { goldenDisplayName, votingMembers } from '../survivorship/merge.js';

/** The matching model and survivorship rules of each entity type. */
export type MasterRules = Record<MasterEntityType, { model: MatchModel; survivorship: SurvivorshipConfig }>;

export function loadMasterRules(matchingDir: string, survivorshipDir: string): MasterRules {
  return {
    hcp: { model: loadModel(path.join(matchingDir, 'physician.yaml')), survivorship: requireSurvivorshipConfig(path.join(survivorshipDir, 'physician.yaml')) },
    hco: { model: loadModel(path.join(matchingDir, 'organization.yaml')), survivorship: requireSurvivorshipConfig(path.join(survivorshipDir, 'organization.yaml')) },
  };
}

export type ResolveReport = {
  entityType: MasterEntityType;
  /** `incremental`: only the records written since the last resolution were read; `full`: the whole master. */
  mode: 'full' | 'incremental';
  members: number;
  linkedToExisting: number;
  newMasters: number;
  reviewItems: number;
  /** Cannot-link decisions reopened because one of their records changed in a compared field. */
  reopenedDecisions: number;
  /** Drafts of resolve-only sources (Rx feeds) still waiting for a master to attach to. */
  unresolved: number;
  unlinked: number;
  goldenWritten: number;
};

export type ResolveOptions = {
  /** Connectors whose drafts only attach to existing masters and never create one (Rx feeds). */
  resolveOnlyConnectors?: ReadonlySet<string>;
  logger?: Logger;
};

type CannotLink = { id: number; left: MemberRef; right: MemberRef; leftFingerprint: string | null; rightFingerprint: string | null };
type Decisions = { mustLink: Map<MemberRef, MemberRef[]>; cannotLink: Set<string>; cannotLinks: CannotLink[] };

/** What one resolution works on: the index of linked members and what changed since the last resolution. */
type Workload = {
  index: MasterIndex;
  /** Drafts without a master that are new or changed (those of resolve-only sources still waiting are in the index). */
  unlinked: UnlinkedDraft[];
  /** Links whose draft is gone. */
  orphans: Array<{ ref: MemberRef; masterId: string }>;
  /** Masters whose golden record must be recomputed because a member changed or left. */
  dirty: Set<string>;
  /** Member rows already read, by ref (every member after a full load; the changed ones otherwise). */
  rows: Map<MemberRef, MemberRow>;
  /** Every member row was read: no other member needs loading. */
  complete: boolean;
  /** Source records whose drafts were read because they changed (undefined: all of them, a full load). */
  changedRecords?: Set<number>;
};

/**
 * Brings the master up to date with the normalized drafts: every new draft is matched against the existing
 * members through the blocking indexes, linked to the master it matches, or given a master of its own (with a
 * review item when the match was uncertain); links of deleted records are dropped; and every master whose
 * members changed gets its golden record recomputed. Steward must-link and cannot-link decisions are respected.
 * Running it twice in a row changes nothing the second time.
 *
 * Work is proportional to what changed: the store's `match_pending` inbox names the source records written since
 * the last resolution, and the process keeps the matcher index of the linked members between resolutions
 * (master-index-cache.ts). The first resolution in a process, or one after somebody else changed the crosswalk,
 * loads every member instead.
 */
export async function resolveMasters(db: Database, rules: MasterRules, entityType: MasterEntityType, options: ResolveOptions = {}): Promise<ResolveReport> {
  try {
    return await resolve(db, rules, entityType, options);
  } catch (error) {
    // The index was changed in memory for a transaction that did not commit.
    forgetMasterIndex(db, entityType);
    throw error;
  }
}

async function resolve(db: Database, rules: MasterRules, entityType: MasterEntityType, options: ResolveOptions): Promise<ResolveReport> {
  const { model, survivorship } = rules[entityType];
  const project = (m: MemberRow): MatchRecord => projectDraft(entityType, m.draft, m.ref);
  const generation = await readGeneration(db, entityType);
  const pending = await readPending(db, entityType);
  const cached = cachedMasterIndex(db, entityType, model, generation);
  const work = (cached && (await loadChanges(db, entityType, cached, pending, project))) ?? (await loadEverything(db, entityType, model, project));
  const { index, orphans, dirty } = work;
  const decisions = await loadDecisions(db, entityType);
  const resolveOnly = options.resolveOnlyConnectors ?? new Set<string>();

  const report: ResolveReport = { entityType, mode: work.complete ? 'full' : 'incremental', members: 0, linkedToExisting: 0, newMasters: 0, reviewItems: 0, reopenedDecisions: 0, unresolved: 0, unlinked: orphans.length, goldenWritten: 0 };
  const created: string[] = [];
  const links: Array<{ ref: MemberRef; masterId: string; linkedBy: string; reason: string }> = [];
  const reviews: Array<{ refs: MemberRef[]; candidate: MatchCandidate }> = [];

  const placeDraft = (m: UnlinkedDraft): void => {
    index.unresolved.delete(m.ref);
    const forced = (decisions.mustLink.get(m.ref) ?? []).map((r) => index.masterOf.get(r)).find((x): x is string => x !== undefined);
    if (forced) {
      index.place(m.ref, forced, m.record);
      links.push({ ref: m.ref, masterId: forced, linkedBy: 'steward', reason: 'must-link decision' });
      dirty.add(forced);
      report.linkedToExisting += 1;
      return;
    }
    const candidates = index.matcher.matchRecord(m.record, { limit: 10, explain: true });
    // The best candidate whose master this record may join: no cannot-link with any member, and (against
    // chaining) no member holding a different value of an exclusive identifier.
    const best = candidates.find((c) => {
      const target = index.masterOf.get(c.id);
      if (target === undefined) return false;
      for (const r of index.membersOf.get(target) ?? []) if (decisions.cannotLink.has(pairKey(r, m.ref))) return false;
      return !index.conflicts(target, m.record);
    });
    if (best?.decision === 'match') {
      const target = index.masterOf.get(best.id)!;
      index.place(m.ref, target, m.record);
      links.push({ ref: m.ref, masterId: target, linkedBy: 'system', reason: describeMatch(best) });
      dirty.add(target);
      report.linkedToExisting += 1;
      return;
    }
    if (resolveOnly.has(m.connector)) {
      // Never a master of its own: waits until a source that may create physicians brings its match.
      index.unresolved.set(m.ref, m);
      return;
    }
    const id = newMasterId(entityType);
    created.push(id);
    index.place(m.ref, id, m.record);
    links.push({ ref: m.ref, masterId: id, linkedBy: 'system', reason: best ? `new master: best candidate scored ${best.probability.toFixed(3)} (${best.decision})` : 'new master: no candidate' });
    dirty.add(id);
    report.newMasters += 1;
    if (best?.decision === 'review') reviews.push({ refs: [best.id, m.ref], candidate: best });
  };
  // Matching is synchronous work: hand the event loop back now and then, so that a worker process also running
  // sync jobs keeps renewing their locks (a loop of minutes would get them declared stalled).
  let placed = 0;
  const yieldNow = async () => {
    if (++placed % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
  };
  for (const m of work.unlinked) {
    placeDraft(m);
    await yieldNow();
  }
  // Drafts waiting for a master (resolve-only sources: those waiting from earlier resolutions, and those that
  // found none above, maybe before the record they match was placed) can only find one among members that are new
  // or changed, so they are matched again once, and only when there are some.
  if (index.unresolved.size > 0 && (links.length > 0 || dirty.size > 0)) {
    for (const m of [...index.unresolved.values()]) {
      placeDraft(m);
      await yieldNow();
    }
  }
  report.members = index.size;
  report.unresolved = index.unresolved.size;

  const toCheck = work.changedRecords
    ? decisions.cannotLinks.filter((d) => [d.left, d.right].some((r) => work.changedRecords!.has(parseMemberRef(r).sourceRecordId)))
    : decisions.cannotLinks;
  const reopened = await findReopenedDecisions(db, entityType, toCheck);

  await db.transaction(async (tx) => {
    await markResolving(tx);
    await createMasters(tx, entityType, created);
    await linkMembers(tx, links);
    await unlinkMembers(tx, orphans.map((o) => o.ref));
    for (const r of reopened) {
      await tx.query(`UPDATE match_decision SET reopened_at = now(), reopened_reason = $2 WHERE id = $1`, [r.decision.id, r.reason]);
      await appendAudit(tx, { actor: 'system', action: 'decision.reopened', entityType, entityId: String(r.decision.id), reason: r.reason, before: { decision: 'cannot_link', left: r.decision.left, right: r.decision.right } });
      const candidate = index.matcher.matchRecord(r.left, { limit: 50, explain: true, minWeight: -1e9 }).find((c) => c.id === r.decision.right);
      if (candidate) reviews.push({ refs: [r.decision.left, r.decision.right], candidate });
    }
    report.reopenedDecisions = reopened.length;
    report.reviewItems = await addReviewItems(tx, entityType, reviews);
    report.goldenWritten = await recomputeGoldenRecords(tx, entityType, survivorship, work, resolveOnly);
    await attachFactsToMasters(tx, entityType);
    await clearPending(tx, entityType, pending);
    const next = await advanceGeneration(tx, entityType);
    // Kept only when nobody else changed the crosswalk since this resolution read the generation.
    if (next === generation + 1) keepMasterIndex(db, entityType, index, next);
    else forgetMasterIndex(db, entityType);
  });
  options.logger?.info({ report }, 'masters resolved');
  return report;
}

/** The whole master from the store: every member, every orphaned link. */
async function loadEverything(db: Queryable, entityType: MasterEntityType, model: MatchModel, project: (m: MemberRow) => MatchRecord): Promise<Workload> {
  const members = await listMembers(db, entityType);
  const orphans = await listOrphanedLinks(db, entityType);
  const exclusive = (model.identifier_rules ?? []).filter((r) => r.different === 'distinct').map((r) => r.field);
  const linked = members.filter((m) => m.masterId).map((m) => ({ ref: m.ref, masterId: m.masterId!, record: project(m) }));
  const index = new MasterIndex(model, exclusive, linked);
  const dirty = new Set<string>(orphans.map((o) => o.masterId));
  // A member changed since it was linked: its master's golden record must follow.
  for (const m of members) if (m.masterId && m.linkedAt && m.receivedAt > m.linkedAt) dirty.add(m.masterId);
  const unlinked = members.filter((m) => !m.masterId).map((m) => ({ ref: m.ref, connector: m.connector, record: project(m) }));
  return { index, unlinked, orphans, dirty, rows: new Map(members.map((m) => [m.ref, m])), complete: true };
}

/**
 * Only what changed since the index was last brought up to date: the drafts of the pending source records. Returns
 * undefined when the store disagrees with the index (then everything is loaded instead).
 */
async function loadChanges(
  db: Queryable,
  entityType: MasterEntityType,
  index: MasterIndex,
  pending: PendingRecord[],
  project: (m: MemberRow) => MatchRecord,
): Promise<Workload | undefined> {
  const ids = pending.map((p) => p.sourceRecordId);
  const changedRecords = new Set(ids);
  const rows = await listMembersOfSourceRecords(db, entityType, ids);
  const present = new Set(rows.map((r) => r.ref));
  const orphans = (await listLinksOfSourceRecords(db, entityType, ids)).filter((l) => !present.has(l.ref));
  for (const o of orphans) if (index.masterOf.get(o.ref) !== o.masterId) return undefined;
  for (const r of rows) if (r.masterId && index.masterOf.get(r.ref) !== r.masterId) return undefined;

  const dirty = new Set<string>();
  for (const o of orphans) {
    index.remove(o.ref);
    dirty.add(o.masterId);
  }
  // Waiting drafts of changed records are read again below; those of deleted records are gone.
  for (const ref of index.unresolved.keys()) if (changedRecords.has(parseMemberRef(ref).sourceRecordId)) index.unresolved.delete(ref);
  const unlinked: UnlinkedDraft[] = [];
  for (const r of rows) {
    if (r.masterId) {
      index.update(r.ref, project(r));
      dirty.add(r.masterId);
    } else unlinked.push({ ref: r.ref, connector: r.connector, record: project(r) });
  }
  return { index, unlinked, orphans, dirty, rows: new Map(rows.map((r) => [r.ref, r])), complete: false, changedRecords };
}

/** Recomputes the golden record of every dirty master from its voting members; a master left with none retires. */
async function recomputeGoldenRecords(
  tx: Queryable,
  entityType: MasterEntityType,
  survivorship: SurvivorshipConfig,
  work: Workload,
  resolveOnly: ReadonlySet<string>,
): Promise<number> {
  const dirty = [...work.dirty];
  const rowOf = work.rows;
  if (!work.complete) {
    // Members that did not change are read from the store (those that did were read already).
    for (let i = 0; i < dirty.length; i += 10_000) {
      for (const m of await listMembersOfMasters(tx, entityType, dirty.slice(i, i + 10_000))) if (!rowOf.has(m.ref)) rowOf.set(m.ref, m);
    }
  }
  const pins = await loadPins(tx, dirty);
  let written = 0;
  const goldens: GoldenInput[] = [];
  const flush = async () => {
    const saved = await saveGoldenRecords(tx, goldens.splice(0));
    written += saved.filter((r) => r.changed).length;
  };
  for (const masterId of dirty) {
    const refs = [...(work.index.membersOf.get(masterId) ?? [])];
    const survivors = votingMembers(
      refs.map((r) => rowOf.get(r)).filter((m): m is MemberRow => m !== undefined),
      resolveOnly,
    );
    if (survivors.length === 0) {
      await tx.query(`UPDATE master_entity SET status = 'retired', updated_at = now() WHERE id = $1 AND status = 'active'`, [masterId]);
      await appendOutbox(tx, 'golden.retired', masterId, { masterId, reason: 'every member record was deleted' });
      continue;
    }
    const attributes = computeGoldenAttributes(
      entityType,
      survivors.map((s) => ({ sourceRecordId: s.sourceRecordId, connector: s.connector, stream: s.stream, receivedAt: s.receivedAt, draft: s.draft })),
      survivorship,
      pins.get(masterId) ?? [],
    );
    goldens.push({ masterId, entityType, attributes, displayName: goldenDisplayName(entityType, attributes), cause: 'members changed' });
    if (goldens.length === 2000) await flush();
  }
  if (goldens.length > 0) await flush();
  return written;
}

/**
 * A cannot-link holds until one of its two records changes in a field the matcher compares; then it is reopened
 * (visibly: the decision row, the audit log and a new review item say so) and the pair is looked at again.
 */
async function findReopenedDecisions(
  db: Queryable,
  entityType: MasterEntityType,
  cannotLinks: CannotLink[],
): Promise<Array<{ decision: CannotLink; reason: string; left: MatchRecord }>> {
  if (cannotLinks.length === 0) return [];
  const drafts = await loadMemberDrafts(db, [...new Set(cannotLinks.flatMap((d) => [d.left, d.right]))]);
  const reopened: Array<{ decision: CannotLink; reason: string; left: MatchRecord }> = [];
  for (const d of cannotLinks) {
    const left = drafts.get(d.left);
    const right = drafts.get(d.right);
    if (!left || !right) continue;
    const records = new Map([
      [d.left, projectDraft(entityType, left, d.left)],
      [d.right, projectDraft(entityType, right, d.right)],
    ]);
    const changed = [
      [d.left, d.leftFingerprint],
      [d.right, d.rightFingerprint],
    ].filter(([ref, fp]) => fp !== null && fingerprintMatchRecord(records.get(ref as string)!) !== fp);
    if (changed.length === 0) continue;
    reopened.push({ decision: d, left: records.get(d.left)!, reason: `record ${changed.map(([ref]) => ref).join(' and ')} changed in a compared field since the steward decided` });
  }
  return reopened;
}

function describeMatch(c: MatchCandidate): string {
  const rules = c.explanation?.rules.length ? ` (${c.explanation.rules.join(', ')})` : '';
  return `matched ${c.id} with probability ${c.probability.toFixed(4)}${rules}`;
}

export function pairKey(a: MemberRef, b: MemberRef): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

async function loadDecisions(db: Queryable, entityType: MasterEntityType): Promise<Decisions> {
  const { rows } = await db.query<{ id: number; left_ref: string; right_ref: string; decision: 'must_link' | 'cannot_link'; left_fingerprint: string | null; right_fingerprint: string | null }>(
    `SELECT id, left_ref, right_ref, decision, left_fingerprint, right_fingerprint FROM match_decision WHERE entity_type = $1 AND revoked_at IS NULL AND reopened_at IS NULL`,
    [entityType],
  );
  const decisions: Decisions = { mustLink: new Map(), cannotLink: new Set(), cannotLinks: [] };
  for (const r of rows) {
    if (r.decision === 'cannot_link') {
      decisions.cannotLink.add(pairKey(r.left_ref, r.right_ref));
      decisions.cannotLinks.push({ id: r.id, left: r.left_ref, right: r.right_ref, leftFingerprint: r.left_fingerprint, rightFingerprint: r.right_fingerprint });
    } else {
      decisions.mustLink.set(r.left_ref, [...(decisions.mustLink.get(r.left_ref) ?? []), r.right_ref]);
      decisions.mustLink.set(r.right_ref, [...(decisions.mustLink.get(r.right_ref) ?? []), r.left_ref]);
    }
  }
  return decisions;
}

async function loadPins(db: Queryable, masterIds: string[]): Promise<Map<string, StewardPin[]>> {
  const pins = new Map<string, StewardPin[]>();
  if (masterIds.length === 0) return pins;
  const { rows } = await db.query<{ master_id: string; attribute: string; value: unknown; pinned_by: string; reason: string; pinned_at: Date }>(
    'SELECT master_id, attribute, value, pinned_by, reason, pinned_at FROM attribute_pin WHERE master_id = ANY($1::text[])',
    [masterIds],
  );
  for (const r of rows) pins.set(r.master_id, [...(pins.get(r.master_id) ?? []), { attribute: r.attribute, value: r.value, by: r.pinned_by, at: r.pinned_at.toISOString(), reason: r.reason }]);
  return pins;
}

/** One pending review item per uncertain pair; a pair already pending is not queued again. */
async function addReviewItems(db: Queryable, entityType: MasterEntityType, reviews: Array<{ refs: MemberRef[]; candidate: MatchCandidate }>): Promise<number> {
  let added = 0;
  for (const r of reviews) {
    const refs = [...r.refs].sort();
    const { rowCount } = await db.query(
      `INSERT INTO review_item (entity_type, member_refs, score, explanation)
       SELECT $1, $2::jsonb, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM review_item WHERE status = 'pending' AND member_refs = $2::jsonb)`,
      [entityType, JSON.stringify(refs), r.candidate.probability, JSON.stringify(r.candidate.explanation ?? null)],
    );
    added += rowCount ?? 0;
  }
  return added;
}

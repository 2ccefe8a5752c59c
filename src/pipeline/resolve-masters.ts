import path from 'node:path';
import type { Logger } from 'pino';
import { createMatcher, loadModel, type MatchCandidate, type MatchModel } from '../matching/index.js';
import { fingerprintMatchRecord } from '../matching/fingerprint.js';
import { attachFactsToMasters } from './attach-facts.js';
import { projectDraft, type MatchRecord } from '../matching/project-draft.js';
import type { MasterEntityType } from '../model/index.js';
import type { Database, Queryable } from '../store/database.js';
import {
  appendAudit,
  appendOutbox,
  createMasters,
  linkMembers,
  listMembers,
  listOrphanedLinks,
  newMasterId,
  saveGoldenRecords,
  type GoldenInput,
  unlinkMembers,
  type MemberRef,
  type MemberRow,
} from '../store/master.repository.js';
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
  members: number;
  linkedToExisting: number;
  newMasters: number;
  reviewItems: number;
  /** Cannot-link decisions reopened because one of their records changed in a compared field. */
  reopenedDecisions: number;
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

/**
 * Brings the master up to date with the normalized drafts: every new draft is matched against the existing
 * members through the blocking indexes (no full recomputation), linked to the master it matches, or given a
 * master of its own (with a review item when the match was uncertain); links of deleted records are dropped;
 * and every master whose members changed gets its golden record recomputed. Steward must-link and
 * cannot-link decisions are respected. Running it twice in a row changes nothing the second time.
 */
export async function resolveMasters(db: Database, rules: MasterRules, entityType: MasterEntityType, options: ResolveOptions = {}): Promise<ResolveReport> {
  const { model, survivorship } = rules[entityType];
  const recordOf = new Map<MemberRef, MatchRecord>();
  const project = (m: MemberRow): MatchRecord => {
    let record = recordOf.get(m.ref);
    if (!record) recordOf.set(m.ref, (record = projectDraft(entityType, m.draft, m.ref)));
    return record;
  };
  // Identifiers of which a person has exactly one (NPI): two different valid values never share a master.
  const exclusive = (model.identifier_rules ?? []).filter((r) => r.different === 'distinct').map((r) => r.field);
  const conflicts = (a: MatchRecord, b: MatchRecord) => exclusive.some((f) => a[f] !== undefined && b[f] !== undefined && a[f] !== b[f]);
  const members = await listMembers(db, entityType);
  const orphans = await listOrphanedLinks(db, entityType);
  const decisions = await loadDecisions(db, entityType);
  const resolveOnly = options.resolveOnlyConnectors ?? new Set<string>();

  const masterOf = new Map<MemberRef, string>();
  const membersOf = new Map<string, Set<MemberRef>>();
  const place = (ref: MemberRef, masterId: string) => {
    masterOf.set(ref, masterId);
    let set = membersOf.get(masterId);
    if (!set) membersOf.set(masterId, (set = new Set()));
    set.add(ref);
  };

  const matcher = createMatcher(model, [], { idColumn: 'id' });
  const dirty = new Set<string>(orphans.map((o) => o.masterId));
  for (const m of members) {
    if (!m.masterId) continue;
    place(m.ref, m.masterId);
    matcher.add(project(m), m.ref);
    // A member changed since it was linked: its master's golden record must follow.
    if (m.linkedAt && m.receivedAt > m.linkedAt) dirty.add(m.masterId);
  }

  const report: ResolveReport = { entityType, members: members.length, linkedToExisting: 0, newMasters: 0, reviewItems: 0, reopenedDecisions: 0, unresolved: 0, unlinked: orphans.length, goldenWritten: 0 };
  const created: string[] = [];
  const links: Array<{ ref: MemberRef; masterId: string; linkedBy: string; reason: string }> = [];
  const reviews: Array<{ refs: MemberRef[]; candidate: MatchCandidate }> = [];

  for (const m of members) {
    if (m.masterId) continue;
    const forced = (decisions.mustLink.get(m.ref) ?? []).map((r) => masterOf.get(r)).find((x): x is string => x !== undefined);
    if (forced) {
      place(m.ref, forced);
      links.push({ ref: m.ref, masterId: forced, linkedBy: 'steward', reason: 'must-link decision' });
      matcher.add(project(m), m.ref);
      dirty.add(forced);
      report.linkedToExisting += 1;
      continue;
    }
    const record = project(m);
    const candidates = matcher.matchRecord(record, { limit: 10, explain: true });
    // The best candidate whose master this record may join: no cannot-link with any member, and (against
    // chaining) no member holding a different value of an exclusive identifier.
    const best = candidates.find((c) => {
      const target = masterOf.get(c.id);
      if (target === undefined) return false;
      const others = [...(membersOf.get(target) ?? [])];
      return !others.some((r) => decisions.cannotLink.has(pairKey(r, m.ref)) || conflicts(recordOf.get(r) ?? {}, record));
    });
    if (best?.decision === 'match') {
      const target = masterOf.get(best.id)!;
      place(m.ref, target);
      links.push({ ref: m.ref, masterId: target, linkedBy: 'system', reason: describeMatch(best) });
      matcher.add(record, m.ref);
      dirty.add(target);
      report.linkedToExisting += 1;
      continue;
    }
    if (resolveOnly.has(m.connector)) {
      // Never a master of its own: waits until a source that may create physicians brings its match.
      report.unresolved += 1;
      continue;
    }
    const id = newMasterId(entityType);
    created.push(id);
    place(m.ref, id);
    links.push({ ref: m.ref, masterId: id, linkedBy: 'system', reason: best ? `new master: best candidate scored ${best.probability.toFixed(3)} (${best.decision})` : 'new master: no candidate' });
    matcher.add(record, m.ref);
    dirty.add(id);
    report.newMasters += 1;
    if (best?.decision === 'review') reviews.push({ refs: [best.id, m.ref], candidate: best });
  }

  const memberByRef = new Map(members.map((m) => [m.ref, m]));
  const reopened = findReopenedDecisions(decisions.cannotLinks, memberByRef, project);
  for (const o of orphans) membersOf.get(o.masterId)?.delete(o.ref);

  await db.transaction(async (tx) => {
    await createMasters(tx, entityType, created);
    await linkMembers(tx, links);
    await unlinkMembers(tx, orphans.map((o) => o.ref));
    for (const r of reopened) {
      await tx.query(`UPDATE match_decision SET reopened_at = now(), reopened_reason = $2 WHERE id = $1`, [r.decision.id, r.reason]);
      await appendAudit(tx, { actor: 'system', action: 'decision.reopened', entityType, entityId: String(r.decision.id), reason: r.reason, before: { decision: 'cannot_link', left: r.decision.left, right: r.decision.right } });
      const candidate = matcher.matchRecord(project(memberByRef.get(r.decision.left)!), { limit: 50, explain: true, minWeight: -1e9 }).find((c) => c.id === r.decision.right);
      if (candidate) reviews.push({ refs: [r.decision.left, r.decision.right], candidate });
    }
    report.reopenedDecisions = reopened.length;
    report.reviewItems = await addReviewItems(tx, entityType, reviews);
    const pins = await loadPins(tx, [...dirty]);
    const goldens: GoldenInput[] = [];
    for (const masterId of dirty) {
      const refs = [...(membersOf.get(masterId) ?? [])];
      const survivors = votingMembers(
        refs.map((r) => memberByRef.get(r)).filter((m): m is MemberRow => m !== undefined),
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
    }
    for (let i = 0; i < goldens.length; i += 2000) {
      const saved = await saveGoldenRecords(tx, goldens.slice(i, i + 2000));
      report.goldenWritten += saved.filter((r) => r.changed).length;
    }
    await attachFactsToMasters(tx, entityType);
  });
  options.logger?.info({ report }, 'masters resolved');
  return report;
}

/**
 * A cannot-link holds until one of its two records changes in a field the matcher compares; then it is reopened
 * (visibly: the decision row, the audit log and a new review item say so) and the pair is looked at again.
 */
function findReopenedDecisions(
  cannotLinks: CannotLink[],
  memberByRef: Map<MemberRef, MemberRow>,
  project: (m: MemberRow) => MatchRecord,
): Array<{ decision: CannotLink; reason: string }> {
  const reopened: Array<{ decision: CannotLink; reason: string }> = [];
  for (const d of cannotLinks) {
    const left = memberByRef.get(d.left);
    const right = memberByRef.get(d.right);
    if (!left || !right) continue;
    const changed = [
      [d.left, left, d.leftFingerprint],
      [d.right, right, d.rightFingerprint],
    ].filter(([, m, fp]) => fp !== null && fingerprintMatchRecord(project(m as MemberRow)) !== fp);
    if (changed.length === 0) continue;
    reopened.push({ decision: d, reason: `record ${changed.map(([ref]) => ref).join(' and ')} changed in a compared field since the steward decided` });
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

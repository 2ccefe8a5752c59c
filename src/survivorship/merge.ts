import { ConfigError } from '../errors.js';
import type { MasterEntityType } from '../model/index.js';
import type { Database, Queryable } from '../store/database.js';
import { fingerprintMatchRecord } from '../matching/fingerprint.js';
import { projectDraft } from '../matching/project-draft.js';
import { appendAudit, appendOutbox, getGoldenRecord, loadMemberDrafts, resolveMasterId, saveGoldenRecord, type MemberRef } from '../store/master.repository.js';
import { listMembers } from '../store/member.queries.js';
import { computeGoldenAttributes } from './compute-golden.js';
import type { SurvivorshipConfig } from './config-schema.js';
import type { StewardPin } from './pins.js';

/**
 * The survivorship rules per entity type, and the connectors whose records only attach to masters (Rx feeds
 * configured `masters: resolve`): their records stay members, so their facts follow the physician, but they do
 * not vote on golden values, which would otherwise repeat the same prescriber once per Rx line.
 */
export type GoldenRules = { hcp: SurvivorshipConfig; hco: SurvivorshipConfig; referenceOnly?: ReadonlySet<string> };

export type MergeResult = { status: 'merged' | 'already_merged'; winnerId: string; loserId: string; mergeEventId: number; movedMembers: MemberRef[] };
export type UnmergeResult = { status: 'unmerged' | 'already_unmerged'; winnerId: string; restoredId: string; mergeEventId: number; restoredMembers: MemberRef[] };

/**
 * Merges two masters. Nothing is deleted: the loser's members move to the winner, the loser is retired with
 * `replaced_by` pointing at the winner (a lookup by its id still resolves), a must-link decision records the
 * steward's word for re-runs, the winner's golden record is recomputed, and the audit log and the outbox say
 * who did it and why. Merging the same pair again is a no-op.
 */
export async function mergeMasters(
  db: Database,
  survivorship: GoldenRules,
  input: { winnerId: string; loserId: string; actor: string; reason?: string; score?: number },
): Promise<MergeResult> {
  return db.transaction(async (tx) => {
    const winner = await requireMaster(tx, input.winnerId);
    const loser = await requireMaster(tx, input.loserId);
    if (loser.status === 'retired' && loser.replacedBy === winner.masterId) {
      const { rows } = await tx.query<{ id: number }>('SELECT id FROM merge_event WHERE winner_id = $1 AND loser_id = $2 AND undone_at IS NULL ORDER BY id DESC LIMIT 1', [winner.masterId, loser.masterId]);
      return { status: 'already_merged', winnerId: winner.masterId, loserId: loser.masterId, mergeEventId: rows[0]?.id ?? 0, movedMembers: [] };
    }
    if (winner.masterId === loser.masterId) throw new ConfigError('merge.same', `${winner.masterId} cannot be merged into itself.`);
    if (winner.status !== 'active') throw new ConfigError('merge.retired_winner', `${winner.masterId} is retired (replaced by ${winner.replacedBy}): merge into that one instead.`);
    if (loser.status !== 'active') throw new ConfigError('merge.retired_loser', `${loser.masterId} is already retired into ${loser.replacedBy}.`);
    if (winner.entityType !== loser.entityType) throw new ConfigError('merge.type_mismatch', `A ${winner.entityType} cannot be merged with a ${loser.entityType}.`);

    const { rows: moved } = await tx.query<{ source_record_id: number; draft_key: string }>(
      `UPDATE crosswalk SET master_id = $1, linked_by = $3, reason = $4, linked_at = now() WHERE master_id = $2 RETURNING source_record_id, draft_key`,
      [winner.masterId, loser.masterId, input.actor, `merged from ${loser.masterId}`],
    );
    const movedRefs = moved.map((r) => `${r.source_record_id}:${r.draft_key}`).sort();
    const { rows: event } = await tx.query<{ id: number }>(
      `INSERT INTO merge_event (entity_type, winner_id, loser_id, member_refs, actor, reason, score) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [winner.entityType, winner.masterId, loser.masterId, JSON.stringify(movedRefs), input.actor, input.reason ?? '', input.score ?? null],
    );
    await tx.query(`UPDATE master_entity SET status = 'retired', replaced_by = $1, updated_at = now() WHERE id = $2`, [winner.masterId, loser.masterId]);
    await tx.query(`UPDATE master_entity SET replaced_by = $1 WHERE replaced_by = $2`, [winner.masterId, loser.masterId]);
    await tx.query(`UPDATE rx_fact SET master_id = $1 WHERE master_id = $2`, [winner.masterId, loser.masterId]);
    await tx.query(`DELETE FROM master_identifier WHERE master_id = $1`, [loser.masterId]);
    const [winnerRef] = await anyMemberRefs(tx, winner.masterId, movedRefs);
    if (winnerRef && movedRefs[0]) await recordDecision(tx, winner.entityType, winnerRef, movedRefs[0], 'must_link', input.actor, input.reason ?? `merged ${loser.masterId} into ${winner.masterId}`);
    await tx.query(
      `UPDATE review_item SET status = 'resolved', resolution = 'merged', resolved_by = $1, resolved_at = now()
        WHERE status <> 'resolved' AND member_refs <@ $2::jsonb`,
      [input.actor, JSON.stringify(await memberRefsOf(tx, winner.masterId))],
    );
    const after = await recomputeGolden(tx, survivorship[winner.entityType], winner.entityType, winner.masterId, `merged ${loser.masterId}`, survivorship.referenceOnly);
    await appendOutbox(tx, 'golden.merged', winner.masterId, { winnerId: winner.masterId, loserId: loser.masterId, actor: input.actor, reason: input.reason ?? '', mergeEventId: event[0]!.id });
    await appendAudit(tx, {
      actor: input.actor,
      action: 'master.merge',
      entityType: winner.entityType,
      entityId: winner.masterId,
      reason: input.reason,
      before: { winner: winner.attributes, loser: loser.attributes },
      after: { winner: after, retired: loser.masterId, movedMembers: movedRefs },
    });
    return { status: 'merged', winnerId: winner.masterId, loserId: loser.masterId, mergeEventId: event[0]!.id, movedMembers: movedRefs };
  });
}

/**
 * Undoes a merge: the members that came from the loser go back to it, the retired id is active again, both
 * golden records are recomputed, and a cannot-link decision keeps the matcher from merging them again.
 * Unmerging twice is a no-op. `masterId` may be the retired id or the survivor's (the latest merge into it).
 */
export async function unmergeMaster(
  db: Database,
  survivorship: GoldenRules,
  input: { mergeEventId?: number; retiredId?: string; actor: string; reason?: string },
): Promise<UnmergeResult> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number; entity_type: MasterEntityType; winner_id: string; loser_id: string; member_refs: MemberRef[]; undone_at: Date | null }>(
      input.mergeEventId !== undefined
        ? 'SELECT id, entity_type, winner_id, loser_id, member_refs, undone_at FROM merge_event WHERE id = $1 FOR UPDATE'
        : 'SELECT id, entity_type, winner_id, loser_id, member_refs, undone_at FROM merge_event WHERE loser_id = $1 ORDER BY id DESC LIMIT 1 FOR UPDATE',
      [input.mergeEventId ?? input.retiredId],
    );
    const event = rows[0];
    if (!event) throw new ConfigError('unmerge.not_found', `No merge ${input.mergeEventId !== undefined ? `event ${input.mergeEventId}` : `retired ${input.retiredId}`} to undo.`);
    if (event.undone_at) return { status: 'already_unmerged', winnerId: event.winner_id, restoredId: event.loser_id, mergeEventId: event.id, restoredMembers: [] };

    const before = await getGoldenRecord(tx, event.winner_id);
    const parsed = event.member_refs.map((r) => ({ id: Number(r.slice(0, r.indexOf(':'))), key: r.slice(r.indexOf(':') + 1) }));
    await tx.query(
      `UPDATE crosswalk c SET master_id = $1, linked_by = $2, reason = $3, linked_at = now()
         FROM unnest($4::bigint[], $5::text[]) AS t(id, key)
        WHERE c.source_record_id = t.id AND c.draft_key = t.key AND c.master_id = $6`,
      [event.loser_id, input.actor, `unmerged from ${event.winner_id}`, parsed.map((p) => p.id), parsed.map((p) => p.key), event.winner_id],
    );
    await tx.query(`UPDATE master_entity SET status = 'active', replaced_by = NULL, updated_at = now() WHERE id = $1`, [event.loser_id]);
    await tx.query(`UPDATE merge_event SET undone_at = now(), undone_by = $2 WHERE id = $1`, [event.id, input.actor]);
    await tx.query(
      `UPDATE match_decision SET revoked_at = now() WHERE revoked_at IS NULL AND decision = 'must_link' AND (left_ref = ANY($1::text[]) OR right_ref = ANY($1::text[]))`,
      [event.member_refs],
    );
    const [stay] = await memberRefsOf(tx, event.winner_id);
    if (stay && event.member_refs[0]) await recordDecision(tx, event.entity_type, stay, event.member_refs[0], 'cannot_link', input.actor, input.reason ?? `unmerged ${event.loser_id} from ${event.winner_id}`);
    const winnerAfter = await recomputeGolden(tx, survivorship[event.entity_type], event.entity_type, event.winner_id, `unmerged ${event.loser_id}`, survivorship.referenceOnly);
    const restoredAfter = await recomputeGolden(tx, survivorship[event.entity_type], event.entity_type, event.loser_id, `restored from ${event.winner_id}`, survivorship.referenceOnly);
    await tx.query(
      `UPDATE rx_fact f SET master_id = c.master_id FROM crosswalk c WHERE c.source_record_id = f.source_record_id AND c.master_id = $1`,
      [event.loser_id],
    );
    await appendOutbox(tx, 'golden.unmerged', event.winner_id, { winnerId: event.winner_id, restoredId: event.loser_id, actor: input.actor, mergeEventId: event.id });
    await appendAudit(tx, {
      actor: input.actor,
      action: 'master.unmerge',
      entityType: event.entity_type,
      entityId: event.winner_id,
      reason: input.reason,
      before: { winner: before?.attributes ?? null },
      after: { winner: winnerAfter, restored: { id: event.loser_id, attributes: restoredAfter }, members: event.member_refs },
    });
    return { status: 'unmerged', winnerId: event.winner_id, restoredId: event.loser_id, mergeEventId: event.id, restoredMembers: event.member_refs };
  });
}

/** Recomputes one master's golden record from its current members and pins, and saves it if it changed. */
export async function recomputeGolden(tx: Queryable, config: SurvivorshipConfig, entityType: MasterEntityType, masterId: string, cause: string, referenceOnly?: ReadonlySet<string>) {
  const members = votingMembers(await listMembers(tx, entityType, { masterIds: [masterId] }), referenceOnly);
  const { rows: pinRows } = await tx.query<{ attribute: string; value: unknown; pinned_by: string; reason: string; pinned_at: Date }>(
    'SELECT attribute, value, pinned_by, reason, pinned_at FROM attribute_pin WHERE master_id = $1',
    [masterId],
  );
  const pins: StewardPin[] = pinRows.map((p) => ({ attribute: p.attribute, value: p.value, by: p.pinned_by, at: p.pinned_at.toISOString(), reason: p.reason }));
  const attributes = computeGoldenAttributes(
    entityType,
    members.map((m) => ({ sourceRecordId: m.sourceRecordId, connector: m.connector, stream: m.stream, receivedAt: m.receivedAt, draft: m.draft })),
    config,
    pins,
  );
  await saveGoldenRecord(tx, { masterId, entityType, attributes, displayName: goldenDisplayName(entityType, attributes), cause });
  return attributes;
}

/** The members whose values compete for the golden record: all but reference-only ones, unless nothing else is left. */
export function votingMembers<M extends { connector: string }>(members: M[], referenceOnly?: ReadonlySet<string>): M[] {
  if (!referenceOnly || referenceOnly.size === 0) return members;
  const voting = members.filter((m) => !referenceOnly.has(m.connector));
  return voting.length > 0 ? voting : members;
}

export function goldenDisplayName(entityType: MasterEntityType, attributes: Record<string, { value: unknown }>): string | null {
  const text = (name: string) => (typeof attributes[name]?.value === 'string' ? (attributes[name]!.value as string) : '');
  if (entityType === 'hco') return text('name') || null;
  const given = [text('firstName'), text('middleName')].filter(Boolean).join(' ');
  const family = [text('lastName'), text('suffix')].filter(Boolean).join(' ');
  return [family, given].filter(Boolean).join(', ') || null;
}

async function requireMaster(tx: Queryable, id: string) {
  const found = await getGoldenRecord(tx, id);
  if (!found) {
    const resolved = await resolveMasterId(tx, id);
    throw new ConfigError('master.not_found', resolved ? `${id} is retired into ${resolved.id}.` : `No master record ${id}.`);
  }
  return found;
}

async function memberRefsOf(tx: Queryable, masterId: string): Promise<MemberRef[]> {
  const { rows } = await tx.query<{ ref: string }>(`SELECT source_record_id || ':' || draft_key AS ref FROM crosswalk WHERE master_id = $1 ORDER BY 1`, [masterId]);
  return rows.map((r) => r.ref);
}

async function anyMemberRefs(tx: Queryable, masterId: string, exclude: MemberRef[]): Promise<MemberRef[]> {
  return (await memberRefsOf(tx, masterId)).filter((r) => !exclude.includes(r));
}

/**
 * Records a steward decision on a pair of records, replacing any earlier one on the same pair, with a fingerprint
 * of what each record looked like to the matcher, so a later change in a compared field can reopen it.
 */
export async function recordDecision(tx: Queryable, entityType: MasterEntityType, a: MemberRef, b: MemberRef, decision: 'must_link' | 'cannot_link', author: string, reason: string): Promise<void> {
  const [left, right] = a < b ? [a, b] : [b, a];
  const drafts = await loadMemberDrafts(tx, [left, right]);
  const fingerprint = (ref: MemberRef) => {
    const draft = drafts.get(ref);
    return draft ? fingerprintMatchRecord(projectDraft(entityType, draft, ref)) : null;
  };
  await tx.query(`UPDATE match_decision SET revoked_at = now() WHERE left_ref = $1 AND right_ref = $2 AND revoked_at IS NULL`, [left, right]);
  await tx.query(
    `INSERT INTO match_decision (entity_type, left_ref, right_ref, decision, author, reason, left_fingerprint, right_fingerprint) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [entityType, left, right, decision, author, reason, fingerprint(left), fingerprint(right)],
  );
}

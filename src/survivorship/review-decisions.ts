import { ConfigError } from '../errors.js';
import type { Database } from '../store/database.js';
import { appendAudit } from '../store/master.repository.js';
import { closeReviewItem, getReviewItem } from '../store/review.repository.js';
import { mergeMasters, recordDecision, type GoldenRules } from './merge.js';

export type ReviewDecision = 'merge' | 'not_duplicate' | 'defer';

/**
 * A steward's answer to a review item. `merge` merges the two masters (the first member's master survives unless
 * `winnerId` says otherwise); `not_duplicate` records a cannot-link decision, which every later run respects;
 * `defer` puts the item aside without an answer. Each is in the audit log with the steward's name and reason.
 */
export async function decideReviewItem(
  db: Database,
  survivorship: GoldenRules,
  input: { id: number; decision: ReviewDecision; actor: string; reason?: string; winnerId?: string },
): Promise<{ status: string; masterId?: string }> {
  const item = await getReviewItem(db, input.id);
  if (!item) throw new ConfigError('review.not_found', `No review item ${input.id}.`);
  if (item.status === 'resolved') return { status: `already ${item.resolution}` };
  const [left, right] = item.memberRefs;
  const [leftMaster, rightMaster] = item.masterIds;
  if (!left || !right) throw new ConfigError('review.malformed', `Review item ${input.id} does not name two records.`);

  if (input.decision === 'merge') {
    if (!leftMaster || !rightMaster) throw new ConfigError('review.unlinked', `A record of review item ${input.id} is no longer linked to a master (deleted at its source?).`);
    if (leftMaster === rightMaster) {
      await closeReviewItem(db, item.id, { status: 'resolved', resolution: 'merged', by: input.actor });
      return { status: 'already merged', masterId: leftMaster };
    }
    const winnerId = input.winnerId ?? leftMaster;
    const loserId = winnerId === leftMaster ? rightMaster : leftMaster;
    const merged = await mergeMasters(db, survivorship, { winnerId, loserId, actor: input.actor, reason: input.reason ?? `review item ${item.id}`, score: item.score });
    await closeReviewItem(db, item.id, { status: 'resolved', resolution: 'merged', by: input.actor });
    return { status: merged.status, masterId: merged.winnerId };
  }

  await db.transaction(async (tx) => {
    if (input.decision === 'not_duplicate') await recordDecision(tx, item.entityType, left, right, 'cannot_link', input.actor, input.reason ?? `review item ${item.id}: not a duplicate`);
    await closeReviewItem(tx, item.id, input.decision === 'defer' ? { status: 'deferred', resolution: 'deferred', by: input.actor } : { status: 'resolved', resolution: 'not_duplicate', by: input.actor });
    await appendAudit(tx, {
      actor: input.actor,
      action: input.decision === 'defer' ? 'review.defer' : 'review.not_duplicate',
      entityType: item.entityType,
      entityId: String(item.id),
      reason: input.reason,
      before: { status: item.status, members: item.memberRefs, masters: item.masterIds },
      after: { decision: input.decision },
    });
  });
  return { status: input.decision === 'defer' ? 'deferred' : 'not_duplicate' };
}

import { dedupeRecords, type LabelledPair, type MatchModel } from '../matching/index.js';
import { projectDraft } from '../matching/project-draft.js';
import type { MasterEntityType } from '../model/index.js';
import { ConfigError } from '../errors.js';
import type { Queryable } from '../store/database.js';
import { listMembers } from '../store/member.queries.js';

export type TrainedModel = { model: MatchModel; records: number; candidatePairs: number; labels: number };

/**
 * Re-estimates a matching model on the master's own records: m and u trained unsupervised (EM over the blocked
 * pairs, u from random pairs), then moved toward what the stewards decided (every active must-link and
 * cannot-link is a labelled pair).
 */
export async function trainMasterModel(db: Queryable, model: MatchModel, entity: MasterEntityType): Promise<TrainedModel> {
  const members = await listMembers(db, entity);
  if (members.length < 2) throw new ConfigError('train.empty', `The master holds ${members.length} ${entity} record(s): sync some sources first.`);
  const { rows } = await db.query<{ left_ref: string; right_ref: string; decision: string }>(
    `SELECT left_ref, right_ref, decision FROM match_decision WHERE entity_type = $1 AND revoked_at IS NULL`,
    [entity],
  );
  const present = new Set(members.map((m) => m.ref));
  const labels: LabelledPair[] = rows
    .filter((r) => present.has(r.left_ref) && present.has(r.right_ref))
    .map((r) => ({ leftId: r.left_ref, rightId: r.right_ref, match: r.decision === 'must_link' }));
  const result = dedupeRecords({
    model,
    sources: [{ name: 'master', records: members.map((m) => projectDraft(entity, m.draft, m.ref)) }],
    idColumn: 'id',
    train: true,
    labels,
  });
  return { model: result.model, records: members.length, candidatePairs: result.pairs.length, labels: labels.length };
}

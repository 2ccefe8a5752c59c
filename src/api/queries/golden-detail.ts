import type { GoldenValue, MasterEntityType } from '../../model/index.js';
import type { Queryable } from '../../store/database.js';
import { resolveMasterId, type StoredGolden } from '../../store/master.repository.js';
import type { MasterHistoryEntry } from '../../store/master.queries.js';
import type { MergeEvent } from './merge-events.js';
import type { MemberRecord } from './member-records.js';
import type { Pin } from './pins.js';
import { queryPrepared } from './prepared.js';

/** Milliseconds since the epoch, truncated as a JavaScript Date holds them. */
const ms = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::float8`;

/** A golden record with everything its page shows. */
export type GoldenBundle = StoredGolden & {
  redirectedFrom?: string;
  displayName: string | null;
  members: Array<{ sourceRecordId: number; draftKey: string; linkedBy: string; reason: string; linkedAt: string; record: MemberRecord }>;
  history: MasterHistoryEntry[];
  pins: Pin[];
  merges: MergeEvent[];
};

type Row = {
  id: string;
  entity_type: MasterEntityType;
  status: 'active' | 'retired';
  replaced_by: string | null;
  version: number | null;
  attributes: Record<string, GoldenValue> | null;
  computed_at: number | null;
  display_name: string | null;
  members: Array<{
    id: number; key: string; linked_by: string; reason: string; linked_at: number; connector: string; stream: string; source_id: string; deleted: boolean;
    version: number; source_updated_at: number | null; last_changed_at: number; payload: unknown; drafts: MemberRecord['drafts'] | null; issues: MemberRecord['issues'] | null;
  }>;
  history: Array<{ at: number; kind: string; detail: string; actor: string | null }>;
  pins: Array<{ attribute: string; value: unknown; pinned_by: string; reason: string; pinned_at: number }>;
  merges: Array<{ id: number; winner_id: string; loser_id: string; actor: string; reason: string; score: number | null; merged_at: number; undone_at: number | null; undone_by: string | null; member_refs: string[] }>;
};

const iso = (t: number) => new Date(t).toISOString();

/**
 * Everything the golden record page shows, in one statement and one round trip: the id resolved through
 * `replaced_by` (a retired id redirects to its survivor), the golden record, its member records with their
 * payloads, drafts and field issues, its history, pins and merges. Each part is an indexed lookup of one master's
 * rows (crosswalk by master, source and normalized records by id, history by key, merges by winner and loser).
 */
export async function loadGoldenBundle(db: Queryable, key: string): Promise<GoldenBundle | undefined> {
  const { rows } = await queryPrepared<Row>(
    db,
    `WITH RECURSIVE chain(id, replaced_by, depth) AS (
       SELECT id, replaced_by, 0 FROM master_entity WHERE id = $1
       UNION ALL
       SELECT m.id, m.replaced_by, c.depth + 1 FROM master_entity m JOIN chain c ON m.id = c.replaced_by WHERE c.depth < 100
     ), target AS (SELECT id FROM chain WHERE replaced_by IS NULL ORDER BY depth DESC LIMIT 1)
     SELECT m.id, m.entity_type, m.status, m.replaced_by, g.version, g.attributes, ${ms('g.computed_at')} AS computed_at, g.display_name,
       (SELECT coalesce(json_agg(json_build_object(
                 'id', c.source_record_id, 'key', c.draft_key, 'linked_by', c.linked_by, 'reason', c.reason, 'linked_at', ${ms('c.linked_at')},
                 'connector', s.connector, 'stream', s.stream, 'source_id', s.source_id, 'deleted', s.deleted, 'version', s.version,
                 'source_updated_at', ${ms('s.source_updated_at')}, 'last_changed_at', ${ms('s.last_changed_at')},
                 'payload', s.payload, 'drafts', n.drafts, 'issues', n.issues) ORDER BY c.source_record_id, c.draft_key), '[]')
          FROM crosswalk c JOIN source_record s ON s.id = c.source_record_id LEFT JOIN normalized_record n ON n.source_record_id = s.id
         WHERE c.master_id = m.id) AS members,
       (SELECT coalesce(json_agg(json_build_object('at', ${ms('h.at')}, 'kind', h.kind, 'detail', h.detail, 'actor', h.actor) ORDER BY h.at), '[]') FROM (
           SELECT computed_at AS at, 'golden v' || version AS kind, cause AS detail, NULL AS actor FROM golden_record_history WHERE master_id = m.id
           UNION ALL
           SELECT merged_at, 'merge #' || id, CASE WHEN winner_id = m.id THEN 'absorbed ' || loser_id ELSE 'merged into ' || winner_id END || CASE WHEN reason <> '' THEN ': ' || reason ELSE '' END, actor
             FROM merge_event WHERE winner_id = m.id OR loser_id = m.id
           UNION ALL
           SELECT undone_at, 'unmerge #' || id, 'undid the merge of ' || loser_id || ' into ' || winner_id, undone_by
             FROM merge_event WHERE (winner_id = m.id OR loser_id = m.id) AND undone_at IS NOT NULL) h) AS history,
       (SELECT coalesce(json_agg(json_build_object('attribute', p.attribute, 'value', p.value, 'pinned_by', p.pinned_by, 'reason', p.reason, 'pinned_at', ${ms('p.pinned_at')}) ORDER BY p.attribute), '[]')
          FROM attribute_pin p WHERE p.master_id = m.id) AS pins,
       (SELECT coalesce(json_agg(json_build_object('id', e.id, 'winner_id', e.winner_id, 'loser_id', e.loser_id, 'actor', e.actor, 'reason', e.reason, 'score', e.score,
                 'merged_at', ${ms('e.merged_at')}, 'undone_at', ${ms('e.undone_at')}, 'undone_by', e.undone_by, 'member_refs', e.member_refs) ORDER BY e.id DESC), '[]')
          FROM merge_event e WHERE e.winner_id = m.id OR e.loser_id = m.id) AS merges
       FROM target t JOIN master_entity m ON m.id = t.id LEFT JOIN golden_record g ON g.master_id = m.id`,
    [key],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    masterId: r.id,
    ...(r.id !== key ? { redirectedFrom: key } : {}),
    entityType: r.entity_type,
    status: r.status,
    replacedBy: r.replaced_by,
    version: r.version ?? 0,
    attributes: r.attributes ?? {},
    computedAt: r.computed_at === null ? '' : iso(r.computed_at),
    displayName: r.display_name,
    members: r.members.map((m) => ({
      sourceRecordId: m.id,
      draftKey: m.key,
      linkedBy: m.linked_by,
      reason: m.reason,
      linkedAt: iso(m.linked_at),
      record: {
        sourceRecordId: m.id,
        connector: m.connector,
        stream: m.stream,
        sourceId: m.source_id,
        deleted: m.deleted,
        version: m.version,
        sourceUpdatedAt: m.source_updated_at === null ? null : iso(m.source_updated_at),
        lastChangedAt: iso(m.last_changed_at),
        payload: m.payload,
        drafts: m.drafts ?? [],
        issues: m.issues ?? [],
      },
    })),
    history: r.history.map((h) => ({ at: iso(h.at), kind: h.kind, detail: h.detail, ...(h.actor ? { actor: h.actor } : {}) })),
    pins: r.pins.map((p) => ({ attribute: p.attribute, value: p.value, pinnedBy: p.pinned_by, reason: p.reason, pinnedAt: iso(p.pinned_at) })),
    merges: r.merges.map((e) => ({
      id: e.id,
      winnerId: e.winner_id,
      loserId: e.loser_id,
      actor: e.actor,
      reason: e.reason,
      score: e.score,
      mergedAt: iso(e.merged_at),
      undoneAt: e.undone_at === null ? null : iso(e.undone_at),
      undoneBy: e.undone_by,
      members: e.member_refs,
    })),
  };
}

/** A master's id (a retired id finds its survivor), type and display name: what a search hit by id shows. */
export async function findMasterLabel(db: Queryable, id: string): Promise<{ id: string; entityType: MasterEntityType; displayName: string | null } | undefined> {
  const found = await resolveMasterId(db, id);
  if (!found) return undefined;
  const { rows } = await db.query<{ entity_type: MasterEntityType; display_name: string | null }>(
    'SELECT m.entity_type, g.display_name FROM master_entity m LEFT JOIN golden_record g ON g.master_id = m.id WHERE m.id = $1',
    [found.id],
  );
  return rows[0] ? { id: found.id, entityType: rows[0].entity_type, displayName: rows[0].display_name } : undefined;
}

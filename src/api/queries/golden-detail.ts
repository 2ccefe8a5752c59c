import type { GoldenValue, MasterEntityType } from '../../model/index.js';
import type { Queryable } from '../../store/database.js';
import { resolveMasterId, type StoredGolden } from '../../store/master.repository.js';
import { queryPrepared } from './prepared.js';

/**
 * A timestamp as JSON text in the answer: `toISOString()`'s form (UTC, milliseconds, `Z`), truncated to the
 * millisecond as a JavaScript Date holds it. NULL stays NULL (JSON null).
 */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A golden record with everything its page shows. Only what JavaScript computes from is parsed: the golden
 * attributes (explained, identifiers, affiliations) and the names of the pinned ones. Pins, members, history and
 * merges come as JSON text already in the answer's shape (`GoldenDetailSchema` in routes/masters.ts: camelCase keys
 * in the schema's order, timestamps as above), for the route to send as it is.
 */
export type GoldenBundle = StoredGolden & {
  redirectedFrom?: string;
  displayName: string | null;
  /** The attributes a steward pinned, by name. */
  pinned: string[];
  /**
   * JSON arrays. `pins`: { attribute, value, pinnedBy, reason, pinnedAt } by attribute. `members`: { ref
   * (`sourceRecordId:draftKey`), linkedBy, reason, linkedAt, draft (the data of the record's draft with the
   * member's key, else null), record (`MemberRecord`) } by source record and draft key. `history`: { at, kind,
   * detail, actor? } oldest first. `merges`: `MergeEvent`s, newest first.
   */
  json: { pins: string; members: string; history: string; merges: string };
};

type Row = {
  id: string;
  entity_type: MasterEntityType;
  status: 'active' | 'retired';
  replaced_by: string | null;
  version: number | null;
  attributes: Record<string, GoldenValue> | null;
  computed_at: string;
  display_name: string | null;
  pinned: string[];
  pins: string;
  members: string;
  history: string;
  merges: string;
};

/**
 * Everything the golden record page shows, in one statement and one round trip: the id resolved through
 * `replaced_by` (a retired id redirects to its survivor), the golden record, its member records with their
 * payloads, drafts and field issues, its history, pins and merges. Each part is an indexed lookup of one master's
 * rows (crosswalk by master, source and normalized records by id, history by key, merges by winner and loser).
 *
 * PostgreSQL writes the large parts (a member's payload and drafts make most of an answer of about 12 KB) as JSON
 * text in the answer's shape, selected as `text` so that pg does not parse them and Node neither parses nor
 * serializes them again. Objects are built with `json_build_object`, which keeps its keys in the order given (the
 * order of the zod schemas, as the serializer wrote them); drafts and issues are rebuilt the same way from their
 * stored jsonb, with only the schema's keys. The values are the ones JSON.stringify would write; the spacing is
 * PostgreSQL's (`"a" : 1` from json_build_object, `{"a": 1}` inside a payload), a little longer.
 */
export async function loadGoldenBundle(db: Queryable, key: string): Promise<GoldenBundle | undefined> {
  const { rows } = await queryPrepared<Row>(
    db,
    `WITH RECURSIVE chain(id, replaced_by, depth) AS (
       SELECT id, replaced_by, 0 FROM master_entity WHERE id = $1
       UNION ALL
       SELECT m.id, m.replaced_by, c.depth + 1 FROM master_entity m JOIN chain c ON m.id = c.replaced_by WHERE c.depth < 100
     ), target AS (SELECT id FROM chain WHERE replaced_by IS NULL ORDER BY depth DESC LIMIT 1)
     SELECT m.id, m.entity_type, m.status, m.replaced_by, g.version, g.attributes, coalesce(${iso('g.computed_at')}, '') AS computed_at, g.display_name,
       ARRAY(SELECT p.attribute FROM attribute_pin p WHERE p.master_id = m.id ORDER BY p.attribute) AS pinned,
       (SELECT coalesce(json_agg(json_build_object('attribute', p.attribute, 'value', p.value, 'pinnedBy', p.pinned_by, 'reason', p.reason, 'pinnedAt', ${iso('p.pinned_at')}) ORDER BY p.attribute), '[]')::text
          FROM attribute_pin p WHERE p.master_id = m.id) AS pins,
       (SELECT coalesce(json_agg(json_build_object(
                 'ref', c.source_record_id || ':' || c.draft_key, 'linkedBy', c.linked_by, 'reason', c.reason, 'linkedAt', ${iso('c.linked_at')},
                 'draft', (SELECT d.value -> 'data' FROM jsonb_array_elements(n.drafts) WITH ORDINALITY d WHERE d.value -> 'key' = to_jsonb(c.draft_key) ORDER BY d.ordinality LIMIT 1),
                 'record', json_build_object(
                   'sourceRecordId', s.id, 'connector', s.connector, 'stream', s.stream, 'sourceId', s.source_id, 'deleted', s.deleted, 'version', s.version,
                   'sourceUpdatedAt', ${iso('s.source_updated_at')}, 'lastChangedAt', ${iso('s.last_changed_at')}, 'payload', s.payload,
                   'drafts', (SELECT coalesce(json_agg(json_build_object('kind', d.value -> 'kind', 'key', d.value -> 'key', 'data', d.value -> 'data') ORDER BY d.ordinality), '[]')
                                FROM jsonb_array_elements(n.drafts) WITH ORDINALITY d),
                   -- An issue's keys are optional: json_strip_nulls leaves out the ones it does not have.
                   'issues', (SELECT coalesce(json_agg(json_strip_nulls(json_build_object('field', i.value -> 'field', 'code', i.value -> 'code', 'message', i.value -> 'message')) ORDER BY i.ordinality), '[]')
                                FROM jsonb_array_elements(n.issues) WITH ORDINALITY i))
               ) ORDER BY c.source_record_id, c.draft_key), '[]')::text
          FROM crosswalk c JOIN source_record s ON s.id = c.source_record_id LEFT JOIN normalized_record n ON n.source_record_id = s.id
         WHERE c.master_id = m.id) AS members,
       -- Every column but actor is NOT NULL here: json_strip_nulls leaves out only a missing (or empty) actor.
       (SELECT coalesce(json_agg(json_strip_nulls(json_build_object('at', ${iso('h.at')}, 'kind', h.kind, 'detail', h.detail, 'actor', nullif(h.actor, ''))) ORDER BY h.at), '[]')::text FROM (
           SELECT computed_at AS at, 'golden v' || version AS kind, cause AS detail, NULL AS actor FROM golden_record_history WHERE master_id = m.id
           UNION ALL
           SELECT merged_at, 'merge #' || id, CASE WHEN winner_id = m.id THEN 'absorbed ' || loser_id ELSE 'merged into ' || winner_id END || CASE WHEN reason <> '' THEN ': ' || reason ELSE '' END, actor
             FROM merge_event WHERE winner_id = m.id OR loser_id = m.id
           UNION ALL
           SELECT undone_at, 'unmerge #' || id, 'undid the merge of ' || loser_id || ' into ' || winner_id, undone_by
             FROM merge_event WHERE (winner_id = m.id OR loser_id = m.id) AND undone_at IS NOT NULL) h) AS history,
       (SELECT coalesce(json_agg(json_build_object('id', e.id, 'winnerId', e.winner_id, 'loserId', e.loser_id, 'actor', e.actor, 'reason', e.reason, 'score', e.score,
                 'mergedAt', ${iso('e.merged_at')}, 'undoneAt', ${iso('e.undone_at')}, 'undoneBy', e.undone_by, 'members', e.member_refs) ORDER BY e.id DESC), '[]')::text
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
    computedAt: r.computed_at,
    displayName: r.display_name,
    pinned: r.pinned,
    json: { pins: r.pins, members: r.members, history: r.history, merges: r.merges },
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

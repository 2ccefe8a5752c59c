import { ConfigError } from '../errors.js';
import type { Draft } from '../model/index.js';
import type { Queryable } from '../store/database.js';
import { findMasters } from '../store/master.queries.js';
import { keysOfDrafts, keysOfIdentifiers, sourceKey, type SubjectKey } from './subject-keys.js';

/**
 * Everything the store holds about one physician, found the same way for an export and for an erasure, so an
 * export shows exactly what an erasure would remove.
 *
 * - the masters: the one asked for (a retired id redirects to its survivor) and every master retired into it;
 * - the source records: those linked to those masters (crosswalk), those whose Rx facts are credited to them,
 *   and records linked to no other master whose payload carries one of the person's identifiers, source ids or
 *   emails anywhere (an Rx line not resolved yet, an affiliation row naming the account);
 * - the person's keys (identifiers and source keys) for tombstones, and the distinctive values (identifiers,
 *   source ids, emails) that find the person in free-form payloads (quarantine, audit values, outbox).
 *
 * A record linked to another master that merely mentions the person (another physician's row naming them as a
 * referrer) is not the person's record: it is listed in `mentionedBy`, never removed silently.
 */
export type SubjectFootprint = {
  masterId: string;
  masterIds: string[];
  sourceRecordIds: number[];
  /** Records of other masters whose payload mentions the person: kept, listed for a steward. */
  mentionedBy: Array<{ sourceRecordId: number; masterId: string }>;
  /** Masters other than the person's that lose a member when the person's records go (a shared record). */
  otherMasters: string[];
  keys: SubjectKey[];
  /** Values distinctive enough to search free text for (never names, phones or addresses: others share them). */
  searchValues: string[];
};

/** A master id (retired ids redirect) or an identifier value; refuses an unknown or ambiguous key and organizations. */
export async function findSubjectMaster(db: Queryable, key: string): Promise<string> {
  const found = await findMasters(db, key);
  if (found.length === 0) throw new ConfigError('privacy.not_found', `No physician with master id or identifier "${key}".`);
  const ids = [...new Set(found.map((f) => f.id))];
  const { rows } = await db.query<{ id: string; entity_type: string; replaced_by: string | null }>('SELECT id, entity_type, replaced_by FROM master_entity WHERE id = ANY($1::text[])', [ids]);
  const people = rows.filter((r) => r.entity_type === 'hcp');
  const survivors = [...new Set(people.map((r) => r.replaced_by ?? r.id))];
  if (people.length === 0) {
    throw new ConfigError('privacy.not_a_person', `"${key}" names an organization: data subject requests are for physicians (hcp masters).`);
  }
  if (survivors.length > 1) {
    throw new ConfigError('privacy.ambiguous', `"${key}" names ${survivors.length} physicians (${survivors.join(', ')}): give the master id of the one the request is about.`);
  }
  return survivors[0]!;
}

export async function collectFootprint(db: Queryable, masterId: string): Promise<SubjectFootprint> {
  const { rows: cluster } = await db.query<{ id: string }>(
    `WITH RECURSIVE cluster(id, depth) AS (
       SELECT id, 0 FROM master_entity WHERE id = $1
       UNION
       SELECT m.id, c.depth + 1 FROM master_entity m JOIN cluster c ON m.replaced_by = c.id WHERE c.depth < 100
     )
     SELECT DISTINCT id FROM cluster ORDER BY id`,
    [masterId],
  );
  const masterIds = cluster.map((r) => r.id);
  if (masterIds.length === 0) throw new ConfigError('privacy.not_found', `No master ${masterId}.`);

  const { rows: linked } = await db.query<{ id: number }>(
    `SELECT source_record_id AS id FROM crosswalk WHERE master_id = ANY($1::text[])
     UNION SELECT source_record_id FROM rx_fact WHERE master_id = ANY($1::text[])`,
    [masterIds],
  );
  const own = new Set(linked.map((r) => r.id));

  // The person's identifiers, from every version of their golden records, the index, and their records' drafts.
  const keys: SubjectKey[] = [];
  const searchValues = new Set<string>();
  const { rows: goldens } = await db.query<{ identifiers: unknown }>(
    `SELECT attributes->'identifiers'->'value' AS identifiers FROM golden_record WHERE master_id = ANY($1::text[])
     UNION ALL
     SELECT attributes->'identifiers'->'value' FROM golden_record_history WHERE master_id = ANY($1::text[])
     UNION ALL
     SELECT jsonb_build_array(jsonb_build_object('type', type, 'value', value, 'issuer', issuer)) FROM master_identifier WHERE master_id = ANY($1::text[])`,
    [masterIds],
  );
  for (const g of goldens) if (Array.isArray(g.identifiers)) keys.push(...keysOfIdentifiers(g.identifiers as Array<{ type: string; value?: string; issuer?: string }>));

  const { rows: records } = await db.query<{ id: number; connector: string; stream: string; source_id: string; drafts: Draft[] | null }>(
    `SELECT s.id, s.connector, s.stream, s.source_id, n.drafts FROM source_record s LEFT JOIN normalized_record n ON n.source_record_id = s.id
      WHERE s.id = ANY($1::bigint[])`,
    [[...own]],
  );
  for (const r of records) {
    // Only the drafts that are the person: a record may also carry an organization linked elsewhere.
    const drafts = (r.drafts ?? []).filter((d) => d.kind === 'hcp' || d.kind === 'rx_fact');
    keys.push(...keysOfDrafts(drafts));
    for (const d of drafts) {
      if (d.kind !== 'hcp') continue;
      for (const c of d.data.contactPoints ?? []) if (c.kind === 'email') searchValues.add(c.value);
      for (const i of d.data.identifiers ?? []) if (['npi', 'dea', 'me', 'salesforce_id', 'veeva_network_id'].includes(i.type) && i.value.length >= 8) searchValues.add(i.value);
    }
    if (r.source_id.length >= 8) searchValues.add(r.source_id);
  }
  for (const k of keys) if ((k.kind === 'npi' || k.kind === 'dea' || k.kind === 'me') && k.text.length >= 8) searchValues.add(k.text);

  // Records linked to no master of the person that carry one of the person's values anywhere in their payload.
  const values = [...searchValues];
  const mentioning = values.length
    ? (
        await db.query<{ id: number; other_master: string | null }>(
          `SELECT s.id, (SELECT min(c.master_id) FROM crosswalk c WHERE c.source_record_id = s.id AND NOT c.master_id = ANY($2::text[])) AS other_master
             FROM source_record s
            WHERE NOT s.id = ANY($3::bigint[])
              AND EXISTS (SELECT 1 FROM jsonb_path_query(s.payload, 'strict $.**') v
                           WHERE jsonb_typeof(v) IN ('string', 'number') AND (v #>> '{}') = ANY($1::text[]))`,
          [values, masterIds, [...own]],
        )
      ).rows
    : [];
  const mentionedBy: SubjectFootprint['mentionedBy'] = [];
  for (const m of mentioning) {
    if (m.other_master) mentionedBy.push({ sourceRecordId: m.id, masterId: m.other_master });
    else own.add(m.id);
  }

  const sourceRecordIds = [...own].sort((a, b) => a - b);
  const { rows: all } = await db.query<{ connector: string; stream: string; source_id: string }>('SELECT connector, stream, source_id FROM source_record WHERE id = ANY($1::bigint[])', [sourceRecordIds]);
  for (const r of all) keys.push(sourceKey(r.connector, r.stream, r.source_id));
  const { rows: others } = await db.query<{ master_id: string }>(
    'SELECT DISTINCT master_id FROM crosswalk WHERE source_record_id = ANY($1::bigint[]) AND NOT master_id = ANY($2::text[]) ORDER BY 1',
    [sourceRecordIds, masterIds],
  );
  return { masterId, masterIds, sourceRecordIds, mentionedBy, otherMasters: others.map((o) => o.master_id), keys, searchValues: values };
}

// Tables export and erasure handle by name; any other table with a foreign key to a master or a source record
// (added by a later feature: segments, notes ...) is found in the catalog, so a new table cannot keep an erased
// person, or hide them from an export, by being forgotten here.
const HANDLED = new Set(['crosswalk', 'master_identifier', 'golden_record', 'golden_record_history', 'merge_event', 'attribute_pin', 'rx_fact', 'sales_fact', 'master_entity', 'normalized_record']);

export type ReferencingTable = {
  /** Quoted by PostgreSQL (regclass text), safe to put in SQL. */
  table: string;
  name: string;
  /** Quoted by PostgreSQL (quote_ident). */
  column: string;
  target: 'master_entity' | 'source_record';
};

export async function listOtherReferencingTables(db: Queryable): Promise<ReferencingTable[]> {
  const { rows } = await db.query<{ table_name: string; relname: string; column_name: string; target: 'master_entity' | 'source_record' }>(
    `SELECT c.conrelid::regclass::text AS table_name, t.relname, quote_ident(a.attname) AS column_name, r.relname AS target
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_class r ON r.oid = c.confrelid
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
        AND c.confrelid IN (to_regclass('master_entity'), to_regclass('source_record'))
      ORDER BY 1, 3`,
  );
  return rows.filter((r) => !HANDLED.has(r.relname)).map((r) => ({ table: r.table_name, name: r.relname, column: r.column_name, target: r.target }));
}

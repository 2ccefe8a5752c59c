import type { Queryable } from '../../store/database.js';
import type { MasterSearchIndex } from '../search/master-search-index.js';
import { setSimilarity, trigrams } from '../search/trigram.js';
import { queryPrepared } from './prepared.js';

export type MasterSearch = {
  name?: string;
  identifier?: { type?: string; value: string };
  city?: string;
  state?: string;
  specialty?: string;
  entityType?: 'hcp' | 'hco';
  limit: number;
  offset: number;
};

/**
 * A hit as JSON text in the answer's shape (`HitSchema` in routes/masters.ts: id, entityType, displayName, city,
 * state, specialties, identifiers as { type, value }, score), with its id. PostgreSQL writes all but the score;
 * neither pg nor the API parses it.
 */
export type MasterHit = { id: string; json: string };

/**
 * Is whole-name trigram search available (pg_trgm installed, and migration 011 could index `master_search` with it)?
 * Similar-word search needs no extension: the search index computes trigram similarity itself.
 */
export async function hasTrigramSearch(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')
        AND EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'master_search_name_trgm') AS ok`,
  );
  return rows[0]?.ok ?? false;
}

/** Words of a name query, lowercased, letters and digits only: "O'Brien, John" -> obrien, john. */
export function nameTokens(name: string): string[] {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9']+/)
    .map((t) => t.replace(/'/g, ''))
    .filter((t) => t.length > 0)
    .slice(0, 4);
}

/**
 * Active masters by name, exact identifier (through `master_identifier`), city, state and specialty (filter terms:
 * any of the master's addresses). The search index (`MasterSearchIndex`, in memory) chooses and orders the page:
 * exact names, then name prefixes, then similar words, each step only filling what the earlier ones left (see
 * `MasterSearchIndex.find`). Only when those find nobody, and where pg_trgm is installed, does the store look for
 * whole names by trigram similarity ("mercy hosp" for an organization). The store then reads the page's rows by id,
 * in the same statement checking that the index has seen every change (else it catches up and answers again). One
 * page, `offset + limit + 1` ids, to know whether another page follows: no count over the whole master. A hit's
 * score is the trigram similarity of its name to the words asked for.
 */
export async function searchMasters(db: Queryable, index: MasterSearchIndex, search: MasterSearch, options: { trigram: boolean }): Promise<{ hits: MasterHit[]; hasMore: boolean }> {
  const tokens = search.name ? nameTokens(search.name) : [];
  // A name made only of punctuation names nobody: it must not fall through to "every master".
  if (search.name && tokens.length === 0) return { hits: [], hasMore: false };
  const filters: string[] = [];
  const city = search.city?.trim().toUpperCase();
  const state = search.state?.trim().toUpperCase();
  if (city && state) filters.push(`place:${state}:${city}`);
  else if (city) filters.push(`city:${city}`);
  else if (state) filters.push(`state:${state}`);
  if (search.specialty) filters.push(`specialty:${search.specialty.trim()}`);
  const need = search.offset + search.limit + 1;

  await index.ready();
  const find = async (within: string[] | undefined): Promise<Array<{ id: string; nameKey: string | null }>> => {
    const found = index.findNamed({ tokens, entityType: search.entityType, filters, within, need });
    if (found.length > 0 || tokens.length === 0 || !options.trigram) return found;
    return (await wholeNames(db, tokens, { entityType: search.entityType, filters, within, need })).map((id) => ({ id, nameKey: index.nameKeyOf(id) }));
  };
  // One statement to the store in the steady state: with an identifier, the rows of its masters (a handful) before
  // the index orders them; otherwise the index chooses the page and the store reads its rows.
  const answer = async (seenUpTo: string | null) => {
    if (search.identifier) {
      const read = await readIdentifierRows(db, search.identifier, seenUpTo);
      const found = await find([...read.rows.keys()]);
      return { ...read, found };
    }
    const found = await find(undefined);
    return { ...(await readRows(db, found.slice(search.offset, search.offset + search.limit).map((h) => h.id), seenUpTo)), found };
  };
  let read = await answer(index.seenUpTo);
  if (read.stale) {
    // The store holds changes the index has not seen: catch up (with every write committed before this search
    // began) and answer again.
    await index.catchUp();
    read = await answer(null);
  }
  const query = tokens.length > 0 ? trigrams(tokens.join(' ')) : undefined;
  const hits: MasterHit[] = [];
  for (const { id, nameKey } of read.found.slice(search.offset, search.offset + search.limit)) {
    const row = read.rows.get(id);
    if (row === undefined) continue;
    const score = query ? (nameKey === null ? 0 : setSimilarity(trigrams(nameKey), query)) : null;
    // The row's object without its closing brace, then the score (a number as JSON.stringify writes it, or null).
    hits.push({ id, json: `${row.slice(0, -1)},"score":${score === null ? 'null' : String(score)}}` });
  }
  return { hasMore: read.found.length > search.offset + search.limit, hits };
}

/**
 * Whether the store holds search rows or tombstones the index may not have seen (given its horizon, `$1`): the
 * newest stamps, read from the end of their indexes (max() keeps the index in a generic plan too, where a range on
 * a parameter would be planned as a scan of every row). Each read below asks it in the statement that reads its
 * rows, whose snapshot is taken after the search began.
 */
const STALE =
  '$1::xid8 IS NOT NULL AND ((SELECT max(changed_xid) FROM master_search) >= $1::xid8 OR (SELECT max(removed_xid) FROM master_search_removed) >= $1::xid8) IS TRUE AS stale';
/**
 * The search rows asked for as one text: per row its id, a unit separator and the hit's JSON object without a score
 * (`MasterHit`; the stored identifiers are { type, value } objects already, migration 011), rows separated by a
 * record separator. As text, pg hands it over without parsing it.
 */
const HITS =
  "(SELECT coalesce(string_agg(s.master_id || chr(31) || json_build_object('id', s.master_id, 'entityType', s.entity_type, 'displayName', s.display_name, " +
  "'city', s.city, 'state', s.state, 'specialties', s.specialties, 'identifiers', s.identifiers)::text, chr(30)), '') FROM master_search s WHERE ";
// The ids as one text, split by PostgreSQL: master ids are letters, digits and `_`, and sending a text costs the
// API less than pg's encoding of an array parameter.
const ROWS_BY_ID = 'SELECT ' + STALE + ', ' + HITS + "s.master_id = ANY (string_to_array($2::text, ','))) AS hits";
const IDENTIFIER_MASTERS = 's.master_id IN (SELECT i.master_id FROM master_identifier i WHERE i.value IN ($2, $3)';
const ROWS_BY_IDENTIFIER = 'SELECT ' + STALE + ', ' + HITS + IDENTIFIER_MASTERS + ')) AS hits';
const ROWS_BY_TYPED_IDENTIFIER = 'SELECT ' + STALE + ', ' + HITS + IDENTIFIER_MASTERS + ' AND i.type = $4)) AS hits';

/** Hits' JSON by master id, from `HITS`. */
type Rows = { stale: boolean; rows: Map<string, string> };

function rowsOf(result: { stale: boolean; hits: string }): Rows {
  const rows = new Map<string, string>();
  if (result.hits !== '') {
    for (const row of result.hits.split('\u001e')) {
      const at = row.indexOf('\u001f');
      rows.set(row.slice(0, at), row.slice(at + 1));
    }
  }
  return { stale: result.stale, rows };
}

/** The search rows of these masters. */
async function readRows(db: Queryable, ids: string[], seenUpTo: string | null): Promise<Rows> {
  const { rows } = await queryPrepared<{ stale: boolean; hits: string }>(db, ROWS_BY_ID, [seenUpTo, ids.join(',')]);
  return rowsOf(rows[0]!);
}

/** The search rows of the masters an identifier value belongs to (the value as given and upper-cased: DEA numbers are letters too). */
async function readIdentifierRows(db: Queryable, identifier: { type?: string; value: string }, seenUpTo: string | null): Promise<Rows> {
  const value = identifier.value.trim();
  const { rows } = identifier.type
    ? await queryPrepared<{ stale: boolean; hits: string }>(db, ROWS_BY_TYPED_IDENTIFIER, [seenUpTo, value, value.toUpperCase(), identifier.type])
    : await queryPrepared<{ stale: boolean; hits: string }>(db, ROWS_BY_IDENTIFIER, [seenUpTo, value, value.toUpperCase()]);
  return rowsOf(rows[0]!);
}

/**
 * Whole names by trigram similarity (pg_trgm's GIN index on `master_search.name_key`), closest first: the last
 * resort, for names whose words are neither exact, prefixes nor near a dictionary word (organizations' names are
 * not in the word dictionary).
 */
async function wholeNames(db: Queryable, tokens: string[], scope: { entityType?: string; filters: string[]; within?: string[]; need: number }): Promise<string[]> {
  const { rows } = await db.query<{ master_id: string }>(
    `SELECT s.master_id FROM master_search s
      WHERE s.active AND s.name_key OPERATOR(public.%) $1
        AND ($2::text IS NULL OR s.entity_type = $2) AND s.filters @> $3::text[] AND ($4::text[] IS NULL OR s.master_id = ANY ($4::text[]))
      ORDER BY public.similarity(s.name_key, $1) DESC, s.master_id LIMIT $5`,
    [tokens.join(' '), scope.entityType ?? null, scope.filters, scope.within ?? null, scope.need],
  );
  return rows.map((r) => r.master_id);
}

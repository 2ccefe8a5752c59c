import type { Queryable } from '../../store/database.js';
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

export type MasterHit = {
  id: string;
  entityType: 'hcp' | 'hco';
  displayName: string | null;
  city: string | null;
  state: string | null;
  specialties: string[];
  identifiers: Array<{ type: string; value: string }>;
  score: number | null;
};

/** Is fuzzy name search available (pg_trgm installed, and migration 011 could index `master_search` with it)? */
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

type SearchRow = {
  master_id: string;
  entity_type: 'hcp' | 'hco';
  display_name: string | null;
  city: string | null;
  state: string | null;
  specialties: string[];
  identifiers: Array<{ type: string; value: string }>;
  score: number | null;
};

/**
 * One step of a name search: the ids of up to `limit` more masters, in the order the step answers in. `scope` is
 * the condition every step adds on `master_search s` (active, type, filters, identifier, not found yet); `p` binds
 * a parameter.
 */
type Step = (ctx: { tokens: string[]; scope: string; limit: string; p: (value: unknown) => string }) => string;

/** Person keys in index order: the order of the exact and fuzzy steps. */
const PERSON_ORDER = 's.last_key, s.first_key, s.name_key, s.master_id';

/**
 * 1. exact: a physician whose golden last name is one of the words and, with two words or more, whose first name
 *    is another ("william harrington" and "harrington william" alike).
 */
const exactStep: Step = ({ tokens, scope, limit, p }) => {
  const pairs = tokens.flatMap((last, i) => tokens.filter((_, j) => j !== i).map((first) => [last, first] as const));
  const match = tokens.length === 1 ? `s.last_key = ${p(tokens[0])}` : `(${pairs.map(([last, first]) => `(s.last_key = ${p(last)} AND s.first_key = ${p(first)})`).join(' OR ')})`;
  return `SELECT s.master_id FROM master_search s WHERE ${scope} AND ${match} ORDER BY ${PERSON_ORDER} LIMIT ${limit}`;
};

/**
 * 2. prefix: one of the words starts the name and every word appears in it, in name order (the only step without
 *    pg_trgm, and how organizations are found). One index range per word, each stopping after a page.
 */
const prefixStep: Step = ({ tokens, scope, limit, p }) => {
  const contains = tokens.map((t) => `s.name_key LIKE ${p(`%${likeEscape(t)}%`)}`).join(' AND ');
  const branches = tokens.map(
    (t) => `(SELECT s.master_id, s.name_key FROM master_search s WHERE ${scope} AND s.name_key LIKE ${p(`${likeEscape(t)}%`)} AND ${contains} ORDER BY s.name_key, s.master_id LIMIT ${limit})`,
  );
  return `SELECT DISTINCT master_id, name_key FROM (${branches.join(' UNION ALL ')}) s ORDER BY name_key, master_id LIMIT ${limit}`;
};

/**
 * 3. similar words: pg_trgm finds, in the dictionary of name words (`master_search_term`), the words closest to
 *    each query word (similarity 0.4 or more, the 5 closest); physicians whose last name is one of them and whose
 *    first name is one of another word's come first, then those whose last name alone is. "wiliam harington"
 *    finds William Harrington. Every probe is an index lookup that stops after a page.
 */
const similarWordsStep: Step = ({ tokens, scope, limit, p }) => {
  const similar = `SELECT q.pos, w.term, w.sim FROM unnest(${p(tokens)}::text[]) WITH ORDINALITY AS q(tok, pos)
      CROSS JOIN LATERAL (SELECT t.term, public.similarity(t.term, q.tok) AS sim FROM master_search_term t
                           WHERE t.term OPERATOR(public.%) q.tok ORDER BY 2 DESC, 1 LIMIT 5) w
     WHERE w.sim >= 0.4`;
  const pairs = `SELECT s.master_id, s.name_key, l.sim + f.sim AS rank FROM near l JOIN near f ON f.pos <> l.pos
      CROSS JOIN LATERAL (SELECT s.master_id, s.name_key FROM master_search s WHERE ${scope} AND s.last_key = l.term AND s.first_key = f.term
                           ORDER BY ${PERSON_ORDER} LIMIT ${limit}) s`;
  const lastOnly = `SELECT s.master_id, s.name_key, l.sim AS rank FROM near l
      CROSS JOIN LATERAL (SELECT s.master_id, s.name_key FROM master_search s WHERE ${scope} AND s.last_key = l.term
                           ORDER BY ${PERSON_ORDER} LIMIT ${limit}) s`;
  return `WITH near AS MATERIALIZED (${similar})
    SELECT master_id FROM (SELECT DISTINCT ON (master_id) master_id, name_key, rank FROM (${tokens.length > 1 ? `${pairs} UNION ALL ` : ''}${lastOnly}) c
                            ORDER BY master_id, rank DESC) c
     ORDER BY rank DESC, name_key, master_id LIMIT ${limit}`;
};

/** 4. whole name (pg_trgm): trigram similarity of the whole name, closest first: only when nothing else was found. */
const wholeNameStep: Step = ({ tokens, scope, limit, p }) => {
  const q = p(tokens.join(' '));
  return `SELECT s.master_id FROM master_search s WHERE ${scope} AND s.name_key OPERATOR(public.%) ${q} ORDER BY public.similarity(s.name_key, ${q}) DESC, s.master_id LIMIT ${limit}`;
};

/** Tokens are letters and digits only, but a LIKE pattern is escaped all the same. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Without a name: every master the filters keep, in name order. */
const allStep: Step = ({ scope, limit }) => `SELECT s.master_id FROM master_search s WHERE ${scope} ORDER BY s.name_key, s.master_id LIMIT ${limit}`;

/**
 * Active masters by name, exact identifier (through `master_identifier`), city, state and specialty (filter terms
 * of `master_search`: any of the master's addresses). A name search takes the steps above in turn, cheapest and
 * closest first, each only filling what the earlier ones left of the page, and the costly whole-name trigram
 * search only when nothing else matched. All in one statement: the steps are a UNION ALL under the page's LIMIT, so
 * PostgreSQL stops running steps as soon as the page is full (a page of common names is answered by btree ranges
 * alone), and each step leaves out the masters an earlier one found. One page, `offset + limit + 1` rows read to
 * know whether another page follows: no count over the whole master.
 */
export async function searchMasters(db: Queryable, search: MasterSearch, options: { trigram: boolean }): Promise<{ hits: MasterHit[]; hasMore: boolean }> {
  const tokens = search.name ? nameTokens(search.name) : [];
  // A name made only of punctuation names nobody: it must not fall through to "every master".
  if (search.name && tokens.length === 0) return { hits: [], hasMore: false };
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const scope = ['s.active'];
  if (search.entityType) scope.push(`s.entity_type = ${p(search.entityType)}`);
  if (search.identifier) {
    const value = search.identifier.value.trim();
    scope.push(
      `s.master_id IN (SELECT i.master_id FROM master_identifier i WHERE i.value IN (${p(value)}, ${p(value.toUpperCase())})${search.identifier.type ? ` AND i.type = ${p(search.identifier.type)}` : ''})`,
    );
  }
  const filters: string[] = [];
  const city = search.city?.trim().toUpperCase();
  const state = search.state?.trim().toUpperCase();
  if (city && state) filters.push(`place:${state}:${city}`);
  else if (city) filters.push(`city:${city}`);
  else if (state) filters.push(`state:${state}`);
  if (search.specialty) filters.push(`specialty:${search.specialty.trim()}`);
  if (filters.length > 0) scope.push(`s.filters @> ${p(filters)}::text[]`);
  const need = search.offset + search.limit + 1;
  const limit = p(need);

  const steps: Step[] = tokens.length === 0 ? [allStep] : [exactStep, prefixStep, ...(options.trigram ? [similarWordsStep] : [])];
  const earlier = (i: number) => Array.from({ length: i }, (_, j) => `SELECT master_id FROM step${j}`).join(' UNION ALL ');
  const ctes = steps.map((step, i) => {
    const stepScope = i === 0 ? scope.join(' AND ') : `${scope.join(' AND ')} AND s.master_id NOT IN (${earlier(i)})`;
    return `step${i} AS MATERIALIZED (SELECT master_id FROM (${step({ tokens, scope: stepScope, limit, p })}) x)`;
  });
  if (tokens.length > 0 && options.trigram) {
    const i = ctes.length;
    ctes.push(`step${i} AS MATERIALIZED (SELECT master_id FROM (${wholeNameStep({ tokens, scope: scope.join(' AND '), limit, p })}) x WHERE NOT EXISTS (${earlier(i)}))`);
  }
  const score = tokens.length > 0 && options.trigram ? `public.similarity(s.name_key, ${p(tokens.join(' '))})` : 'NULL::real';
  const text = `WITH ${ctes.join(',\n')},
    found AS (SELECT master_id, row_number() OVER () AS position FROM (${ctes.map((_, i) => `SELECT master_id FROM step${i}`).join(' UNION ALL ')} LIMIT ${limit}) u)
    SELECT s.master_id, s.entity_type, s.display_name, s.city, s.state, s.specialties, s.identifiers, ${score} AS score
      FROM found x JOIN master_search s ON s.master_id = x.master_id
     ORDER BY x.position`;
  // Prepared (planned once per connection) unless a filter term is bound: how many masters a state holds varies a
  // hundredfold, and a generic plan chosen for one state would be wrong for another.
  const { rows } = filters.length === 0 ? await queryPrepared<SearchRow>(db, text, params) : await db.query<SearchRow>(text, params);
  const page = rows.slice(search.offset, search.offset + search.limit);
  return {
    hasMore: rows.length > search.offset + search.limit,
    hits: page.map((r) => ({
      id: r.master_id,
      entityType: r.entity_type,
      displayName: r.display_name,
      city: r.city,
      state: r.state,
      specialties: r.specialties,
      identifiers: r.identifiers,
      score: r.score,
    })),
  };
}

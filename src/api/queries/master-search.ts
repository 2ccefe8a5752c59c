import type { Queryable } from '../../store/database.js';

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

/** One step of a name search: its condition on `master_search s`, the order it answers in, and its score. */
type Tier = { name: string; where: (p: (value: unknown) => string) => string; order: (query: string | undefined) => string };

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
 * The steps of a name search, cheapest and closest first; each later step only fills what the earlier ones left
 * of the page:
 * 1. exact: a physician whose golden last name is one of the words and, with two words or more, whose first name
 *    is another ("william harrington" and "harrington william" alike), in name order;
 * 2. prefix: one of the words starts the name and every word appears in it, in name order (the only step
 *    without pg_trgm);
 * 3. fuzzy (pg_trgm): trigram similarity of the whole name, closest first, which finds misspellings.
 * Steps 1 and 2 walk a btree in the order they answer in and stop after a page; step 3, the costly one, runs only
 * when the page is not full yet.
 */
function nameTiers(tokens: string[], trigram: boolean): Tier[] {
  const tiers: Tier[] = [];
  const pairs = tokens.flatMap((last, i) => tokens.filter((_, j) => j !== i).map((first) => [last, first] as const));
  tiers.push({
    name: 'exact',
    where: (p) =>
      tokens.length === 1
        ? `s.last_key = ${p(tokens[0])}`
        : `(${pairs.map(([last, first]) => `(s.last_key = ${p(last)} AND s.first_key = ${p(first)})`).join(' OR ')})`,
    order: () => 's.last_key, s.first_key, s.name_key, s.master_id',
  });
  tiers.push({
    name: 'prefix',
    where: (p) => {
      const prefixes = tokens.map((t) => `s.name_key LIKE ${p(`${likeEscape(t)}%`)}`);
      const contains = tokens.map((t) => `s.name_key LIKE ${p(`%${likeEscape(t)}%`)}`);
      return `(${prefixes.join(' OR ')}) AND ${contains.join(' AND ')}`;
    },
    order: () => 's.name_key, s.master_id',
  });
  if (trigram) {
    tiers.push({
      name: 'fuzzy',
      where: (p) => `s.name_key OPERATOR(public.%) ${p(tokens.join(' '))}`,
      order: (query) => `public.similarity(s.name_key, ${query}) DESC, s.master_id`,
    });
  }
  return tiers;
}

/** Tokens are letters and digits only, but a LIKE pattern is escaped all the same. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Active masters by name (see `nameTiers`), exact identifier (through `master_identifier`), city, state and
 * specialty (filter terms of `master_search`, any of the master's addresses). One page, `offset + limit + 1` rows
 * read to know whether another page follows: no count over the whole master.
 */
export async function searchMasters(db: Queryable, search: MasterSearch, options: { trigram: boolean }): Promise<{ hits: MasterHit[]; hasMore: boolean }> {
  const tokens = search.name ? nameTokens(search.name) : [];
  // A name made only of punctuation names nobody: it must not fall through to "every master".
  if (search.name && tokens.length === 0) return { hits: [], hasMore: false };
  const need = search.offset + search.limit + 1;
  const tiers: Tier[] = tokens.length > 0 ? nameTiers(tokens, options.trigram) : [{ name: 'all', where: () => 'true', order: () => 's.name_key, s.master_id' }];
  const found: SearchRow[] = [];
  for (const tier of tiers) {
    if (found.length >= need) break;
    found.push(...(await searchTier(db, search, tier, tokens, found.map((r) => r.master_id), need - found.length, options.trigram)));
  }
  const page = found.slice(search.offset, search.offset + search.limit);
  return {
    hasMore: found.length > search.offset + search.limit,
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

async function searchTier(db: Queryable, search: MasterSearch, tier: Tier, tokens: string[], exclude: string[], limit: number, trigram: boolean): Promise<SearchRow[]> {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['s.active'];
  if (search.entityType) where.push(`s.entity_type = ${p(search.entityType)}`);
  where.push(tier.where(p));
  const query = tokens.length > 0 && trigram ? p(tokens.join(' ')) : undefined;
  if (search.identifier) {
    const value = search.identifier.value.trim();
    where.push(
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
  if (filters.length > 0) where.push(`s.filters @> ${p(filters)}::text[]`);
  if (exclude.length > 0) where.push(`NOT (s.master_id = ANY (${p(exclude)}::text[]))`);
  const { rows } = await db.query<SearchRow>(
    `SELECT s.master_id, s.entity_type, s.display_name, s.city, s.state, s.specialties, s.identifiers,
            ${query ? `public.similarity(s.name_key, ${query})` : 'NULL::real'} AS score
       FROM master_search s
      WHERE ${where.join(' AND ')}
      ORDER BY ${tier.order(query)}
      LIMIT ${p(limit)}`,
    params,
  );
  return rows;
}

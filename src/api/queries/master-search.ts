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

/** Is pg_trgm installed in this store (migration 009 installs it where the server or PGlite offers it)? */
export async function hasTrigramSearch(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')
        AND EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'golden_record_name_trgm') AS ok`,
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
 * Active masters by fuzzy name (pg_trgm similarity when available; otherwise every word must appear and one must
 * start the name, which the prefix index serves), exact identifier (through `master_identifier`), city, state and
 * specialty (containment on the golden attributes, served by their GIN index). One page, `limit + 1` rows read to
 * know whether another page follows: no count over the whole master.
 */
export async function searchMasters(db: Queryable, search: MasterSearch, options: { trigram: boolean }): Promise<{ hits: MasterHit[]; hasMore: boolean }> {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = [`m.status = 'active'`];
  let order = 'lower(g.display_name), g.master_id';
  let score = 'NULL::real';
  if (search.entityType) where.push(`g.entity_type = ${p(search.entityType)}`);
  const tokens = search.name ? nameTokens(search.name) : [];
  // A name made only of punctuation names nobody: it must not fall through to "every master".
  if (search.name && tokens.length === 0) return { hits: [], hasMore: false };
  if (tokens.length > 0) {
    const prefixes = tokens.map((t) => `lower(g.display_name) LIKE ${p(`${t}%`)}`);
    const contains = tokens.map((t) => `lower(g.display_name) LIKE ${p(`%${t}%`)}`);
    if (options.trigram) {
      const q = p(tokens.join(' '));
      where.push(`(lower(g.display_name) OPERATOR(public.%) ${q} OR ((${prefixes.join(' OR ')}) AND ${contains.join(' AND ')}))`);
      score = `public.similarity(lower(g.display_name), ${q})`;
      order = `${score} DESC, g.master_id`;
    } else {
      where.push(`(${prefixes.join(' OR ')})`, ...contains);
    }
  }
  if (search.identifier) {
    const value = search.identifier.value.trim();
    where.push(
      `g.master_id IN (SELECT i.master_id FROM master_identifier i WHERE i.value IN (${p(value)}, ${p(value.toUpperCase())})${search.identifier.type ? ` AND i.type = ${p(search.identifier.type)}` : ''})`,
    );
  }
  const address: Record<string, string> = {};
  if (search.city) address.city = search.city.trim().toUpperCase();
  if (search.state) address.state = search.state.trim().toUpperCase();
  const contained: Record<string, unknown> = {};
  if (Object.keys(address).length > 0) contained.addresses = { value: [address] };
  if (search.specialty) contained.specialties = { value: [search.specialty.trim()] };
  if (Object.keys(contained).length > 0) where.push(`g.attributes @> ${p(JSON.stringify(contained))}::jsonb`);

  const { rows } = await db.query<{ master_id: string; entity_type: 'hcp' | 'hco'; display_name: string | null; addresses: unknown; specialties: unknown; score: number | null }>(
    `SELECT g.master_id, g.entity_type, g.display_name, g.attributes->'addresses'->'value' AS addresses, g.attributes->'specialties'->'value' AS specialties, ${score} AS score
       FROM golden_record g JOIN master_entity m ON m.id = g.master_id
      WHERE ${where.join(' AND ')}
      ORDER BY ${order}
      LIMIT ${p(search.limit + 1)} OFFSET ${p(search.offset)}`,
    params,
  );
  const page = rows.slice(0, search.limit);
  const ids = page.map((r) => r.master_id);
  const identifiers = new Map<string, Array<{ type: string; value: string }>>();
  if (ids.length > 0) {
    const found = await db.query<{ master_id: string; type: string; value: string }>(
      `SELECT master_id, type, value FROM master_identifier WHERE master_id = ANY($1::text[]) AND type IN ('npi', 'dea', 'hin', 'state_license', 'me') ORDER BY type, value`,
      [ids],
    );
    for (const i of found.rows) identifiers.set(i.master_id, [...(identifiers.get(i.master_id) ?? []), { type: i.type, value: i.value }]);
  }
  return {
    hasMore: rows.length > search.limit,
    hits: page.map((r) => {
      const addresses = Array.isArray(r.addresses) ? (r.addresses as Array<{ city?: string; state?: string; primary?: boolean }>) : [];
      const primary = addresses.find((a) => a.primary) ?? addresses[0];
      return {
        id: r.master_id,
        entityType: r.entity_type,
        displayName: r.display_name,
        city: primary?.city ?? null,
        state: primary?.state ?? null,
        specialties: Array.isArray(r.specialties) ? (r.specialties as string[]) : [],
        identifiers: identifiers.get(r.master_id) ?? [],
        score: r.score,
      };
    }),
  };
}

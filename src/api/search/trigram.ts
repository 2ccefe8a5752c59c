/**
 * Trigram similarity computed as PostgreSQL's pg_trgm computes it, so the search index answers in memory what
 * `similarity(a, b)` would answer in SQL: each word (a run of letters and digits, lowercased) is padded with two
 * spaces in front and one behind, its consecutive three-character windows are its trigrams, the trigrams of all
 * words form one set, and the similarity of two texts is the number of trigrams they share over the number either
 * has. pg_trgm returns a `real`: the result is rounded to single precision, so thresholds and ties come out alike.
 */

const WORD = /[\p{L}\p{N}]+/gu;

/** The distinct trigrams of a text, pg_trgm's way. */
export function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const padded = `  ${match[0]} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  }
  return out;
}

/** pg_trgm's `similarity(a, b)` of two trigram sets. */
export function setSimilarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const t of small) if (large.has(t)) shared++;
  return Math.fround(shared / (a.size + b.size - shared));
}

/** pg_trgm's `similarity(a, b)` of two texts. */
export function similarity(a: string, b: string): number {
  return setSimilarity(trigrams(a), trigrams(b));
}

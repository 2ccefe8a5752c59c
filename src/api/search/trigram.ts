/**
 * Trigram similarity computed as PostgreSQL's pg_trgm computes it, so the search index answers in memory what
 * `similarity(a, b)` would answer in SQL: each word (a run of letters and digits, lowercased) is padded with two
 * spaces in front and one behind, its consecutive three-character windows are its trigrams, the trigrams of all
 * words form one set, and the similarity of two texts is the number of trigrams they share over the number either
 * has. pg_trgm returns a `real`: the result is rounded to single precision, so thresholds and ties come out alike.
 * A trigram is held as a number (its three UTF-16 code units side by side), which sets compare faster than strings:
 * ten bits each when all three fit (every Latin letter, digit and the space: a small integer, which V8 keeps unboxed),
 * else sixteen bits each above 2^32, so the two forms never meet.
 */

const NON_ASCII_WORD_CHAR = /[\p{L}\p{N}]/u;
const SPACE = 32;

function isWordChar(code: number, text: string, at: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  return NON_ASCII_WORD_CHAR.test(text[at]!);
}

const SMALL = 1024;
const trigram = (a: number, b: number, c: number) => (a < SMALL && b < SMALL && c < SMALL ? (a << 20) | (b << 10) | c : a * 2 ** 32 + b * 2 ** 16 + c);

/** The distinct trigrams of a text, pg_trgm's way. */
export function trigrams(text: string): Set<number> {
  const lower = text.toLowerCase();
  const out = new Set<number>();
  let a = SPACE;
  let b = SPACE;
  let inWord = false;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (isWordChar(c, lower, i)) {
      out.add(trigram(a, b, c));
      a = b;
      b = c;
      inWord = true;
    } else if (inWord) {
      out.add(trigram(a, b, SPACE));
      a = SPACE;
      b = SPACE;
      inWord = false;
    }
  }
  if (inWord) out.add(trigram(a, b, SPACE));
  return out;
}

/** A trigram as its three characters (for reading and tests). */
export function trigramText(t: number): string {
  if (t < 2 ** 30) return String.fromCharCode(t >>> 20, (t >>> 10) & (SMALL - 1), t & (SMALL - 1));
  return String.fromCharCode(Math.floor(t / 2 ** 32), Math.floor(t / 2 ** 16) % 2 ** 16, t % 2 ** 16);
}

/** pg_trgm's `similarity(a, b)` of two trigram sets. */
export function setSimilarity(a: Set<number>, b: Set<number>): number {
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

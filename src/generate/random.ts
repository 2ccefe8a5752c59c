/**
 * Seeded randomness for the generator. Nothing in src/generate may call Math.random or Date.now: the same seed must
 * give byte-identical files.
 *
 * Every entity and every source row gets its own small PRNG keyed by (seed, purpose, index) instead of sharing one
 * stream. That keeps an entity's values independent of how many entities precede it, lets a renderer regenerate a
 * physician on demand, and lets one source's options change without shifting the rows of another source.
 */

/**
 * 32-bit hash of mixed string and number parts. Integers are mixed in numerically (murmur3 blocks), strings char by
 * char (FNV-1a), so hashing (seed, index) in the hot loop costs no string conversion.
 */
export function hashSeed(...parts: ReadonlyArray<number | string>): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    if (typeof part === 'number' && Number.isInteger(part) && part >= -0x80000000 && part <= 0xffffffff) {
      h = mixBlock(h, part | 0);
      continue;
    }
    if (typeof part === 'number' && Number.isSafeInteger(part)) {
      h = mixBlock(mixBlock(h, part % 0x100000000), Math.floor(part / 0x100000000));
      continue;
    }
    const s = typeof part === 'number' ? String(part) : part;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    // A separator so ("ab", "c") and ("a", "bc") differ.
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** hashSeed(key, index) for two 32-bit integers, without the rest-parameter array: the hot loop's hash. */
export function hashPair(key: number, index: number): number {
  return fmix32(mixBlock(mixBlock(0x811c9dc5, key | 0), index | 0));
}

function mixBlock(h: number, block: number): number {
  let k = Math.imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let x = h ^ k;
  x = (x << 13) | (x >>> 19);
  return (Math.imul(x, 5) + 0xe6546b64) | 0;
}

function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A small fast PRNG (sfc32) with the draws the generator needs. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    // Warm up so that nearby seeds diverge.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max], both inclusive. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick called with an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Picks by weight, given the cumulative weights of a WeightedTable. */
  pickWeighted<T>(table: WeightedTable<T>): T {
    const x = this.next() * table.total;
    const cumulative = table.cumulative;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return table.items[lo] as T;
  }

  /** A string of n random decimal digits (leading zeros kept). */
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }
}

/** A PRNG for entity `index` under a precomputed key (key = hashSeed(seed, purpose...)). */
export function rngAt(key: number, index: number): Rng {
  return new Rng(hashPair(key, index));
}

/** A PRNG keyed by the generator seed and a purpose, e.g. rngFor(seed, 'hcp', 17). */
export function rngFor(seed: number, ...parts: ReadonlyArray<number | string>): Rng {
  return new Rng(hashSeed(seed, ...parts));
}

export interface WeightedTable<T> {
  readonly items: readonly T[];
  readonly cumulative: readonly number[];
  readonly total: number;
}

export function weightedTable<T>(entries: ReadonlyArray<readonly [T, number]>): WeightedTable<T> {
  const items: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of entries) {
    if (weight <= 0) continue;
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  return { items, cumulative, total };
}

/**
 * A keyed bijection on [0, 10^(2*halfDigits)): a balanced Feistel network over two decimal halves. Used to turn an
 * entity index into an identifier that looks random but can never collide with another entity's.
 */
export function permuteDecimal(x: number, halfDigits: number, key: number): number {
  return feistel(x, 10 ** halfDigits, key);
}

/** The same idea over [0, 2^(2*halfBits)), for identifiers written in other bases. */
export function permuteBits(x: number, halfBits: number, key: number): number {
  return feistel(x, 2 ** halfBits, key);
}

/** Four Feistel rounds over the two halves of x in base m: a keyed bijection on [0, m^2). */
function feistel(x: number, m: number, key: number): number {
  let left = Math.floor(x / m) % m;
  let right = x % m;
  for (let round = 0; round < 4; round++) {
    const f = hashPair(key + round * 0x9e3779b9, right) % m;
    const next = (left + f) % m;
    left = right;
    right = next;
  }
  return left * m + right;
}

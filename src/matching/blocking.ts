/**
 * Blocking decides which pairs are compared, never how they score. Each rule is a key over one or more fields
 * (all parts must be present); two records are a candidate pair when they share a key under any rule. A pair found
 * by several rules is compared once: a rule skips pairs an earlier rule already produced (checked by comparing the
 * earlier rules' integer keys, so no pair set is ever materialised).
 */
import { soundex } from './comparators/soundex.js';
import type { BlockingKey, BlockingRule } from './model-schema.js';
import type { RecordStore } from './record-store.js';

export const NO_KEY = -1;

export function describeRule(rule: BlockingRule): string {
  return (
    rule.name ??
    rule.keys.map((k) => (k.fn === 'exact' ? k.field : `${k.fn}${k.n ? `(${k.n})` : ''}(${k.field})`)).join(' & ')
  );
}

/** The key part of one field of one record ('' when absent). */
export function keyPart(store: RecordStore, key: BlockingKey, fieldIdx: number, record: number): string {
  const vid = store.value(fieldIdx, record);
  if (vid < 0) return '';
  const s = store.strings[vid] as string;
  switch (key.fn) {
    case 'exact':
    case 'lower':
      return s;
    case 'first_chars':
      return s.slice(0, key.n ?? 1);
    case 'last_chars':
      return s.slice(-(key.n ?? 1));
    case 'soundex':
      return soundex(s);
    case 'double_metaphone':
      return store.metaphoneCode(vid);
    case 'year': {
      const d = store.date(vid);
      return d >= 0 ? String(Math.floor(d / 10000)) : '';
    }
    case 'digits':
      return s.replace(/\D+/g, '');
    case 'sorted_tokens':
      return s.split(' ').sort().join(' ');
  }
}

/** Keys of one rule for every record, interned to integers (NO_KEY when a part is missing). */
export class RuleKeys {
  readonly keys: number[] = [];
  private readonly lookup = new Map<string, number>();
  private readonly fieldIdx: number[];
  /** Per-value key-part cache (most key parts depend only on the value). */
  private readonly partCache: Map<number, string>[];

  constructor(
    readonly rule: BlockingRule,
    readonly store: RecordStore,
  ) {
    this.fieldIdx = rule.keys.map((k) => store.field(k.field));
    this.partCache = rule.keys.map(() => new Map<number, string>());
  }

  get distinctKeys(): number {
    return this.lookup.size;
  }

  /** Computes the key of a record (without storing it). */
  keyString(record: number): string | undefined {
    let out = '';
    for (let k = 0; k < this.rule.keys.length; k++) {
      const f = this.fieldIdx[k] as number;
      const vid = this.store.value(f, record);
      if (vid < 0) return undefined;
      const cache = this.partCache[k] as Map<number, string>;
      let part = cache.get(vid);
      if (part === undefined) {
        part = keyPart(this.store, this.rule.keys[k] as BlockingKey, f, record);
        cache.set(vid, part);
      }
      if (part === '') return undefined;
      out = k === 0 ? part : `${out}\u0001${part}`;
    }
    return out;
  }

  /** Key id of a record not necessarily stored (NO_KEY when absent or never seen). */
  lookupKey(record: number): number {
    const s = this.keyString(record);
    return s === undefined ? NO_KEY : (this.lookup.get(s) ?? NO_KEY);
  }

  /** Computes and stores the key of record `record` (records must be pushed in index order). */
  push(record: number): number {
    const s = this.keyString(record);
    let id = NO_KEY;
    if (s !== undefined) {
      id = this.lookup.get(s) ?? NO_KEY;
      if (id === NO_KEY) {
        id = this.lookup.size;
        this.lookup.set(s, id);
      }
    }
    this.keys[record] = id;
    return id;
  }
}

/** Growable pair list (two Int32Arrays). */
export class PairList {
  left = new Int32Array(1024);
  right = new Int32Array(1024);
  length = 0;

  push(a: number, b: number): void {
    if (this.length === this.left.length) {
      const l = new Int32Array(this.left.length * 2);
      l.set(this.left);
      this.left = l;
      const r = new Int32Array(this.right.length * 2);
      r.set(this.right);
      this.right = r;
    }
    this.left[this.length] = a;
    this.right[this.length] = b;
    this.length++;
  }
}

export interface BlockingStats {
  rule: string;
  distinctKeys: number;
  pairs: number;
  skippedBlocks: number;
}

export interface BlockingResult {
  pairs: PairList;
  ruleKeys: RuleKeys[];
  stats: BlockingStats[];
}

export interface BlockingOptions {
  /** Compare only records from different sources (record linkage). */
  linkOnly?: boolean;
}

export function buildRuleKeys(rules: readonly BlockingRule[], store: RecordStore): RuleKeys[] {
  return rules.map((rule) => {
    const rk = new RuleKeys(rule, store);
    for (let i = 0; i < store.size; i++) rk.push(i);
    return rk;
  });
}

/** True when an earlier rule (index < r) already pairs a and b. */
export function pairedByEarlierRule(ruleKeys: readonly RuleKeys[], r: number, a: number, b: number): boolean {
  for (let q = 0; q < r; q++) {
    const keys = (ruleKeys[q] as RuleKeys).keys;
    const ka = keys[a] as number;
    if (ka !== NO_KEY && ka === keys[b]) return true;
  }
  return false;
}

/** Generates every candidate pair (a < b) once, over live records. */
export function generateCandidatePairs(
  rules: readonly BlockingRule[],
  store: RecordStore,
  options: BlockingOptions = {},
): BlockingResult {
  const ruleKeys = buildRuleKeys(rules, store);
  const pairs = new PairList();
  const stats: BlockingStats[] = [];
  const n = store.size;
  const sources = store.sources;
  const alive = store.alive;
  for (let r = 0; r < ruleKeys.length; r++) {
    const rk = ruleKeys[r] as RuleKeys;
    const keys = rk.keys;
    const k = rk.distinctKeys;
    // Counting sort of records by key: buckets are contiguous runs of `order`.
    const start = new Int32Array(k + 1);
    for (let i = 0; i < n; i++) {
      const key = keys[i] as number;
      if (key !== NO_KEY && alive[i]) (start[key + 1] as number)++;
    }
    for (let i = 0; i < k; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
    const order = new Int32Array(start[k] as number);
    const fill = start.slice(0, k);
    for (let i = 0; i < n; i++) {
      const key = keys[i] as number;
      if (key !== NO_KEY && alive[i]) order[(fill[key] as number)++] = i;
    }
    const maxBlock = rules[r]?.max_block_size ?? Number.POSITIVE_INFINITY;
    let produced = 0;
    let skipped = 0;
    for (let key = 0; key < k; key++) {
      const s = start[key] as number;
      const e = start[key + 1] as number;
      if (e - s < 2) continue;
      if (e - s > maxBlock) {
        skipped++;
        continue;
      }
      for (let x = s; x < e; x++) {
        const a = order[x] as number;
        for (let y = x + 1; y < e; y++) {
          const b = order[y] as number;
          if (options.linkOnly && sources[a] === sources[b]) continue;
          if (r > 0 && pairedByEarlierRule(ruleKeys, r, a, b)) continue;
          pairs.push(a, b);
          produced++;
        }
      }
    }
    stats.push({ rule: describeRule(rules[r] as BlockingRule), distinctKeys: k, pairs: produced, skippedBlocks: skipped });
  }
  return { pairs, ruleKeys, stats };
}

/** Bitmask of the rules (first 31) under which a and b share a key. */
export function rulesSatisfied(ruleKeys: readonly RuleKeys[], a: number, b: number): number {
  let mask = 0;
  for (let q = 0; q < ruleKeys.length && q < 31; q++) {
    const keys = (ruleKeys[q] as RuleKeys).keys;
    const ka = keys[a] as number;
    if (ka !== NO_KEY && ka === keys[b]) mask |= 1 << q;
  }
  return mask;
}

/**
 * Blocking decides which pairs are compared, never how they score. Each rule is a key over one or more fields
 * (all parts must be present); two records are a candidate pair when they share a key under any rule. A pair found
 * by several rules is compared once: a rule skips pairs an earlier rule already produced (checked by comparing the
 * earlier rules' integer keys, so no pair set is ever materialised).
 */
import { soundex } from './comparators/soundex.js';
import type { BlockingKey, BlockingRule } from './model-schema.js';
import { IntColumn, type RecordStore } from './record-store.js';

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

const UNCOMPUTED = -2;

/** Open-addressing hash map from a pair of non-negative int32s to dense ids 0, 1, 2, ... (no allocation per key). */
export class PairIds {
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  private ids = new Int32Array(1024).fill(-1);
  private mask = 1023;
  size = 0;

  private static hash(x: number, y: number): number {
    let h = Math.imul(x, 0x9e3779b1) ^ Math.imul(y + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 13);
  }

  /** The id of (x, y); when absent, a new id if `insert`, else -1. */
  get(x: number, y: number, insert: boolean): number {
    let i = PairIds.hash(x, y) & this.mask;
    for (;;) {
      const id = this.ids[i] as number;
      if (id < 0) break;
      if (this.a[i] === x && this.b[i] === y) return id;
      i = (i + 1) & this.mask;
    }
    if (!insert) return -1;
    const id = this.size++;
    this.a[i] = x;
    this.b[i] = y;
    this.ids[i] = id;
    if (this.size * 2 > this.mask) this.grow();
    return id;
  }

  private grow(): void {
    const { a, b, ids } = this;
    const cap = ids.length * 2;
    this.a = new Int32Array(cap);
    this.b = new Int32Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j] as number;
      if (id < 0) continue;
      const x = a[j] as number;
      const y = b[j] as number;
      let i = PairIds.hash(x, y) & this.mask;
      while ((this.ids[i] as number) >= 0) i = (i + 1) & this.mask;
      this.a[i] = x;
      this.b[i] = y;
      this.ids[i] = id;
    }
  }
}

/**
 * Keys of one rule for every record, as dense integers (NO_KEY when a part is missing). Each key part is computed
 * once per distinct value (most parts depend only on the value) and interned; the parts of a record are then
 * combined with integer maps, so no key string is built per record.
 */
export class RuleKeys {
  private readonly keyCol = new IntColumn(1024, NO_KEY);
  private readonly fieldIdx: number[];
  /** Per key part: part string -> part id, and part id -> string (for messages). */
  private readonly partLookup: Map<string, number>[];
  private readonly partStrings: string[][];
  /** Per key part: local id of a value (RecordStore.localId) -> part id (-1: empty part; UNCOMPUTED). */
  private readonly partOfValue: IntColumn[];
  /** combine[k] (k >= 1): (id of parts 0..k-1, part k) -> combined id. The last one holds the rule's keys. */
  private readonly combine: PairIds[];
  private keyCount = 0;

  constructor(
    readonly rule: BlockingRule,
    readonly store: RecordStore,
  ) {
    this.fieldIdx = rule.keys.map((k) => store.field(k.field));
    this.partLookup = rule.keys.map(() => new Map<string, number>());
    this.partStrings = rule.keys.map(() => []);
    this.partOfValue = rule.keys.map(() => new IntColumn(1024, UNCOMPUTED));
    this.combine = rule.keys.map(() => new PairIds());
  }

  /** keys[record] = key id or NO_KEY; replaced as records are pushed, so read it afresh. */
  get keys(): Int32Array {
    return this.keyCol.data;
  }

  get distinctKeys(): number {
    return this.keyCount;
  }

  /** Part id of key part k for a value id (interning new parts); -1 when the part is empty. */
  private part(k: number, record: number): number {
    const f = this.fieldIdx[k] as number;
    const vid = this.store.value(f, record);
    if (vid < 0) return -1;
    const cache = this.partOfValue[k] as IntColumn;
    const local = this.store.localId(vid);
    if (local >= cache.data.length) cache.ensure(local + 1);
    let id = cache.data[local] as number;
    if (id !== UNCOMPUTED) return id;
    const s = keyPart(this.store, this.rule.keys[k] as BlockingKey, f, record);
    if (s === '') id = -1;
    else {
      const lookup = this.partLookup[k] as Map<string, number>;
      id = lookup.get(s) ?? -1;
      if (id < 0) {
        id = lookup.size;
        lookup.set(s, id);
        (this.partStrings[k] as string[]).push(s);
      }
    }
    cache.data[local] = id;
    return id;
  }

  /** The key of a record: its id, or NO_KEY when a part is missing or (insert false) the key was never seen. */
  private compute(record: number, insert: boolean): number {
    const parts = this.rule.keys.length;
    let id = this.part(0, record);
    if (id < 0) return NO_KEY;
    if (parts === 1) {
      if (insert && id >= this.keyCount) this.keyCount = id + 1;
      else if (!insert && id >= this.keyCount) return NO_KEY;
      return id;
    }
    for (let k = 1; k < parts; k++) {
      const p = this.part(k, record);
      if (p < 0) return NO_KEY;
      id = (this.combine[k] as PairIds).get(id, p, insert);
      if (id < 0) return NO_KEY;
    }
    if (insert && id >= this.keyCount) this.keyCount = id + 1;
    return id;
  }

  /** The key of a record as text (parts joined by " | "), for messages; undefined when a part is missing. */
  keyString(record: number): string | undefined {
    const out: string[] = [];
    for (let k = 0; k < this.rule.keys.length; k++) {
      const p = this.part(k, record);
      if (p < 0) return undefined;
      out.push((this.partStrings[k] as string[])[p] as string);
    }
    return out.join(' | ');
  }

  /** Key id of a record not necessarily stored (NO_KEY when absent or never seen). */
  lookupKey(record: number): number {
    return this.compute(record, false);
  }

  /** Computes and stores the key of record `record` (records must be pushed in index order). */
  push(record: number): number {
    const id = this.compute(record, true);
    this.keyCol.ensure(record + 1);
    this.keyCol.data[record] = id;
    if (record >= this.keyCol.length) this.keyCol.length = record + 1;
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
  /** Keys shared by more records than the rule's max_block_size (or the default cap): never paired on. */
  skippedBlocks: number;
  /** Records in skipped blocks, and the pairs they would have made. */
  skippedRecords: number;
  skippedPairs: number;
  /** The largest skipped keys (at most 5), as text. */
  skippedKeys: { key: string; records: number }[];
}

export interface BlockingResult {
  pairs: PairList;
  ruleKeys: RuleKeys[];
  stats: BlockingStats[];
  /** One line per rule that skipped over-common keys, e.g. for a log. */
  warnings: string[];
}

/** Blocks larger than this are skipped under rules without their own max_block_size (one would be ~50M pairs). */
export const DEFAULT_MAX_BLOCK_SIZE = 10_000;

export interface BlockingOptions {
  /** Compare only records from different sources (record linkage). */
  linkOnly?: boolean;
  /** Cap for rules without max_block_size (default DEFAULT_MAX_BLOCK_SIZE; Infinity for none). */
  maxBlockSize?: number;
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
  return pairedBefore(ruleKeys.map((rk) => rk.keys), r, a, b);
}

function pairedBefore(keysByRule: readonly Int32Array[], r: number, a: number, b: number): boolean {
  for (let q = 0; q < r; q++) {
    const keys = keysByRule[q] as Int32Array;
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
  const keysByRule = ruleKeys.map((rk) => rk.keys);
  const pairs = new PairList();
  const stats: BlockingStats[] = [];
  const warnings: string[] = [];
  const n = store.size;
  const sources = store.sources;
  const alive = store.alive;
  const linkOnly = options.linkOnly ?? false;
  for (let r = 0; r < ruleKeys.length; r++) {
    const rk = ruleKeys[r] as RuleKeys;
    const keys = keysByRule[r] as Int32Array;
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
    const rule = rules[r] as BlockingRule;
    const maxBlock = rule.max_block_size ?? options.maxBlockSize ?? DEFAULT_MAX_BLOCK_SIZE;
    let produced = 0;
    const skipped: { key: number; records: number }[] = [];
    for (let key = 0; key < k; key++) {
      const s = start[key] as number;
      const e = start[key + 1] as number;
      if (e - s < 2) continue;
      if (e - s > maxBlock) {
        skipped.push({ key: s, records: e - s });
        continue;
      }
      for (let x = s; x < e; x++) {
        const a = order[x] as number;
        for (let y = x + 1; y < e; y++) {
          const b = order[y] as number;
          if (linkOnly && sources[a] === sources[b]) continue;
          if (r > 0 && pairedBefore(keysByRule, r, a, b)) continue;
          // Buckets list records in index order, so a < b.
          pairs.push(a, b);
          produced++;
        }
      }
    }
    const stat: BlockingStats = {
      rule: describeRule(rule),
      distinctKeys: k,
      pairs: produced,
      skippedBlocks: skipped.length,
      skippedRecords: skipped.reduce((acc, b) => acc + b.records, 0),
      skippedPairs: skipped.reduce((acc, b) => acc + (b.records * (b.records - 1)) / 2, 0),
      skippedKeys: [...skipped]
        .sort((x, y) => y.records - x.records)
        .slice(0, 5)
        .map((b) => ({ key: rk.keyString(order[b.key] as number) ?? '', records: b.records })),
    };
    stats.push(stat);
    if (skipped.length > 0) {
      const examples = stat.skippedKeys.map((x) => `"${x.key}" (${x.records})`).join(', ');
      warnings.push(
        `blocking rule "${stat.rule}": ${skipped.length} key(s) shared by more than ${maxBlock} records were skipped ` +
          `(${stat.skippedRecords} records, ${stat.skippedPairs} pairs not compared under this rule), e.g. ${examples}; ` +
          'such a key says little about identity: make the rule more specific or rely on the other rules',
      );
    }
  }
  return { pairs, ruleKeys, stats, warnings };
}

/** Bitmask of the rules (first 31) under which a and b share a key. */
export function rulesSatisfied(ruleKeys: readonly (RuleKeys | Int32Array)[], a: number, b: number): number {
  let mask = 0;
  for (let q = 0; q < ruleKeys.length && q < 31; q++) {
    const rk = ruleKeys[q] as RuleKeys | Int32Array;
    const keys = rk instanceof Int32Array ? rk : rk.keys;
    const ka = keys[a] as number;
    if (ka !== NO_KEY && ka === keys[b]) mask |= 1 << q;
  }
  return mask;
}

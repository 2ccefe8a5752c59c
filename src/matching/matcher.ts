/**
 * Incremental matching: in-memory blocking indexes over a record set, then one record at a time is matched
 * against them with the same Scorer as batch dedupe (so a pair scores identically in both). Records can be added
 * and removed; term frequencies follow.
 *
 * The records given to createMatcher are bulk-loaded: encoded into the typed RecordStore, keyed per blocking rule,
 * and each rule's index built at once as a counting sort (one Int32Array of record indices grouped by key plus the
 * start of each group), with no per-record allocation. Records added later go to a small per-rule overflow map;
 * removed records are skipped (the store marks them dead). Keys shared by more records than a rule's
 * max_block_size (default DEFAULT_MAX_BLOCK_SIZE) are not used to find candidates, as in batch blocking.
 */
import { DEFAULT_MAX_BLOCK_SIZE, NO_KEY, RuleKeys } from './blocking.js';
import { explainPair, type PairExplanation } from './explain.js';
import { modelFields, type MatchModel } from './model-schema.js';
import { RecordStore, type RawRecord } from './record-store.js';
import { Scorer, weightToProbability, type Decision } from './scoring.js';

export interface MatchCandidate {
  id: string;
  matchWeight: number;
  probability: number;
  decision: Decision;
  explanation?: PairExplanation;
}

export interface MatchRecordOptions {
  /** Most candidates returned (best first); default 10. */
  limit?: number;
  /** Drop candidates scoring below this match weight; default: the review threshold. */
  minWeight?: number;
  /** Attach the waterfall explanation to returned candidates; default true. */
  explain?: boolean;
}

export interface Matcher {
  readonly size: number;
  readonly scorer: Scorer;
  matchRecord(record: RawRecord, options?: MatchRecordOptions): MatchCandidate[];
  add(record: RawRecord, id?: string): string;
  remove(id: string): boolean;
}

const PROBE_ID = '\u0000probe';

export function createMatcher(model: MatchModel, records: Iterable<RawRecord> = [], options: { idColumn?: string } = {}): Matcher {
  const idColumn = options.idColumn ?? model.id_column;
  const store = new RecordStore(modelFields(model), model.normalize ?? {});
  const scorer = new Scorer(model, store);
  const rules = model.blocking.map((r) => new RuleKeys(r, store));
  const maxBlock = model.blocking.map((r) => r.max_block_size ?? DEFAULT_MAX_BLOCK_SIZE);
  /** Bulk index per rule: records of key k are order[start[k] .. start[k + 1]). */
  let bulk: { start: Int32Array; order: Int32Array }[] = rules.map(() => ({ start: new Int32Array(1), order: new Int32Array(0) }));
  /** Records indexed after the bulk load, by rule and key. */
  const overflow = rules.map(() => new Map<number, number[]>());
  let seen = new Int32Array(1024);
  let stamp = 0;
  let autoId = 0;

  const recordId = (record: RawRecord, id?: string): string => {
    const raw = id ?? (idColumn !== undefined ? record[idColumn] : undefined);
    return raw === undefined || raw === null || raw === '' ? `auto-${++autoId}` : String(raw as string);
  };

  const add = (record: RawRecord, id?: string): string => {
    const rid = recordId(record, id);
    const i = store.add(rid, record);
    rules.forEach((rk, r) => {
      const key = rk.push(i);
      if (key === NO_KEY) return;
      const map = overflow[r] as Map<number, number[]>;
      const list = map.get(key);
      if (list) list.push(i);
      else map.set(key, [i]);
    });
    return rid;
  };

  // Bulk load.
  if (Array.isArray(records)) store.reserve(records.length);
  for (const r of records) store.add(recordId(r), r);
  const n = store.size;
  bulk = rules.map((rk) => {
    for (let i = 0; i < n; i++) rk.push(i);
    const keys = rk.keys;
    const k = rk.distinctKeys;
    const start = new Int32Array(k + 1);
    for (let i = 0; i < n; i++) {
      const key = keys[i] as number;
      if (key !== NO_KEY) start[key + 1] = (start[key + 1] as number) + 1;
    }
    for (let x = 0; x < k; x++) start[x + 1] = (start[x + 1] as number) + (start[x] as number);
    const order = new Int32Array(start[k] as number);
    const fill = start.slice(0, k);
    for (let i = 0; i < n; i++) {
      const key = keys[i] as number;
      if (key !== NO_KEY) order[(fill[key] as number)++] = i;
    }
    return { start, order };
  });

  const matchRecord = (record: RawRecord, opts: MatchRecordOptions = {}): MatchCandidate[] => {
    const limit = opts.limit ?? 10;
    const minWeight = opts.minWeight ?? scorer.reviewWeight;
    const probe = store.addTemporary(PROBE_ID, record);
    try {
      if (seen.length < store.size) {
        const next = new Int32Array(store.size * 2);
        next.set(seen);
        seen = next;
      }
      if (++stamp === 0x7fffffff) {
        seen.fill(0);
        stamp = 1;
      }
      const found: { i: number; w: number }[] = [];
      const consider = (i: number): void => {
        if (seen[i] === stamp || !store.alive[i]) return;
        seen[i] = stamp;
        const verdict = scorer.identifierVerdict(probe, i);
        const w = verdict === -1 ? Number.NEGATIVE_INFINITY : scorer.weight(probe, i);
        if (w >= minWeight || verdict === 1) found.push({ i, w });
      };
      for (let r = 0; r < rules.length; r++) {
        const key = (rules[r] as RuleKeys).lookupKey(probe);
        if (key === NO_KEY) continue;
        const { start, order } = bulk[r] as { start: Int32Array; order: Int32Array };
        const s = key + 1 < start.length ? (start[key] as number) : 0;
        const e = key + 1 < start.length ? (start[key + 1] as number) : 0;
        const extra = (overflow[r] as Map<number, number[]>).get(key);
        // An over-common key (more records than the rule's max_block_size) finds no candidates, as in batch.
        if (e - s + (extra?.length ?? 0) > (maxBlock[r] as number)) continue;
        for (let x = s; x < e; x++) consider(order[x] as number);
        if (extra) for (const i of extra) consider(i);
      }
      found.sort((x, y) => y.w - x.w);
      return found.slice(0, limit).map(({ i, w }) => {
        const verdict = scorer.identifierVerdict(probe, i);
        return {
          id: store.ids[i] as string,
          matchWeight: w,
          probability: weightToProbability(w),
          decision: scorer.decide(w, verdict),
          explanation: opts.explain === false ? undefined : { ...explainPair(scorer, probe, i), leftId: '(probe)' },
        };
      });
    } finally {
      store.popLast();
    }
  };

  const remove = (id: string): boolean => {
    const i = store.indexOfId.get(id);
    if (i === undefined) return false;
    rules.forEach((rk, r) => {
      const key = rk.keys[i] as number;
      if (key === NO_KEY) return;
      // Bulk-indexed records stay in place (dead records are skipped); overflow lists drop them.
      const list = (overflow[r] as Map<number, number[]>).get(key);
      const at = list ? list.indexOf(i) : -1;
      if (list && at >= 0) list.splice(at, 1);
    });
    return store.remove(id);
  };

  return {
    get size() {
      return store.liveCount;
    },
    scorer,
    matchRecord,
    add,
    remove,
  };
}

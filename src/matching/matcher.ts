/**
 * Incremental matching: in-memory blocking indexes over a record set, then one record at a time is matched
 * against them with the same Scorer as batch dedupe (so a pair scores identically in both). Records can be added
 * and removed; term frequencies follow.
 */
import { NO_KEY, RuleKeys } from './blocking.js';
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
  const buckets = rules.map(() => new Map<number, number[]>());
  let seen = new Int32Array(1024);
  let stamp = 0;
  let autoId = 0;

  const index = (i: number): void => {
    rules.forEach((rk, r) => {
      const key = rk.push(i);
      if (key === NO_KEY) return;
      const map = buckets[r] as Map<number, number[]>;
      const list = map.get(key);
      if (list) list.push(i);
      else map.set(key, [i]);
    });
  };

  const add = (record: RawRecord, id?: string): string => {
    const raw = id ?? (idColumn !== undefined ? record[idColumn] : undefined);
    const rid = raw === undefined || raw === null || raw === '' ? `auto-${++autoId}` : String(raw as string);
    const i = store.add(rid, record);
    index(i);
    return rid;
  };

  for (const r of records) add(r);

  const matchRecord = (record: RawRecord, opts: MatchRecordOptions = {}): MatchCandidate[] => {
    const limit = opts.limit ?? 10;
    const minWeight = opts.minWeight ?? scorer.reviewWeight;
    const probe = store.add(PROBE_ID, record);
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
      for (let r = 0; r < rules.length; r++) {
        const key = (rules[r] as RuleKeys).lookupKey(probe);
        if (key === NO_KEY) continue;
        const list = (buckets[r] as Map<number, number[]>).get(key);
        if (!list) continue;
        for (const i of list) {
          if (seen[i] === stamp || !store.alive[i]) continue;
          seen[i] = stamp;
          const verdict = scorer.identifierVerdict(probe, i);
          const w = verdict === -1 ? Number.NEGATIVE_INFINITY : scorer.weight(probe, i);
          if (w >= minWeight || verdict === 1) found.push({ i, w });
        }
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
      const list = (buckets[r] as Map<number, number[]>).get(key);
      if (!list) return;
      const at = list.indexOf(i);
      if (at >= 0) list.splice(at, 1);
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

/**
 * Unsupervised Fellegi-Sunter training, after Splink:
 * - u (P(level | not a match)) from random record pairs drawn with a seeded RNG; the exact level's u is computed
 *   exactly from value frequencies (sum of squared term frequencies) because random sampling sees it too rarely.
 * - m (P(level | match)) by expectation-maximisation over blocked candidate pairs with u held fixed. Blocking biases
 *   the fields it blocks on (every pair blocked on surname agrees on surname, match or not), so EM runs one session
 *   per blocking rule on the pairs that rule produces, and a session estimates m only for comparisons that do not
 *   read the rule's fields. A comparison's m is the average of its sessions weighted by their expected matches.
 * - the prior (lambda) as the fixed point of: expected matches among candidate pairs / all possible pairs.
 * - from steward labels (supervised / semi-supervised): labelled matches and non-matches update m and u as counts
 *   added to the current estimates (a Beta-style blend), so a handful of decisions nudges rather than overwrites.
 */
import { rulesSatisfied, type PairList, type RuleKeys } from './blocking.js';
import type { Level, MatchModel } from './model-schema.js';
import { createRandom } from './random.js';
import type { RecordStore } from './record-store.js';
import { Scorer, weightToProbability } from './scoring.js';

const M_FLOOR = 1e-6;
const U_FLOOR = 1e-9;

/** Parameters of one comparison during training: per-level arrays (index 0 = null level, unused). */
export interface LevelParameters {
  m: Float64Array;
  u: Float64Array;
  /** Fixed log2 Bayes factor for levels with a bayes_factor (NaN when free). */
  fixedLog2Bf: Float64Array;
}

export interface EmInput {
  /** Level indices, row-major: pairCount rows of comparisonCount bytes. */
  gamma: Uint8Array;
  comparisonCount: number;
  /** Rows to use (all when undefined). */
  rows?: Int32Array;
  /** Comparisons that take part (others are ignored in both steps). */
  active: boolean[];
  params: LevelParameters[];
  lambda: number;
  maxIterations: number;
  tolerance: number;
}

export interface EmResult {
  m: Float64Array[];
  lambda: number;
  iterations: number;
  /** Expected number of matches among the rows. */
  expectedMatches: number;
}

/** Default starting m for a level list: decreasing down the levels, little mass on the catch-all. */
export function defaultM(levels: readonly Level[]): Float64Array {
  const m = new Float64Array(levels.length);
  const k = levels.length - 1;
  let sum = 0;
  for (let l = 1; l <= k; l++) {
    m[l] = l === k ? 0.05 : Math.pow(0.5, l - 1);
    sum += m[l] as number;
  }
  for (let l = 1; l <= k; l++) m[l] = (m[l] as number) / sum;
  return m;
}

/** Default u: rising down the levels, most mass on the catch-all. */
export function defaultU(levels: readonly Level[]): Float64Array {
  const u = new Float64Array(levels.length);
  const k = levels.length - 1;
  let sum = 0;
  for (let l = 1; l <= k; l++) {
    u[l] = l === k ? 0.9 : 0.01 * l;
    sum += u[l] as number;
  }
  for (let l = 1; l <= k; l++) u[l] = (u[l] as number) / sum;
  return u;
}

export function parametersFromModel(model: MatchModel): LevelParameters[] {
  return model.comparisons.map((c) => {
    const dm = defaultM(c.levels);
    const du = defaultU(c.levels);
    return {
      m: Float64Array.from(c.levels.map((l, i) => (i === 0 ? 0 : (l.m ?? (dm[i] as number))))),
      u: Float64Array.from(c.levels.map((l, i) => (i === 0 ? 0 : (l.u ?? (du[i] as number))))),
      fixedLog2Bf: Float64Array.from(c.levels.map((l) => (l.bayes_factor !== undefined ? Math.log2(l.bayes_factor) : Number.NaN))),
    };
  });
}

/** Writes parameters back into a copy of the model (the same YAML document shape). */
export function applyParameters(model: MatchModel, params: LevelParameters[], prior: number): MatchModel {
  const copy = structuredClone(model);
  copy.prior = clamp(prior, 1e-12, 0.5);
  copy.comparisons.forEach((c, ci) => {
    const p = params[ci] as LevelParameters;
    c.levels.forEach((l, li) => {
      if (li === 0 || l.type === 'null' || l.bayes_factor !== undefined) return;
      l.m = clamp(p.m[li] as number, M_FLOOR, 1 - M_FLOOR);
      l.u = clamp(p.u[li] as number, U_FLOOR, 1 - U_FLOOR);
    });
  });
  return copy;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * EM with u held fixed. Rows are first aggregated into distinct level patterns, so each iteration costs
 * O(patterns x comparisons) however many pairs there are.
 */
export function expectationMaximisation(input: EmInput): EmResult {
  const { gamma, comparisonCount: C, active, params } = input;
  const rowCount = input.rows ? input.rows.length : gamma.length / C;
  const activeIdx = active.flatMap((a, i) => (a ? [i] : []));
  // Aggregate patterns over the active comparisons: a pattern is a mixed-radix integer (exact while < 2^53).
  const radix = 1 + Math.max(1, ...params.map((p) => p.m.length));
  const exactKeys = Math.pow(radix, activeIdx.length) < Number.MAX_SAFE_INTEGER;
  const patternIndex = new Map<number | string, number>();
  const patterns: number[][] = [];
  const counts: number[] = [];
  const key: number[] = new Array<number>(activeIdx.length);
  for (let r = 0; r < rowCount; r++) {
    const row = input.rows ? (input.rows[r] as number) : r;
    const base = row * C;
    let code = 0;
    for (let k = 0; k < activeIdx.length; k++) {
      const l = gamma[base + (activeIdx[k] as number)] as number;
      key[k] = l;
      code = code * radix + l;
    }
    const s: number | string = exactKeys ? code : key.join(',');
    const p = patternIndex.get(s);
    if (p === undefined) {
      patternIndex.set(s, patterns.length);
      patterns.push([...key]);
      counts.push(1);
    } else counts[p] = (counts[p] as number) + 1;
  }
  const m = params.map((p) => Float64Array.from(p.m));
  const logU = params.map((p) => Float64Array.from(p.u, (x) => Math.log(Math.max(x, U_FLOOR))));
  let lambda = clamp(input.lambda, 1e-6, 1 - 1e-6);
  let iterations = 0;
  let expected = 0;
  const post = new Float64Array(patterns.length);
  for (let it = 0; it < input.maxIterations; it++) {
    iterations = it + 1;
    const logM = m.map((arr) => Float64Array.from(arr, (x) => Math.log(Math.max(x, M_FLOOR))));
    // E-step
    const logPrior = Math.log(lambda) - Math.log(1 - lambda);
    expected = 0;
    for (let p = 0; p < patterns.length; p++) {
      const pat = patterns[p] as number[];
      let lr = logPrior;
      for (let k = 0; k < activeIdx.length; k++) {
        const c = activeIdx[k] as number;
        const l = pat[k] as number;
        if (l === 0) continue;
        const fixed = (params[c] as LevelParameters).fixedLog2Bf[l] as number;
        lr += Number.isNaN(fixed) ? (logM[c] as Float64Array)[l]! - (logU[c] as Float64Array)[l]! : fixed * Math.LN2;
      }
      const pr = lr > 40 ? 1 : lr < -40 ? 0 : 1 / (1 + Math.exp(-lr));
      post[p] = pr;
      expected += pr * (counts[p] as number);
    }
    // M-step
    let delta = 0;
    for (let k = 0; k < activeIdx.length; k++) {
      const c = activeIdx[k] as number;
      const mc = m[c] as Float64Array;
      const fixed = (params[c] as LevelParameters).fixedLog2Bf;
      const acc = new Float64Array(mc.length);
      for (let p = 0; p < patterns.length; p++) {
        const l = (patterns[p] as number[])[k] as number;
        if (l !== 0) acc[l] = (acc[l] as number) + (post[p] as number) * (counts[p] as number);
      }
      let free = 0;
      let fixedMass = 0;
      for (let l = 1; l < mc.length; l++) {
        if (Number.isNaN(fixed[l] as number)) free += acc[l] as number;
        else fixedMass += mc[l] as number;
      }
      if (free <= 0) continue;
      for (let l = 1; l < mc.length; l++) {
        if (!Number.isNaN(fixed[l] as number)) continue;
        const next = Math.max(M_FLOOR, ((acc[l] as number) / free) * (1 - fixedMass));
        delta = Math.max(delta, Math.abs(next - (mc[l] as number)));
        mc[l] = next;
      }
    }
    const nextLambda = clamp(expected / Math.max(1, rowCount), 1e-9, 1 - 1e-9);
    delta = Math.max(delta, Math.abs(nextLambda - lambda));
    lambda = nextLambda;
    if (delta < input.tolerance) break;
  }
  return { m, lambda, iterations, expectedMatches: expected };
}

/** Draws random pairs for u estimation: any two live records, or (linking) two from different sources. */
export function sampleRandomPairs(store: RecordStore, count: number, seed: number, linkOnly = false): PairsArray {
  const rand = createRandom(seed);
  const live: number[] = [];
  for (let i = 0; i < store.size; i++) if (store.alive[i]) live.push(i);
  const left = new Int32Array(count);
  const right = new Int32Array(count);
  let n = 0;
  if (live.length < 2) return { left: left.subarray(0, 0), right: right.subarray(0, 0), length: 0 };
  let attempts = 0;
  while (n < count && attempts < count * 20) {
    attempts++;
    const a = live[Math.floor(rand() * live.length)] as number;
    const b = live[Math.floor(rand() * live.length)] as number;
    if (a === b) continue;
    if (linkOnly && store.sources[a] === store.sources[b]) continue;
    left[n] = a < b ? a : b;
    right[n] = a < b ? b : a;
    n++;
  }
  return { left: left.subarray(0, n), right: right.subarray(0, n), length: n };
}

export interface PairsArray {
  left: Int32Array;
  right: Int32Array;
  length: number;
}

/**
 * P(exact agreement | both present) among random pairs, from value counts: sum c(c-1) / N(N-1) when deduplicating,
 * sum cA*cB / NA*NB across sources when linking.
 */
export function exactAgreementProbability(store: RecordStore, fieldIdx: number, linkOnly: boolean): number {
  if (!linkOnly) {
    const counts = store.tfCounts[fieldIdx] as Int32Array;
    const N = store.nonNullCounts[fieldIdx] as number;
    if (N < 2) return 0;
    let s = 0;
    for (const c of counts) if (c > 1) s += c * (c - 1);
    return s / (N * (N - 1));
  }
  const bySource = new Map<number, Map<number, number>>();
  const col = store.column(fieldIdx);
  for (let i = 0; i < store.size; i++) {
    const v = col[i] as number;
    if (v < 0 || !store.alive[i]) continue;
    const src = store.sources[i] as number;
    let m = bySource.get(src);
    if (!m) bySource.set(src, (m = new Map()));
    m.set(v, (m.get(v) ?? 0) + 1);
  }
  const maps = [...bySource.values()];
  let agree = 0;
  let total = 0;
  for (let x = 0; x < maps.length; x++) {
    for (let y = x + 1; y < maps.length; y++) {
      const a = maps[x] as Map<number, number>;
      const b = maps[y] as Map<number, number>;
      let na = 0;
      let nb = 0;
      for (const c of a.values()) na += c;
      for (const c of b.values()) nb += c;
      total += na * nb;
      for (const [v, c] of a) agree += c * (b.get(v) ?? 0);
    }
  }
  return total > 0 ? agree / total : 0;
}

/** Estimates u for every free level from random pairs (exact levels from value frequencies). */
export function estimateU(scorer: Scorer, sample: PairsArray, linkOnly: boolean): Float64Array[] {
  const C = scorer.comparisonCount;
  const gamma = new Uint8Array(C);
  const counts = scorer.comparisons.map((c) => new Float64Array(c.levels.length));
  for (let i = 0; i < sample.length; i++) {
    scorer.gamma(sample.left[i] as number, sample.right[i] as number, gamma, 0);
    for (let c = 0; c < C; c++) {
      const arr = counts[c] as Float64Array;
      const l = gamma[c] as number;
      arr[l] = (arr[l] as number) + 1;
    }
  }
  return scorer.comparisons.map((cmp, c) => {
    const arr = counts[c] as Float64Array;
    const u = new Float64Array(arr.length);
    const exactFirst = cmp.levels[1]?.type === 'exact';
    const uExact = exactFirst ? exactAgreementProbability(scorer.store, cmp.fieldIndex, linkOnly) : 0;
    let nonNull = 0;
    for (let l = exactFirst ? 2 : 1; l < arr.length; l++) nonNull += arr[l] as number;
    const rest = 1 - uExact;
    for (let l = 1; l < arr.length; l++) {
      if (exactFirst && l === 1) {
        u[l] = Math.max(uExact, 0.5 / Math.max(1, sample.length));
        continue;
      }
      const count = Math.max(arr[l] as number, 0.5);
      u[l] = nonNull > 0 ? (rest * count) / nonNull : 1 / (arr.length - 1);
    }
    return u;
  });
}

export interface TrainingReport {
  randomPairs: number;
  sessions: { rule: string; pairs: number; expectedMatches: number; lambda: number; iterations: number; trained: string[] }[];
  prior: number;
  expectedMatches: number;
}

export interface TrainInput {
  store: RecordStore;
  /** Candidate pairs of the model's blocking rules, with their keys (generateCandidatePairs). */
  pairs: PairList | PairsArray;
  ruleKeys: readonly RuleKeys[];
  /** Level indices of the candidate pairs (computed when absent). */
  gamma?: Uint8Array;
  linkOnly?: boolean;
  /** Number of pairs that could be compared without blocking (for the prior). */
  totalPossiblePairs: number;
}

/** Computes the level pattern of every pair. */
export function computeGamma(scorer: Scorer, pairs: PairList | PairsArray): Uint8Array {
  const C = scorer.comparisonCount;
  const gamma = new Uint8Array(pairs.length * C);
  for (let i = 0; i < pairs.length; i++) scorer.gamma(pairs.left[i] as number, pairs.right[i] as number, gamma, i * C);
  return gamma;
}

/** Unsupervised training: returns the trained model (same document shape) and a report. */
export function trainModel(model: MatchModel, input: TrainInput): { model: MatchModel; report: TrainingReport } {
  const opts = {
    seed: model.training?.seed ?? 42,
    random_pairs: model.training?.random_pairs ?? 200_000,
    max_iterations: model.training?.max_iterations ?? 30,
    tolerance: model.training?.tolerance ?? 1e-4,
    max_pairs: model.training?.max_pairs ?? 2_000_000,
  };
  const { store } = input;
  const linkOnly = input.linkOnly ?? false;
  const scorer = new Scorer(model, store);
  const C = scorer.comparisonCount;
  const params = parametersFromModel(model);

  // 1. u from random pairs.
  const sample = sampleRandomPairs(store, opts.random_pairs, opts.seed, linkOnly);
  const u = estimateU(scorer, sample, linkOnly);
  params.forEach((p, c) => (p.u = u[c] as Float64Array));

  // 2. m by EM, one session per blocking rule, each blind to the fields it blocks on.
  const gamma = input.gamma ?? computeGamma(scorer, input.pairs);
  const R = Math.min(input.ruleKeys.length, 31);
  // Past max_pairs, EM and the prior run on a seeded uniform sample of the candidate pairs.
  const sampled = samplePairRows(input.pairs.length, opts.max_pairs, opts.seed);
  const scale = sampled ? input.pairs.length / sampled.length : 1;
  const rowCount = sampled ? sampled.length : input.pairs.length;
  const rowsByRule: number[][] = Array.from({ length: R }, () => []);
  const keysByRule = input.ruleKeys.map((rk) => rk.keys);
  for (let s = 0; s < rowCount; s++) {
    const i = sampled ? (sampled[s] as number) : s;
    const mask = rulesSatisfied(keysByRule, input.pairs.left[i] as number, input.pairs.right[i] as number);
    for (let r = 0; r < R; r++) if (mask & (1 << r)) (rowsByRule[r] as number[]).push(i);
  }
  const mSum = params.map((p) => new Float64Array(p.m.length));
  const mWeight = new Float64Array(C);
  const report: TrainingReport = { randomPairs: sample.length, sessions: [], prior: model.prior, expectedMatches: 0 };
  for (let r = 0; r < R; r++) {
    const rk = input.ruleKeys[r] as RuleKeys;
    const blocked = new Set(rk.rule.keys.map((k) => k.field));
    const active = scorer.comparisons.map((cmp) => !cmp.fieldsUsed.some((f) => blocked.has(f)));
    const rows = rowsByRule[r] as number[];
    if (rows.length === 0 || !active.some(Boolean)) continue;
    const res = expectationMaximisation({
      gamma,
      comparisonCount: C,
      rows: Int32Array.from(rows),
      active,
      params,
      lambda: 0.3,
      maxIterations: opts.max_iterations,
      tolerance: opts.tolerance,
    });
    report.sessions.push({
      rule: rk.rule.name ?? rk.rule.keys.map((k) => `${k.fn}(${k.field})`).join(' & '),
      pairs: rows.length,
      expectedMatches: res.expectedMatches,
      lambda: res.lambda,
      iterations: res.iterations,
      trained: scorer.comparisons.filter((_, c) => active[c]).map((c) => c.name),
    });
    if (res.expectedMatches < 1) continue;
    for (let c = 0; c < C; c++) {
      if (!active[c]) continue;
      const w = res.expectedMatches;
      const src = res.m[c] as Float64Array;
      const dst = mSum[c] as Float64Array;
      for (let l = 1; l < dst.length; l++) dst[l] = (dst[l] as number) + w * (src[l] as number);
      mWeight[c] = (mWeight[c] as number) + w;
    }
  }
  for (let c = 0; c < C; c++) {
    const w = mWeight[c] as number;
    if (w <= 0) continue;
    const p = params[c] as LevelParameters;
    const dst = mSum[c] as Float64Array;
    for (let l = 1; l < p.m.length; l++) if (Number.isNaN(p.fixedLog2Bf[l] as number)) p.m[l] = (dst[l] as number) / w;
  }

  // 3. The prior: expected matches among candidates / all possible pairs, iterated to its fixed point.
  let prior = clamp(model.prior, 1e-9, 0.5);
  let trained = applyParameters(model, params, prior);
  let expected = 0;
  for (let it = 0; it < 8; it++) {
    const s = new Scorer(trained, store);
    expected = 0;
    for (let k = 0; k < rowCount; k++) {
      const i = sampled ? (sampled[k] as number) : k;
      expected += weightToProbability(s.weightFromGamma(input.pairs.left[i] as number, input.pairs.right[i] as number, gamma, i * C));
    }
    expected *= scale;
    const next = clamp(expected / Math.max(1, input.totalPossiblePairs), 1e-12, 0.5);
    const done = Math.abs(Math.log(next / prior)) < 1e-3;
    prior = next;
    trained = applyParameters(model, params, prior);
    if (done) break;
  }
  trained.training = { ...(trained.training ?? {}), ...opts, trained_at: new Date().toISOString() } as MatchModel['training'];
  report.prior = prior;
  report.expectedMatches = expected;
  return { model: trained, report };
}

/** Ascending row indices of a seeded uniform sample of `max` out of `total` rows, or undefined when total <= max. */
export function samplePairRows(total: number, max: number, seed: number): Int32Array | undefined {
  if (total <= max) return undefined;
  const rand = createRandom(seed ^ 0x5bd1e995);
  // Selection sampling (Knuth's algorithm S): exactly `max` rows, each equally likely, in order.
  const out = new Int32Array(max);
  let chosen = 0;
  for (let i = 0; i < total && chosen < max; i++) {
    if ((total - i) * rand() < max - chosen) out[chosen++] = i;
  }
  return out;
}

export interface LabelledPair {
  leftId: string;
  rightId: string;
  match: boolean;
}

/**
 * Supervised update from steward decisions: the labelled matches' levels are counts for m, the labelled
 * non-matches' for u, each blended with the current value as if it were `strength` pseudo-observations.
 */
export function trainFromLabels(
  model: MatchModel,
  store: RecordStore,
  labels: readonly LabelledPair[],
  options: { strength?: number } = {},
): MatchModel {
  const strength = options.strength ?? 20;
  const scorer = new Scorer(model, store);
  const C = scorer.comparisonCount;
  const params = parametersFromModel(model);
  const mCounts = params.map((p) => new Float64Array(p.m.length));
  const uCounts = params.map((p) => new Float64Array(p.u.length));
  const gamma = new Uint8Array(C);
  for (const label of labels) {
    const a = store.indexOfId.get(label.leftId);
    const b = store.indexOfId.get(label.rightId);
    if (a === undefined || b === undefined) continue;
    scorer.gamma(a, b, gamma, 0);
    const target = label.match ? mCounts : uCounts;
    for (let c = 0; c < C; c++) {
      const l = gamma[c] as number;
      if (l !== 0) (target[c] as Float64Array)[l] = ((target[c] as Float64Array)[l] as number) + 1;
    }
  }
  const blend = (current: Float64Array, counts: Float64Array): void => {
    let n = 0;
    for (let l = 1; l < counts.length; l++) n += counts[l] as number;
    if (n === 0) return;
    for (let l = 1; l < current.length; l++) {
      current[l] = ((current[l] as number) * strength + (counts[l] as number)) / (strength + n);
    }
  };
  params.forEach((p, c) => {
    blend(p.m, mCounts[c] as Float64Array);
    blend(p.u, uCounts[c] as Float64Array);
  });
  return applyParameters(model, params, model.prior);
}

/**
 * Batch matching of in-memory record sets: encode -> (infer model) -> block -> level patterns -> (train) ->
 * weights -> decisions -> constrained clustering. One source deduplicates; several sources deduplicate within and
 * across them, or with `linkOnly` compare only across sources (record linkage).
 */
import { generateCandidatePairs, type BlockingStats, type PairList } from './blocking.js';
import { clusterRecords, DEFAULT_CLUSTERING, type ClusterEdge, type ClusteringResult } from './clustering.js';
import { computeGamma, trainModel, type LabelledPair, type TrainingReport } from './em-training.js';
import { inferModel, type ColumnProfile } from './infer-model.js';
import { modelFields, type MatchModel } from './model-schema.js';
import { RecordStore, type RawRecord } from './record-store.js';
import { Scorer, type Decision } from './scoring.js';

export interface SourceRecords {
  name: string;
  records: readonly RawRecord[];
}

export interface DedupeOptions {
  /** The model; inferred from the columns when absent. */
  model?: MatchModel;
  sources: readonly SourceRecords[];
  /** Column holding record ids (row numbers when absent and the model names none). */
  idColumn?: string;
  /** Columns of the input (inference only; taken from the first record when absent). */
  columns?: readonly string[];
  linkOnly?: boolean;
  /** Train before scoring: 'auto' trains when the model has levels without m/u (always for inferred models). */
  train?: boolean | 'auto';
  /** Steward decisions, by record id (source-qualified "source:id" when there are several sources). */
  mustLink?: readonly (readonly [string, string])[];
  cannotLink?: readonly (readonly [string, string])[];
  labels?: readonly LabelledPair[];
  /** Cap on block size for blocking rules without their own max_block_size (default DEFAULT_MAX_BLOCK_SIZE). */
  maxBlockSize?: number;
}

export interface DedupeResult {
  model: MatchModel;
  inferred: boolean;
  profiles?: ColumnProfile[];
  store: RecordStore;
  scorer: Scorer;
  /** Record id as given, and its source index, per record index. */
  recordIds: string[];
  pairs: PairList;
  gamma: Uint8Array;
  weights: Float64Array;
  decisions: Decision[];
  clustering: ClusteringResult;
  blocking: BlockingStats[];
  /** Things a user should know (over-common blocking keys that were skipped). */
  warnings: string[];
  training?: TrainingReport;
  timings: Record<string, number>;
}

function needsTraining(model: MatchModel): boolean {
  return model.comparisons.some((c) =>
    c.levels.some((l, i) => i > 0 && l.bayes_factor === undefined && (l.m === undefined || l.u === undefined)),
  );
}

export function dedupeRecords(options: DedupeOptions): DedupeResult {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    timings[name] = now - t;
    t = now;
  };
  const allRecords = options.sources.flatMap((s) => s.records);
  let model = options.model;
  let inferred = false;
  let profiles: ColumnProfile[] | undefined;
  if (!model) {
    const columns = options.columns ?? Object.keys(allRecords[0] ?? {});
    const inf = inferModel(columns, allRecords, { idColumn: options.idColumn });
    model = inf.model;
    profiles = inf.profiles;
    inferred = true;
  }
  lap('infer');
  const idColumn = options.idColumn ?? model.id_column;
  const multi = options.sources.length > 1;
  const store = new RecordStore(modelFields(model), model.normalize ?? {});
  store.reserve(allRecords.length);
  const recordIds: string[] = [];
  options.sources.forEach((src, s) => {
    src.records.forEach((rec, row) => {
      const raw = idColumn !== undefined ? rec[idColumn] : undefined;
      const id = raw === undefined || raw === null || raw === '' ? String(row + 1) : String(raw as string);
      recordIds.push(id);
      store.add(multi ? `${src.name}:${id}` : id, rec, s);
    });
  });
  lap('encode');

  const linkOnly = options.linkOnly ?? false;
  const blocking = generateCandidatePairs(model.blocking, store, { linkOnly, maxBlockSize: options.maxBlockSize });
  lap('blocking');
  let scorer = new Scorer(model, store);
  const gamma = computeGamma(scorer, blocking.pairs);
  lap('comparisons');

  let training: TrainingReport | undefined;
  const train = options.train ?? 'auto';
  if (train === true || (train === 'auto' && (inferred || needsTraining(model)))) {
    const sizes = options.sources.map((s) => s.records.length);
    const n = sizes.reduce((a, b) => a + b, 0);
    let total = (n * (n - 1)) / 2;
    if (linkOnly) total -= sizes.reduce((acc, k) => acc + (k * (k - 1)) / 2, 0);
    const res = trainModel(model, { store, pairs: blocking.pairs, ruleKeys: blocking.ruleKeys, gamma, linkOnly, totalPossiblePairs: total });
    model = res.model;
    training = res.report;
    scorer = new Scorer(model, store);
    lap('training');
  }

  const C = scorer.comparisonCount;
  const P = blocking.pairs.length;
  const weights = new Float64Array(P);
  const decisions: Decision[] = new Array<Decision>(P);
  const edges: ClusterEdge[] = [];
  for (let i = 0; i < P; i++) {
    const a = blocking.pairs.left[i] as number;
    const b = blocking.pairs.right[i] as number;
    const w = scorer.weightFromGamma(a, b, gamma, i * C);
    weights[i] = w;
    const verdict = scorer.identifierVerdict(a, b);
    const d = scorer.decide(w, verdict);
    decisions[i] = d;
    if (d === 'match') edges.push({ a, b, weight: w, forced: verdict === 1 });
  }
  lap('scoring');

  const toIndex = (id: string): number => {
    const i = store.indexOfId.get(id);
    if (i === undefined) throw new Error(`steward decision names unknown record "${id}"`);
    return i;
  };
  const exclusive = scorer.identifierRules
    .map((r, k) => ({ r, k }))
    .filter(({ r }) => r.rule.different === 'distinct')
    .map(({ k }) => {
      const ids = new Int32Array(store.size);
      for (let i = 0; i < store.size; i++) ids[i] = scorer.validIdentifier(k, i);
      return ids;
    });
  const clustering = clusterRecords(
    store.size,
    edges,
    {
      mustLink: options.mustLink?.map(([x, y]) => [toIndex(x), toIndex(y)] as const),
      cannotLink: options.cannotLink?.map(([x, y]) => [toIndex(x), toIndex(y)] as const),
      exclusive,
      pairWeight: (a, b) => {
        if (linkOnly && store.sources[a] === store.sources[b]) return Number.NaN;
        return scorer.identifierVerdict(a, b) === -1 ? Number.NEGATIVE_INFINITY : scorer.weight(a, b);
      },
    },
    { ...DEFAULT_CLUSTERING, ...(model.clustering ?? {}) },
  );
  lap('clustering');
  return {
    model,
    inferred,
    profiles,
    store,
    scorer,
    recordIds,
    pairs: blocking.pairs,
    gamma,
    weights,
    decisions,
    clustering,
    blocking: blocking.stats,
    warnings: blocking.warnings,
    training,
    timings,
  };
}

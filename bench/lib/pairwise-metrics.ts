/**
 * Pairwise precision / recall / F1 of a clustering against ground-truth entity labels. Computed from counts per
 * (cluster, entity[, source]) so it never enumerates pairs. With `crossSourceOnly`, only pairs whose records come
 * from different sources count (record linkage).
 */
export interface PairwiseMetrics {
  truePairs: number;
  predictedPairs: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

const choose2 = (n: number): number => (n * (n - 1)) / 2;

function pairsOf(groups: readonly string[], sources: readonly number[] | undefined): number {
  const total = new Map<string, number>();
  const perSource = new Map<string, number>();
  groups.forEach((g, i) => {
    total.set(g, (total.get(g) ?? 0) + 1);
    if (sources) {
      const k = `${g}\u0000${sources[i]}`;
      perSource.set(k, (perSource.get(k) ?? 0) + 1);
    }
  });
  let n = 0;
  for (const c of total.values()) n += choose2(c);
  for (const c of perSource.values()) n -= choose2(c);
  return n;
}

export function pairwiseMetrics(
  clusterIds: readonly string[],
  entityIds: readonly string[],
  sources?: readonly number[],
): PairwiseMetrics {
  const truePairs = pairsOf(entityIds, sources);
  const predictedPairs = pairsOf(clusterIds, sources);
  const truePositives = pairsOf(
    clusterIds.map((c, i) => `${c}\u0001${entityIds[i]}`),
    sources,
  );
  const precision = predictedPairs > 0 ? truePositives / predictedPairs : 1;
  const recall = truePairs > 0 ? truePositives / truePairs : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { truePairs, predictedPairs, truePositives, precision, recall, f1 };
}

/** FEBRL ground truth: rec-N-org and rec-N-dup-k are entity N. */
export function febrlEntity(recId: string): string {
  const m = /^rec-(\d+)-/.exec(recId.trim());
  return m ? (m[1] as string) : recId;
}

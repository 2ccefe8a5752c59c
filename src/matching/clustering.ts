/**
 * Clustering that resists chaining. Pairs above the match threshold are joined strongest first with union-find,
 * but every union is checked at cluster level before it happens:
 * - steward must-link pairs are joined first and unconditionally;
 * - cannot-link pairs never end in one cluster;
 * - records holding different valid values of an exclusive identifier (NPI) never end in one cluster;
 * - unless the edge is an identifier match, the two clusters must also agree as wholes: no cross pair may clearly
 *   disagree (weight <= veto_weight) and the mean match probability over the cross pairs must reach
 *   min_average_probability. So A~B and B~C do not silently make A~C when A and C disagree.
 * Each cluster keeps the edges that built it, for explanation.
 */
import type { ClusteringOptions } from './model-schema.js';

export interface ClusterEdge {
  a: number;
  b: number;
  weight: number;
  /** An identifier rule said match (joined without the linkage check). */
  forced?: boolean;
}

export interface ClusterConstraints {
  mustLink?: readonly (readonly [number, number])[];
  cannotLink?: readonly (readonly [number, number])[];
  /** exclusive[k][record] = value id of the k-th exclusive identifier, or -1. */
  exclusive?: readonly ArrayLike<number>[];
  /** Weight of any pair on demand (for the linkage check). */
  pairWeight?: (a: number, b: number) => number;
}

export interface ClusteringResult {
  /** clusterOf[record] = representative record index (the smallest index in its cluster). */
  clusterOf: Int32Array;
  /** Edges that joined clusters, grouped by representative. */
  edges: Map<number, ClusterEdge[]>;
  rejected: { edge: ClusterEdge; reason: string }[];
}

export const DEFAULT_CLUSTERING: ClusteringOptions = { min_average_probability: 0.5, veto_weight: -8, max_cross_pairs: 400 };

/**
 * @param n number of records (indices 0..n-1); `alive[i] === false` records stay singletons.
 * @param edges candidate edges already filtered to the match decision.
 */
export function clusterRecords(
  n: number,
  edges: readonly ClusterEdge[],
  constraints: ClusterConstraints = {},
  options: ClusteringOptions = DEFAULT_CLUSTERING,
): ClusteringResult {
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  // Members of a cluster as a linked list through `next` (-1 ends it), its root holding size and tail.
  const size = new Int32Array(n).fill(1);
  const next = new Int32Array(n).fill(-1);
  const tail = new Int32Array(n);
  for (let i = 0; i < n; i++) tail[i] = i;
  const exclusive = constraints.exclusive ?? [];
  // Per root, the exclusive identifier value of the cluster for each exclusive field (-1 none).
  const clusterIds: Int32Array[] = exclusive.map((col) => {
    const ids = new Int32Array(n);
    for (let i = 0; i < n; i++) ids[i] = col[i] ?? -1;
    return ids;
  });
  const cannot = new Map<number, number[]>();
  for (const [a, b] of constraints.cannotLink ?? []) {
    (cannot.get(a) ?? cannot.set(a, []).get(a)!).push(b);
    (cannot.get(b) ?? cannot.set(b, []).get(b)!).push(a);
  }
  const joined = new Map<number, ClusterEdge[]>();
  const rejected: { edge: ClusterEdge; reason: string }[] = [];

  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[x] !== r) {
      const nx = parent[x] as number;
      parent[x] = r;
      x = nx;
    }
    return r;
  };

  const membersOf = (root: number): number[] => {
    const out: number[] = [];
    for (let x = root; x >= 0; x = next[x] as number) out.push(x);
    return out;
  };

  const union = (ra: number, rb: number, edge: ClusterEdge | undefined): void => {
    const [big, small] = (size[ra] as number) >= (size[rb] as number) ? [ra, rb] : [rb, ra];
    parent[small] = big;
    next[tail[big] as number] = small;
    tail[big] = tail[small] as number;
    size[big] = (size[big] as number) + (size[small] as number);
    for (const ids of clusterIds) if ((ids[big] as number) < 0) ids[big] = ids[small] as number;
    const eb = joined.get(big) ?? [];
    const es = joined.get(small);
    if (es) {
      for (const e of es) eb.push(e);
      joined.delete(small);
    }
    if (edge) eb.push(edge);
    joined.set(big, eb);
  };

  const constraintViolation = (ra: number, rb: number): string | undefined => {
    for (let k = 0; k < clusterIds.length; k++) {
      const ids = clusterIds[k] as Int32Array;
      const x = ids[ra] as number;
      const y = ids[rb] as number;
      if (x >= 0 && y >= 0 && x !== y) return `conflicting exclusive identifier #${k}`;
    }
    if (cannot.size > 0) {
      const [scan, other] = (size[ra] as number) <= (size[rb] as number) ? [ra, rb] : [rb, ra];
      for (let x = scan; x >= 0; x = next[x] as number) {
        for (const y of cannot.get(x) ?? []) if (find(y) === other) return 'cannot-link';
      }
    }
    return undefined;
  };

  const linkageViolation = (ra: number, rb: number): string | undefined => {
    const pairWeight = constraints.pairWeight;
    if (!pairWeight) return undefined;
    if (size[ra] === 1 && size[rb] === 1) return undefined;
    const ma = membersOf(ra);
    const mb = membersOf(rb);
    const total = ma.length * mb.length;
    const step = total > options.max_cross_pairs ? total / options.max_cross_pairs : 1;
    let sum = 0;
    let count = 0;
    for (let t = 0; t < total; t += step) {
      const idx = Math.floor(t);
      const a = ma[Math.floor(idx / mb.length)] as number;
      const b = mb[idx % mb.length] as number;
      const w = pairWeight(a, b);
      if (Number.isNaN(w)) continue; // not comparable (same source when linking)
      if (w <= options.veto_weight) return `cross pair ${a}-${b} clearly disagrees (weight ${w.toFixed(1)})`;
      sum += 1 / (1 + Math.pow(2, -w));
      count++;
    }
    if (count > 0 && sum / count < options.min_average_probability) {
      return `average linkage ${(sum / count).toFixed(3)} below ${options.min_average_probability}`;
    }
    return undefined;
  };

  for (const [a, b] of constraints.mustLink ?? []) {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) union(ra, rb, { a, b, weight: Number.POSITIVE_INFINITY, forced: true });
  }

  // Forced (identifier) edges first, then strongest first; ties by record indices, so the order is deterministic.
  const E = edges.length;
  const weight = new Float64Array(E);
  const forced = new Uint8Array(E);
  const ea = new Int32Array(E);
  const eb = new Int32Array(E);
  for (let i = 0; i < E; i++) {
    const e = edges[i] as ClusterEdge;
    weight[i] = e.weight;
    forced[i] = e.forced ? 1 : 0;
    ea[i] = e.a;
    eb[i] = e.b;
  }
  const order: number[] = new Array<number>(E);
  for (let i = 0; i < E; i++) order[i] = i;
  order.sort(
    (x, y) =>
      (forced[y] as number) - (forced[x] as number) ||
      (weight[y] as number) - (weight[x] as number) ||
      (ea[x] as number) - (ea[y] as number) ||
      (eb[x] as number) - (eb[y] as number),
  );
  for (let k = 0; k < E; k++) {
    const edge = edges[order[k] as number] as ClusterEdge;
    const ra = find(edge.a);
    const rb = find(edge.b);
    if (ra === rb) {
      const list = joined.get(ra);
      if (list) list.push(edge);
      continue;
    }
    const violation = constraintViolation(ra, rb) ?? (edge.forced ? undefined : linkageViolation(ra, rb));
    if (violation) {
      rejected.push({ edge, reason: violation });
      continue;
    }
    union(ra, rb, edge);
  }

  const clusterOf = new Int32Array(n);
  const rep = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if ((rep[r] as number) < 0) rep[r] = i;
    clusterOf[i] = rep[r] as number;
  }
  const edgesByRep = new Map<number, ClusterEdge[]>();
  for (const [root, list] of joined) edgesByRep.set(rep[root] as number, list);
  return { clusterOf, edges: edgesByRep, rejected };
}

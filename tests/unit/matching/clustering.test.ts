import { describe, expect, it } from 'vitest';
import { clusterRecords, type ClusterEdge } from '../../../src/matching/clustering.js';

const opts = { min_average_probability: 0.5, veto_weight: -8, max_cross_pairs: 400 };

describe('constrained clustering', () => {
  it('does not let A~B and B~C make A~C when A and C clearly disagree', () => {
    const edges: ClusterEdge[] = [
      { a: 0, b: 1, weight: 20 },
      { a: 1, b: 2, weight: 15 },
    ];
    const weights: Record<string, number> = { '0,1': 20, '1,2': 15, '0,2': -20 };
    const res = clusterRecords(3, edges, { pairWeight: (a, b) => weights[`${Math.min(a, b)},${Math.max(a, b)}`] ?? -30 }, opts);
    expect(res.clusterOf[0]).toBe(res.clusterOf[1]);
    expect(res.clusterOf[2]).not.toBe(res.clusterOf[0]);
    expect(res.rejected[0]?.reason).toMatch(/clearly disagrees/);
  });

  it('joins a chain whose ends still agree', () => {
    const edges: ClusterEdge[] = [
      { a: 0, b: 1, weight: 20 },
      { a: 1, b: 2, weight: 15 },
    ];
    const res = clusterRecords(3, edges, { pairWeight: () => 10 }, opts);
    expect(new Set(res.clusterOf).size).toBe(1);
    expect(res.edges.get(0)?.length).toBe(2);
  });

  it('always joins must-link pairs and never joins cannot-link pairs', () => {
    const edges: ClusterEdge[] = [
      { a: 0, b: 1, weight: 30 },
      { a: 2, b: 3, weight: 30 },
      { a: 1, b: 2, weight: 25 },
    ];
    const res = clusterRecords(5, edges, { mustLink: [[3, 4]], cannotLink: [[0, 4]], pairWeight: () => 10 }, opts);
    expect(res.clusterOf[3]).toBe(res.clusterOf[4]);
    expect(res.clusterOf[0]).not.toBe(res.clusterOf[4]);
    expect(res.clusterOf[0]).toBe(res.clusterOf[1]);
  });

  it('keeps records with conflicting exclusive identifiers in different clusters', () => {
    const edges: ClusterEdge[] = [
      { a: 0, b: 1, weight: 30 },
      { a: 1, b: 2, weight: 30 },
    ];
    const npi = [7, -1, 9];
    const res = clusterRecords(3, edges, { exclusive: [npi], pairWeight: () => 10 }, opts);
    expect(res.clusterOf[0]).not.toBe(res.clusterOf[2]);
  });

  it('names each cluster by its smallest record index and keeps the edges that built it', () => {
    const res = clusterRecords(4, [{ a: 3, b: 1, weight: 12 }], {}, opts);
    expect(Array.from(res.clusterOf)).toEqual([0, 1, 2, 1]);
    expect(res.edges.get(1)).toEqual([{ a: 3, b: 1, weight: 12 }]);
  });
});

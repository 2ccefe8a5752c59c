import { describe, expect, it } from 'vitest';
import { expectationMaximisation, type LevelParameters } from '../../../src/matching/em-training.js';
import { createRandom } from '../../../src/matching/random.js';

/** Draws a level index from a distribution over levels 1..k (index 0, the null level, has no mass). */
function draw(dist: readonly number[], r: number): number {
  let acc = 0;
  for (let l = 1; l < dist.length; l++) {
    acc += dist[l] as number;
    if (r < acc) return l;
  }
  return dist.length - 1;
}

describe('expectation-maximisation', () => {
  it('recovers known m probabilities and the match rate from generated pairs', () => {
    const trueM = [
      [0, 0.85, 0.1, 0.05],
      [0, 0.7, 0.2, 0.1],
      [0, 0.9, 0.05, 0.05],
      [0, 0.6, 0.3, 0.1],
    ];
    const trueU = [
      [0, 0.02, 0.08, 0.9],
      [0, 0.05, 0.15, 0.8],
      [0, 0.01, 0.04, 0.95],
      [0, 0.1, 0.2, 0.7],
    ];
    const lambda = 0.25;
    const rows = 40_000;
    const C = trueM.length;
    const rand = createRandom(7);
    const gamma = new Uint8Array(rows * C);
    for (let r = 0; r < rows; r++) {
      const match = rand() < lambda;
      for (let c = 0; c < C; c++) {
        // 5% missing values land on the null level and carry no evidence.
        gamma[r * C + c] = rand() < 0.05 ? 0 : draw((match ? trueM : trueU)[c] as number[], rand());
      }
    }
    const params: LevelParameters[] = trueU.map((u) => ({
      m: Float64Array.from([0, 0.4, 0.3, 0.3]),
      u: Float64Array.from(u),
      fixedLog2Bf: Float64Array.from([Number.NaN, Number.NaN, Number.NaN, Number.NaN]),
    }));
    const res = expectationMaximisation({
      gamma,
      comparisonCount: C,
      active: [true, true, true, true],
      params,
      lambda: 0.5,
      maxIterations: 200,
      tolerance: 1e-7,
    });
    expect(res.lambda).toBeCloseTo(lambda, 1);
    expect(Math.abs(res.lambda - lambda)).toBeLessThan(0.02);
    for (let c = 0; c < C; c++) {
      for (let l = 1; l <= 3; l++) {
        expect(Math.abs((res.m[c] as Float64Array)[l]! - (trueM[c] as number[])[l]!)).toBeLessThan(0.03);
      }
    }
  });

  it('leaves a fixed Bayes factor level alone and inactive comparisons untouched', () => {
    const gamma = Uint8Array.from([1, 1, 2, 2, 1, 1, 2, 1]);
    const params: LevelParameters[] = [
      { m: Float64Array.from([0, 0.5, 0.5]), u: Float64Array.from([0, 0.1, 0.9]), fixedLog2Bf: Float64Array.from([Number.NaN, Number.NaN, -5]) },
      { m: Float64Array.from([0, 0.5, 0.5]), u: Float64Array.from([0, 0.1, 0.9]), fixedLog2Bf: Float64Array.from([Number.NaN, Number.NaN, Number.NaN]) },
    ];
    const res = expectationMaximisation({ gamma, comparisonCount: 2, active: [true, false], params, lambda: 0.5, maxIterations: 10, tolerance: 1e-6 });
    expect((res.m[0] as Float64Array)[2]).toBe(0.5);
    expect(Array.from(res.m[1] as Float64Array)).toEqual([0, 0.5, 0.5]);
  });
});

describe('training from steward labels', () => {
  it('moves m towards the levels seen in labelled matches and keeps the model document shape', async () => {
    const { parseModel } = await import('../../../src/matching/model-schema.js');
    const { RecordStore } = await import('../../../src/matching/record-store.js');
    const { trainFromLabels } = await import('../../../src/matching/em-training.js');
    const model = parseModel(`
name: labels
prior: 0.01
thresholds: { match: 0.9, review: 0.5 }
blocking: [{ keys: [{ field: name }] }]
comparisons:
  - name: name
    field: name
    levels:
      - { type: null }
      - { type: exact, m: 0.9, u: 0.01 }
      - { type: jaro_winkler, threshold: 0.8, m: 0.05, u: 0.04 }
      - { type: else, m: 0.05, u: 0.95 }
`);
    const store = new RecordStore(['name']);
    ['anna', 'anne', 'bob', 'rob', 'carl', 'karl'].forEach((n, i) => store.add(String(i), { name: n }));
    const labels = Array.from({ length: 30 }, (_, k) => ({ leftId: String((k % 3) * 2), rightId: String((k % 3) * 2 + 1), match: true }));
    const trained = trainFromLabels(model, store, labels, { strength: 10 });
    const levels = trained.comparisons[0]?.levels ?? [];
    expect(levels[2]?.m).toBeGreaterThan(0.2);
    expect(levels[1]?.m).toBeLessThan(0.9);
    expect(levels[2]?.u).toBe(0.04);
  });
});

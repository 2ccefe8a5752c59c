import { describe, expect, it } from 'vitest';
import { assignDeciles } from '../../../src/rx/deciles.js';

describe('volume deciles', () => {
  it('puts the prescribers writing the first 10% of volume in decile 10 and the tail in decile 1', () => {
    const out = assignDeciles([40, 20, 10, 10, 8, 6, 3, 2, 1].map((trx, i) => ({ masterId: `M${i}`, trx })));
    expect(out.map((o) => o.decile)).toEqual([10, 6, 4, 4, 2, 2, 1, 1, 1]);
    expect(out.map((o) => o.keyAccount)).toEqual([true, true, true, true, false, false, false, false, false]);
  });

  it('gives ten equal prescribers decile 10 together and nobody a decile without TRx', () => {
    const out = assignDeciles([...Array.from({ length: 10 }, (_, i) => ({ masterId: `M${i}`, trx: 5 })), { masterId: 'Z', trx: 0 }]);
    expect(new Set(out.filter((o) => o.trx > 0).map((o) => o.decile))).toEqual(new Set([10]));
    expect(out.find((o) => o.masterId === 'Z')).toMatchObject({ decile: 0, keyAccount: false, share: 0 });
  });

  it('spreads a flat distribution of a hundred prescribers evenly over the ten deciles', () => {
    const out = assignDeciles(Array.from({ length: 100 }, (_, i) => ({ masterId: `M${String(i).padStart(3, '0')}`, trx: 100 - i * 0.5 })));
    const counts = new Map<number, number>();
    for (const o of out) counts.set(o.decile, (counts.get(o.decile) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(out.reduce((s, o) => s + o.share, 0)).toBeCloseTo(1);
  });
});

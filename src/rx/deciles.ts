export type PrescriberVolume = { masterId: string; trx: number };
export type DecileAssignment = PrescriberVolume & { decile: number; share: number; cumulativeShareBefore: number; keyAccount: boolean };

/**
 * Volume deciles, the usual pharma method: prescribers sorted by TRx descending, each placed by the share of the
 * total volume written by the prescribers ranked above them (`before`):
 *
 *   decile = 10 - floor(10 * before / total)     for TRx > 0; 0 for no TRx
 *
 * so decile 10 holds the top prescribers who write the first 10% of the volume (the one whose TRx crosses 10% is
 * still in it), decile 9 the next 10%, ... decile 1 the long tail; each decile holds about a tenth of the volume,
 * not a tenth of the prescribers, and with concentrated volume some deciles stay empty. Ties share a decile: equal
 * TRx get the `before` of the first of them. Key account (80/20): `before < 80%`, the prescribers who together
 * write the first 80% of the volume, including the one who crosses 80%.
 */
export function assignDeciles(volumes: PrescriberVolume[]): DecileAssignment[] {
  const sorted = [...volumes].sort((a, b) => b.trx - a.trx || (a.masterId < b.masterId ? -1 : a.masterId > b.masterId ? 1 : 0));
  const total = sorted.reduce((sum, v) => sum + (v.trx > 0 ? v.trx : 0), 0);
  const out: DecileAssignment[] = [];
  let before = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    let tie = 0;
    while (j < sorted.length && sorted[j]!.trx === sorted[i]!.trx) tie += Math.max(0, sorted[j++]!.trx);
    for (let k = i; k < j; k++) {
      const v = sorted[k]!;
      const positive = v.trx > 0 && total > 0;
      const fraction = positive ? before / total : 1;
      // The epsilon keeps 30 / 100 * 10 at 3 when fractional TRx sum to 29.999999.
      const decile = positive ? Math.min(10, Math.max(1, 10 - Math.floor(10 * fraction + 1e-9))) : 0;
      out.push({ ...v, decile, share: positive ? v.trx / total : 0, cumulativeShareBefore: positive ? fraction : 1, keyAccount: positive && fraction < 0.8 - 1e-12 });
    }
    before += tie;
    i = j;
  }
  return out;
}

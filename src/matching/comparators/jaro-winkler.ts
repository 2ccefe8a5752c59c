/**
 * Jaro and Jaro-Winkler similarity (Winkler 1990), the workhorse comparator for names.
 * Allocation-free: the "already matched" flags live in scratch buffers that grow on demand,
 * because this runs for every candidate pair in the hot scoring loop.
 */
let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

function ensureScratch(length: number): void {
  if (flagsA.length < length) {
    flagsA = new Uint8Array(length * 2);
    flagsB = new Uint8Array(length * 2);
  }
}

/** Jaro similarity in [0, 1]; 1 for two equal strings, 0 when either is empty. */
export function jaro(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  ensureScratch(Math.max(la, lb));
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = i - window > 0 ? i - window : 0;
    const hi = i + window + 1 < lb ? i + window + 1 : lb;
    const ca = a.charCodeAt(i);
    for (let j = lo; j < hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === ca) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  return (m / la + m / lb + (m - transpositions / 2) / m) / 3;
}

/**
 * Jaro-Winkler similarity: Jaro boosted by the common prefix (up to 4 characters, scale 0.1),
 * applied only when Jaro exceeds 0.7 as in Winkler's original definition.
 */
export function jaroWinkler(a: string, b: string, prefixScale = 0.1): number {
  const j = jaro(a, b);
  if (j <= 0.7) return j;
  const max = Math.min(4, a.length, b.length);
  let prefix = 0;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * prefixScale * (1 - j);
}

const bag = new Int32Array(128);

/**
 * A cheap upper bound of jaroWinkler(a, b) from the multiset of shared characters (the Jaro match count can never
 * exceed it). Lets a comparison skip the O(n * window) similarity for pairs that cannot reach its lowest threshold,
 * which is most random pairs during u estimation.
 */
export function jaroWinklerUpperBound(a: string, b: string, prefixScale = 0.1): number {
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  let ascii = true;
  for (let i = 0; i < la; i++) {
    const c = a.charCodeAt(i);
    if (c >= 128) {
      ascii = false;
      break;
    }
    bag[c] = (bag[c] as number) + 1;
  }
  let common = 0;
  if (ascii) {
    for (let j = 0; j < lb; j++) {
      const c = b.charCodeAt(j);
      if (c < 128 && (bag[c] as number) > 0) {
        bag[c] = (bag[c] as number) - 1;
        common++;
      }
    }
  } else common = Math.min(la, lb);
  for (let i = 0; i < la; i++) {
    const c = a.charCodeAt(i);
    if (c < 128) bag[c] = 0;
  }
  if (common === 0) return 0;
  const j = (common / la + common / lb + 1) / 3;
  if (j <= 0.7) return j;
  const max = Math.min(4, la, lb);
  let prefix = 0;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * prefixScale * (1 - j);
}

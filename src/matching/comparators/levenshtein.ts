/**
 * Edit distances. `levenshteinWithin` answers "distance <= k?" with a banded dynamic programme and an early exit,
 * which is all a comparison level needs and far cheaper than the full distance on unlike strings.
 */
let prev = new Int32Array(64);
let curr = new Int32Array(64);

function ensureRows(length: number): void {
  if (prev.length < length) {
    prev = new Int32Array(length * 2);
    curr = new Int32Array(length * 2);
  }
}

/** Classic Levenshtein distance (insert, delete, substitute; each costs 1). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (la === 0) return lb;
  if (lb === 0) return la;
  ensureRows(lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    curr[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const del = (prev[j] as number) + 1;
      const ins = (curr[j - 1] as number) + 1;
      const sub = (prev[j - 1] as number) + cost;
      curr[j] = del < ins ? (del < sub ? del : sub) : ins < sub ? ins : sub;
    }
    const t = prev;
    prev = curr;
    curr = t;
  }
  return prev[lb] as number;
}

/** True when the Levenshtein distance between a and b is at most k. */
export function levenshteinWithin(a: string, b: string, k: number): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > k) return false;
  if (la === 0 || lb === 0) return Math.max(la, lb) <= k;
  if (k === 1) return withinOne(a, b);
  ensureRows(lb + 1);
  const big = k + 1;
  for (let j = 0; j <= lb; j++) prev[j] = j <= k ? j : big;
  for (let i = 1; i <= la; i++) {
    const lo = i - k > 1 ? i - k : 1;
    const hi = i + k < lb ? i + k : lb;
    curr[lo - 1] = lo === 1 ? (i <= k ? i : big) : big;
    let rowMin = curr[lo - 1] as number;
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const del = (prev[j] as number) + 1;
      const ins = (curr[j - 1] as number) + 1;
      const sub = (prev[j - 1] as number) + cost;
      let v = del < ins ? (del < sub ? del : sub) : ins < sub ? ins : sub;
      if (v > big) v = big;
      curr[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < lb) curr[hi + 1] = big;
    if (rowMin > k) return false;
    const t = prev;
    prev = curr;
    curr = t;
  }
  return (prev[lb] as number) <= k;
}

/** Distance <= 1 in one pass (the common level "one typo"): skip the common prefix and suffix, at most one edit left. */
function withinOne(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  let ea = la;
  let eb = lb;
  while (ea > i && eb > i && a.charCodeAt(ea - 1) === b.charCodeAt(eb - 1)) {
    ea--;
    eb--;
  }
  // What differs is a[i..ea) vs b[i..eb): one substitution, insertion or deletion at most.
  return ea - i <= 1 && eb - i <= 1;
}

/** Number of differing positions of two equal-length strings; Infinity when lengths differ. */
export function hamming(a: string, b: string): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) d++;
  return d;
}

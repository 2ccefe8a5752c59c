/**
 * "Did you mean `npi`?" for a misspelt name. Distances are optimal-string-alignment (Levenshtein plus adjacent
 * transpositions, so `nip` is one edit from `npi`), compared case-insensitively, within a budget that grows with
 * the word (1 for short names, up to 3). Ties go to the candidate with the same first letter.
 */
export function editDistance(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  if (la === 0) return lb;
  if (lb === 0) return la;
  const rows: number[][] = Array.from({ length: la + 1 }, (_, i) => {
    const row = new Array<number>(lb + 1).fill(0);
    row[0] = i;
    return row;
  });
  const first = rows[0] as number[];
  for (let j = 0; j <= lb; j++) first[j] = j;
  for (let i = 1; i <= la; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    for (let j = 1; j <= lb; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (rows[la] as number[])[lb] as number;
}

export function suggestClosest(word: string, candidates: Iterable<string>): string | undefined {
  const needle = word.toLowerCase();
  const budget = Math.min(3, Math.max(1, Math.floor(needle.length / 3)));
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    if (lower === needle) return candidate;
    const distance = editDistance(needle, lower);
    if (distance > budget) continue;
    const score = distance * 2 + (lower[0] === needle[0] ? 0 : 1);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** A hint sentence for a misspelt name, or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = suggestClosest(word, candidates);
  return match === undefined ? undefined : `did you mean \`${match}\`?`;
}

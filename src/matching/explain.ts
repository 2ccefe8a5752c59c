/**
 * Why two records scored as they did, as data: a waterfall starting at the prior, one step per comparison
 * (the level that applied, its Bayes factor, match weight and term-frequency adjustment), then the total,
 * the probability, any identifier rule that forced the decision, and the decision itself.
 */
import type { Decision, Scorer } from './scoring.js';
import { weightToProbability } from './scoring.js';

export interface ComparisonStep {
  comparison: string;
  field: string;
  left: string | null;
  right: string | null;
  level: number;
  label: string;
  bayesFactor: number;
  /** log2 of the Bayes factor. */
  matchWeight: number;
  /** Extra log2 weight from term frequencies (0 when the level has no tf adjustment). */
  tfAdjustment: number;
}

export interface PairExplanation {
  leftId: string;
  rightId: string;
  priorWeight: number;
  steps: ComparisonStep[];
  matchWeight: number;
  probability: number;
  /** Identifier rules that fired (e.g. "same npi", "different npi"). */
  rules: string[];
  decision: Decision;
}

export function explainPair(scorer: Scorer, a: number, b: number): PairExplanation {
  const store = scorer.store;
  const steps: ComparisonStep[] = [];
  let total = scorer.priorWeight;
  scorer.comparisons.forEach((cmp, c) => {
    const level = cmp.evaluate(a, b);
    const w = (scorer.levelWeights[c] as Float64Array)[level] as number;
    const tw = (scorer.tfWeights[c] as Float64Array)[level] as number;
    const tf = tw !== 0 ? tw * scorer.tfAdjustment(c, level, a, b) : 0;
    total += w + tf;
    const va = store.value(cmp.fieldIndex, a);
    const vb = store.value(cmp.fieldIndex, b);
    steps.push({
      comparison: cmp.name,
      field: cmp.field,
      left: va >= 0 ? (store.strings[va] as string) : null,
      right: vb >= 0 ? (store.strings[vb] as string) : null,
      level,
      label: cmp.labels[level] as string,
      bayesFactor: Math.pow(2, w),
      matchWeight: w,
      tfAdjustment: tf,
    });
  });
  const verdict = scorer.identifierVerdict(a, b);
  return {
    leftId: store.ids[a] as string,
    rightId: store.ids[b] as string,
    priorWeight: scorer.priorWeight,
    steps,
    matchWeight: total,
    probability: weightToProbability(total),
    rules: scorer.identifierReasons(a, b),
    decision: scorer.decide(total, verdict),
  };
}

/** A one-line-per-step text rendering (for the CLI and logs without personal data: values are omitted). */
export function formatExplanation(e: PairExplanation): string {
  const lines = [`${e.leftId} ~ ${e.rightId}`, `  prior                      ${e.priorWeight.toFixed(2)}`];
  for (const s of e.steps) {
    const tf = s.tfAdjustment !== 0 ? ` (tf ${s.tfAdjustment >= 0 ? '+' : ''}${s.tfAdjustment.toFixed(2)})` : '';
    lines.push(`  ${s.comparison.padEnd(26)} ${s.matchWeight >= 0 ? '+' : ''}${s.matchWeight.toFixed(2)}${tf}  [${s.label}]`);
  }
  lines.push(`  = weight ${e.matchWeight.toFixed(2)}, probability ${e.probability.toFixed(4)}${e.rules.length ? `, rules: ${e.rules.join(', ')}` : ''} -> ${e.decision}`);
  return lines.join('\n');
}

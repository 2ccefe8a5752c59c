/**
 * Fellegi-Sunter scoring: match weight = log2(prior odds) + sum over comparisons of log2(Bayes factor of the level
 * that applied) + term-frequency adjustments; probability = 1 / (1 + 2^-weight). Identifier rules then may force a
 * decision (same valid NPI => match; two different valid NPIs => distinct). Batch dedupe, the incremental matcher and
 * explanations all go through this one class, so a pair scores the same wherever it is scored.
 */
import { compileComparison, type CompiledComparison, NULL_LEVEL } from './comparisons.js';
import { isValidIdentifier } from './identifier-validators.js';
import type { IdentifierRule, Level, MatchModel } from './model-schema.js';
import type { RecordStore } from './record-store.js';

export type Decision = 'match' | 'review' | 'distinct';

/** 1: an identifier rule says match; -1: an identifier rule says never the same entity; 0: no rule fired. */
export type IdentifierVerdict = -1 | 0 | 1;

export function weightToProbability(weight: number): number {
  return 1 / (1 + Math.pow(2, -weight));
}

export function probabilityToWeight(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  return Math.log2(p / (1 - p));
}

/** log2 Bayes factor of a level: fixed bayes_factor, else m/u, else 0 (no evidence yet). */
export function levelLog2BayesFactor(level: Level): number {
  if (level.type === 'null') return 0;
  if (level.bayes_factor !== undefined) return Math.log2(level.bayes_factor);
  if (level.m !== undefined && level.u !== undefined) return Math.log2(level.m / level.u);
  return 0;
}

/** Strength (in records) of the prior belief that a value's frequency is the level's u. */
export const TF_PSEUDO_COUNT = 1000;

interface CompiledIdentifierRule {
  rule: IdentifierRule;
  fieldIndex: number;
  /** Per value id: 1 valid, 2 invalid, 0 not yet checked. */
  valid: Uint8Array;
}

export class Scorer {
  readonly comparisons: CompiledComparison[];
  /** log2 Bayes factor per comparison and level. */
  readonly levelWeights: Float64Array[];
  /** tf adjustment weight per comparison and level (0 = no tf adjustment). */
  readonly tfWeights: Float64Array[];
  readonly levelU: Float64Array[];
  readonly priorWeight: number;
  readonly matchWeight: number;
  readonly reviewWeight: number;
  readonly identifierRules: CompiledIdentifierRule[];
  /** Rules whose different values mean "never the same entity": clustering keeps them apart too. */
  readonly exclusiveFields: number[];

  constructor(
    readonly model: MatchModel,
    readonly store: RecordStore,
  ) {
    this.comparisons = model.comparisons.map((c) => compileComparison(c, store));
    this.levelWeights = model.comparisons.map((c) => Float64Array.from(c.levels.map(levelLog2BayesFactor)));
    this.tfWeights = model.comparisons.map((c) =>
      Float64Array.from(c.levels.map((l) => (l.tf_adjust && l.u !== undefined && l.type !== 'null' ? (l.tf_weight ?? 1) : 0))),
    );
    this.levelU = model.comparisons.map((c) => Float64Array.from(c.levels.map((l) => l.u ?? 0)));
    this.priorWeight = Math.log2(model.prior / (1 - model.prior));
    const t = model.thresholds;
    this.matchWeight = t.unit === 'weight' ? t.match : probabilityToWeight(t.match);
    this.reviewWeight = t.unit === 'weight' ? t.review : probabilityToWeight(t.review);
    this.identifierRules = (model.identifier_rules ?? [])
      .filter((r) => store.fieldIndex.has(r.field))
      .map((rule) => ({ rule, fieldIndex: store.field(rule.field), valid: new Uint8Array(1024) }));
    this.exclusiveFields = this.identifierRules.filter((r) => r.rule.different === 'distinct').map((r) => r.fieldIndex);
  }

  get comparisonCount(): number {
    return this.comparisons.length;
  }

  /** Writes the level index of every comparison for (a, b) into out[offset..]. */
  gamma(a: number, b: number, out: Uint8Array, offset = 0): void {
    const cs = this.comparisons;
    for (let c = 0; c < cs.length; c++) out[offset + c] = (cs[c] as CompiledComparison).evaluate(a, b);
  }

  /** Match weight of (a, b) given their levels, with term-frequency adjustments. */
  weightFromGamma(a: number, b: number, gamma: Uint8Array, offset = 0): number {
    let w = this.priorWeight;
    const cs = this.comparisons;
    for (let c = 0; c < cs.length; c++) {
      const l = gamma[offset + c] as number;
      w += (this.levelWeights[c] as Float64Array)[l] as number;
      const tw = (this.tfWeights[c] as Float64Array)[l] as number;
      if (tw !== 0) w += tw * this.tfAdjustment(c, l, a, b);
    }
    return w;
  }

  /**
   * Splink-style term-frequency adjustment: the level's u is replaced by the frequency of the agreeing value
   * (the larger of the two for fuzzy levels), so agreeing on a rare surname weighs more than on Smith.
   */
  tfAdjustment(c: number, l: number, a: number, b: number): number {
    const cmp = this.comparisons[c] as CompiledComparison;
    const f = cmp.fieldIndex;
    const store = this.store;
    const u = (this.levelU[c] as Float64Array)[l] as number;
    const n = store.nonNullCounts[f] as number;
    const count = Math.max(store.count(f, store.value(f, a)), store.count(f, store.value(f, b)));
    // Frequencies are shrunk towards u as if TF_PSEUDO_COUNT records had been seen: in a small record set every
    // value looks common (2 of 3 records!) and the raw adjustment would drown the evidence.
    const tf = (count + TF_PSEUDO_COUNT * u) / (n + TF_PSEUDO_COUNT);
    return Math.log2(u / tf);
  }

  private scratch = new Uint8Array(64);

  /** Match weight of an arbitrary pair (no identifier rules). */
  weight(a: number, b: number): number {
    if (this.scratch.length < this.comparisons.length) this.scratch = new Uint8Array(this.comparisons.length * 2);
    this.gamma(a, b, this.scratch, 0);
    return this.weightFromGamma(a, b, this.scratch, 0);
  }

  private isValid(r: CompiledIdentifierRule, vid: number): boolean {
    if (vid >= r.valid.length) {
      const next = new Uint8Array(Math.max(vid + 1, r.valid.length * 2));
      next.set(r.valid);
      r.valid = next;
    }
    let v = r.valid[vid] as number;
    if (v === 0) {
      v = isValidIdentifier(r.rule.validator, this.store.strings[vid] as string) ? 1 : 2;
      r.valid[vid] = v;
    }
    return v === 1;
  }

  /** Valid identifier value id of a record for an exclusive field, or -1. */
  validIdentifier(ruleIndex: number, record: number): number {
    const r = this.identifierRules[ruleIndex] as CompiledIdentifierRule;
    const v = this.store.value(r.fieldIndex, record);
    return v >= 0 && this.isValid(r, v) ? v : -1;
  }

  identifierVerdict(a: number, b: number): IdentifierVerdict {
    let verdict: IdentifierVerdict = 0;
    for (let i = 0; i < this.identifierRules.length; i++) {
      const r = this.identifierRules[i] as CompiledIdentifierRule;
      const va = this.store.value(r.fieldIndex, a);
      const vb = this.store.value(r.fieldIndex, b);
      if (va < 0 || vb < 0 || !this.isValid(r, va) || !this.isValid(r, vb)) continue;
      if (va === vb) {
        if (r.rule.same === 'match') verdict = 1;
      } else if (r.rule.different === 'distinct') {
        return -1;
      }
    }
    return verdict;
  }

  /** Names of the identifier rules that fired for (a, b), for explanations. */
  identifierReasons(a: number, b: number): string[] {
    const out: string[] = [];
    for (const r of this.identifierRules) {
      const va = this.store.value(r.fieldIndex, a);
      const vb = this.store.value(r.fieldIndex, b);
      if (va < 0 || vb < 0 || !this.isValid(r, va) || !this.isValid(r, vb)) continue;
      if (va === vb && r.rule.same === 'match') out.push(`same ${r.rule.field}`);
      else if (va !== vb && r.rule.different === 'distinct') out.push(`different ${r.rule.field}`);
    }
    return out;
  }

  decide(weight: number, verdict: IdentifierVerdict): Decision {
    if (verdict === -1) return 'distinct';
    if (verdict === 1) return 'match';
    if (weight >= this.matchWeight) return 'match';
    if (weight >= this.reviewWeight) return 'review';
    return 'distinct';
  }

  isNullLevel(level: number): boolean {
    return level === NULL_LEVEL;
  }
}

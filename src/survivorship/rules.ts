import type { GoldenValue, Lineage } from '../model/golden-record.js';
import type { Organization } from '../model/organization.js';
import type { Physician } from '../model/physician.js';
import type { PrimaryRule } from './config-schema.js';
import { casingScore, compareIso, completeness } from './values.js';

/**
 * The rules that pick one value among several. Each rule keeps the candidates it scores best and hands them to
 * the next rule (its fallback); when rules run out, the lowest source record id wins, so the result never depends
 * on the order members arrive in.
 */

/** One member record of a master entity, as survivorship sees it. */
export type SurvivorshipMember = {
  sourceRecordId: number;
  connector: string;
  stream: string;
  /** ISO time the record version was received: what `most_recent` compares. */
  receivedAt: string;
  draft: Physician | Organization;
};

/** One value a member offers for an attribute (or one item of a member's list). */
export type Candidate<T = unknown> = {
  member: SurvivorshipMember;
  value: T;
  /** Equal keys mean the same value after normalization. */
  key: string;
  /** Position in the member's list, for lists; 0 otherwise. */
  index: number;
};

export type SelectionRule = PrimaryRule | 'most_restrictive';

export type RuleContext = {
  /** Connectors, most trusted first. */
  ranking: readonly string[];
  /** key -> number of distinct members offering it, across every candidate (not only the ones still in play). */
  support: ReadonlyMap<string, number>;
};

export type Selection<T> = {
  winner: Candidate<T>;
  /**
   * The rule that settled the value: the first rule after which one value was left; `only_value` when a single
   * member offered one, `agreement` when every member offered the same, `tie_break` when the rules left a tie
   * that the lowest source record id settled.
   */
  rule: string;
  /** For every candidate that lost, the rule it lost at. */
  lostAt: Map<Candidate<T>, string>;
};

const CONSENT_WEIGHT: Record<string, number> = { opted_out: 2, opted_in: 1, unknown: 0 };

function score(rule: SelectionRule, candidate: Candidate, context: RuleContext): number[] {
  switch (rule) {
    case 'source_ranking': {
      const rank = context.ranking.indexOf(candidate.member.connector);
      return [-(rank === -1 ? context.ranking.length : rank)];
    }
    case 'most_recent': {
      const time = Date.parse(candidate.member.receivedAt);
      return [Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time];
    }
    case 'most_frequent':
      return [context.support.get(candidate.key) ?? 0];
    case 'most_complete':
      return completeness(candidate.value);
    case 'validated_wins':
      return [(candidate.value as { valid?: unknown } | null)?.valid === false ? 0 : 1];
    case 'most_restrictive':
      return [CONSENT_WEIGHT[String((candidate.value as { status?: unknown } | null)?.status)] ?? 0];
  }
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The final, arbitrary but stable order: lowest source record id, then position in its list. */
export function compareTieBreak(a: Candidate, b: Candidate): number {
  return a.member.sourceRecordId - b.member.sourceRecordId || a.index - b.index || compareIso(a.member.receivedAt, b.member.receivedAt);
}

/** Counts, per key, how many distinct members offer it. */
export function countSupport(candidates: readonly Candidate[]): Map<string, number> {
  const members = new Map<string, Set<number>>();
  for (const c of candidates) {
    const set = members.get(c.key) ?? new Set<number>();
    set.add(c.member.sourceRecordId);
    members.set(c.key, set);
  }
  return new Map([...members].map(([key, set]) => [key, set.size]));
}

/** Picks one candidate by the rules in order; `candidates` must not be empty. */
export function selectWinner<T>(candidates: readonly Candidate<T>[], rules: readonly SelectionRule[], context: RuleContext): Selection<T> {
  if (candidates.length === 0) throw new Error('selectWinner needs at least one candidate');
  const lostAt = new Map<Candidate<T>, string>();
  let remaining = [...candidates].sort(compareTieBreak);
  const distinctKeys = (list: readonly Candidate<T>[]): number => new Set(list.map((c) => c.key)).size;
  let decided: string | undefined;
  if (distinctKeys(remaining) === 1) {
    decided = new Set(remaining.map((c) => c.member.sourceRecordId)).size === 1 ? 'only_value' : 'agreement';
  }
  for (const rule of rules) {
    if (remaining.length === 1) break;
    const scored = remaining.map((candidate) => ({ candidate, score: score(rule, candidate, context) }));
    const best = scored.reduce((top, entry) => (compareScores(entry.score, top) > 0 ? entry.score : top), scored[0]?.score ?? []);
    const kept: Candidate<T>[] = [];
    for (const entry of scored) {
      if (compareScores(entry.score, best) === 0) kept.push(entry.candidate);
      else lostAt.set(entry.candidate, rule);
    }
    remaining = kept;
    if (!decided && distinctKeys(remaining) === 1) decided = rule;
  }
  const [winner, ...tied] = remaining as [Candidate<T>, ...Candidate<T>[]];
  for (const candidate of tied) lostAt.set(candidate, 'tie_break');
  return { winner, rule: decided ?? 'tie_break', lostAt };
}

/**
 * Orders candidates best first by applying `selectWinner` repeatedly: the order a merged list is shown in, and
 * the order competitors are listed in.
 */
export function rankCandidates<T>(candidates: readonly Candidate<T>[], rules: readonly SelectionRule[], context: RuleContext): Candidate<T>[] {
  const pool = [...candidates];
  const ordered: Candidate<T>[] = [];
  while (pool.length > 0) {
    const { winner } = selectWinner(pool, rules, context);
    ordered.push(winner);
    pool.splice(pool.indexOf(winner), 1);
  }
  return ordered;
}

/**
 * The form of the winning string to display: the winner's own, unless another member wrote the same value in
 * better case (mixed case over ALL CAPS), in which case the best-cased form among them, by rank order.
 */
export function displayForm<T>(winner: Candidate<T>, sameValue: readonly Candidate<T>[]): T {
  if (typeof winner.value !== 'string') return winner.value;
  let best = winner;
  for (const candidate of sameValue) {
    if (typeof candidate.value === 'string' && casingScore(candidate.value) > casingScore(best.value as string)) best = candidate;
  }
  return typeof best.value === 'string' ? (best.value.trim().replace(/\s+/g, ' ') as T) : best.value;
}

/**
 * Survivorship of an attribute that takes one value (a name part, gender, a whole credentials list): the
 * winner by the rules, displayed in its best-cased form, and every different value as a competitor, best first.
 */
export function surviveSingleValue(candidates: readonly Candidate[], rules: readonly SelectionRule[], ranking: readonly string[]): GoldenValue | undefined {
  if (candidates.length === 0) return undefined;
  const context: RuleContext = { ranking, support: countSupport(candidates) };
  const { winner, rule, lostAt } = selectWinner(candidates, rules, context);
  const sameValue = [...candidates].sort(compareTieBreak).filter((c) => c.key === winner.key);
  const losers = rankCandidates(
    candidates.filter((c) => c.key !== winner.key),
    rules,
    context,
  );
  return {
    value: displayForm(winner, sameValue),
    lineage: lineageOf(winner.member, rule),
    competing: losers.map((c) => ({ value: c.value, lineage: lineageOf(c.member, lostAt.get(c) ?? 'tie_break') })),
  };
}

export function lineageOf(member: SurvivorshipMember, rule: string): Lineage {
  return { sourceRecordId: member.sourceRecordId, connector: member.connector, stream: member.stream, rule, at: member.receivedAt };
}

import type { GoldenItem, GoldenValue, Lineage } from '../model/golden-record.js';
import type { IdentifierType } from '../model/identifier.js';
import { compareTieBreak, countSupport, displayForm, lineageOf, rankCandidates, selectWinner, type Candidate, type RuleContext, type SelectionRule, type SurvivorshipMember } from './rules.js';
import { compareIso, isEmptyValue, normalizeText, valueKey } from './values.js';

/**
 * `union`: every member's items are kept, duplicates collapsed, and nothing is lost but the spare copies of a
 * duplicate. Each item keeps the lineage of the copy shown and of every member that carried it.
 *
 * Duplicates are found by a key per attribute: identifiers by (type, issuer, value), addresses by normalized
 * line 1 + ZIP5, contact points by (kind, value), affiliations by the organization's identifier (its name when it
 * has none), codes (credentials, specialties) by their text. Among the copies of one item the `primary` rules pick
 * the copy shown; the other copies that differ in detail are listed as competing values.
 *
 * Primary items: one primary address, one primary affiliation, one primary contact point per kind, chosen by the
 * `primary` rules among the copies their sources flagged primary (among all copies when none did). Identifiers of
 * a single-valued type (one NPI per physician) that conflict are all kept, because a record that carries the other
 * value must still match; the one the rules choose is flagged primary in `items` and comes first in the list, so
 * `identifiers.find((i) => i.type === 'npi')` reads the chosen NPI.
 */

export type UnionAttribute = 'identifiers' | 'addresses' | 'contactPoints' | 'affiliations' | 'string_list';

export type UnionPlan = {
  attribute: UnionAttribute;
  /** Rules that pick the copy shown and the primary, and order the list. */
  rules: readonly SelectionRule[];
  ranking: readonly string[];
  singleValuedTypes: readonly IdentifierType[];
};

type Item = Record<string, unknown>;

const compact = (text: unknown): string => (typeof text === 'string' ? text.trim().toUpperCase().replace(/\s+/g, '') : '');

/** Line 1 as USPS writes it, without punctuation, so "123 Main St." and "123 MAIN ST" meet. */
const addressLine = (text: unknown): string =>
  typeof text === 'string' ? text.toUpperCase().replace(/[^A-Z0-9# ]/g, ' ').replace(/\s+/g, ' ').trim() : '';

/** The duplicate key of one item. */
export function itemKey(attribute: UnionAttribute, item: unknown): string {
  if (typeof item === 'string') return valueKey(item);
  const it = (item ?? {}) as Item;
  switch (attribute) {
    case 'identifiers':
      return `${String(it.type)}|${compact(it.issuer)}|${compact(it.value)}`;
    case 'addresses': {
      const raw = (it.raw ?? {}) as Item;
      const line1 = addressLine(it.line1 ?? raw.line1);
      const zip5 = typeof it.zip5 === 'string' ? it.zip5 : typeof raw.zip === 'string' ? raw.zip.replace(/\D/g, '').slice(0, 5) : '';
      return line1 || zip5 ? `${line1}|${zip5}` : valueKey(item);
    }
    case 'contactPoints': {
      const value = typeof it.value === 'string' ? it.value.trim() : '';
      const normalized = it.kind === 'email' ? value.toLowerCase() : value.replace(/[^\d+]/g, '');
      return `${String(it.kind)}|${normalized}`;
    }
    case 'affiliations': {
      const org = (it.organization ?? {}) as Item;
      const id = org.identifier as Item | undefined;
      if (id && typeof id.value === 'string') return `id|${String(id.type)}|${compact(id.issuer)}|${compact(id.value)}`;
      if (typeof org.name === 'string' && org.name.trim()) return `name|${normalizeText(org.name)}`;
      return valueKey(item);
    }
    case 'string_list':
      return valueKey(item);
  }
}

/** One candidate per non-empty item of every member's list. */
export function collectItems(members: readonly SurvivorshipMember[], attribute: string, unionAttribute: UnionAttribute): Candidate[] {
  const candidates: Candidate[] = [];
  for (const member of members) {
    const list = (member.draft as Record<string, unknown>)[attribute];
    if (!Array.isArray(list)) continue;
    list.forEach((value: unknown, index) => {
      if (!isEmptyValue(value)) candidates.push({ member, value, key: itemKey(unionAttribute, value), index });
    });
  }
  return candidates;
}

/** The lineage of a list attribute as a whole: the rule, and the newest contribution. */
export function listLineage(rule: string, candidates: readonly Candidate[]): Lineage {
  const at = candidates.reduce((latest, c) => (compareIso(c.member.receivedAt, latest) > 0 ? c.member.receivedAt : latest), candidates[0]?.member.receivedAt ?? '');
  return { rule, at };
}

/** Every member that carried an item, once each, lowest record id first. */
export function carriers(group: readonly Candidate[], rule: string): Lineage[] {
  const seen = new Set<number>();
  const out: Lineage[] = [];
  for (const c of [...group].sort(compareTieBreak)) {
    if (seen.has(c.member.sourceRecordId)) continue;
    seen.add(c.member.sourceRecordId);
    out.push(lineageOf(c.member, rule));
  }
  return out;
}

type Group = { key: string; shown: Candidate; rule: string; copies: Candidate[]; lostAt: Map<Candidate, string> };

export function surviveUnion(candidates: readonly Candidate[], plan: UnionPlan): GoldenValue | undefined {
  if (candidates.length === 0) return undefined;
  const context: RuleContext = { ranking: plan.ranking, support: countSupport(candidates) };

  const byKey = new Map<string, Candidate[]>();
  for (const c of [...candidates].sort(compareTieBreak)) byKey.set(c.key, [...(byKey.get(c.key) ?? []), c]);

  const groups: Group[] = [...byKey].map(([key, copies]) => {
    // Copies of one item may still differ in detail (status, ZIP+4, use): rules pick the copy shown.
    const detailed = copies.map((c) => ({ ...c, key: valueKey(c.value) }));
    const selection = selectWinner(detailed, plan.rules, { ranking: plan.ranking, support: countSupport(detailed) });
    const shown = copies[detailed.indexOf(selection.winner)] as Candidate;
    const lostAt = new Map<Candidate, string>();
    detailed.forEach((d, i) => {
      const rule = selection.lostAt.get(d);
      if (rule && d.key !== selection.winner.key) lostAt.set(copies[i] as Candidate, rule);
    });
    return { key, shown, rule: selection.rule, copies, lostAt };
  });

  const primaryKeys = choosePrimaries(candidates, plan, context);
  const ordered = rankCandidates(
    groups.map((g) => g.shown),
    plan.rules,
    context,
  ).map((shown) => groups.find((g) => g.shown === shown) as Group);
  const hasPrimaryFlag = plan.attribute === 'addresses' || plan.attribute === 'contactPoints' || plan.attribute === 'affiliations';
  const flagged = (g: Group): boolean => primaryKeys.get(g.key) === true;
  const final = [...ordered.filter(flagged), ...ordered.filter((g) => !flagged(g))];

  const items: GoldenItem[] = final.map((g) => {
    let value: unknown = g.shown.value;
    if (typeof value === 'string') value = displayForm(g.shown, g.copies);
    else if (hasPrimaryFlag) value = { ...(value as Item), primary: flagged(g) };
    const primary = primaryKeys.get(g.key);
    return {
      value,
      lineage: lineageOf(g.shown.member, g.rule),
      carriedBy: carriers(g.copies, 'union'),
      ...(primary !== undefined ? { primary } : {}),
    };
  });
  const competing = final.flatMap((g) =>
    g.copies.filter((c) => g.lostAt.has(c)).map((c) => ({ value: c.value, lineage: lineageOf(c.member, g.lostAt.get(c) ?? 'tie_break') })),
  );
  return { value: items.map((i) => i.value), lineage: listLineage('union', candidates), competing, items };
}

/** key -> primary flag, for the items that have one (see the module comment for who gets one). */
function choosePrimaries(candidates: readonly Candidate[], plan: UnionPlan, context: RuleContext): Map<string, boolean> {
  const flags = new Map<string, boolean>();
  const pick = (scope: readonly Candidate[]): void => {
    if (scope.length === 0) return;
    const flaggedBySource = scope.filter((c) => (c.value as Item).primary === true);
    const { winner } = selectWinner(flaggedBySource.length > 0 ? flaggedBySource : scope, plan.rules, context);
    for (const c of scope) flags.set(c.key, c.key === winner.key);
  };
  const field = (c: Candidate, name: string): unknown => (c.value as Item)[name];
  switch (plan.attribute) {
    case 'identifiers':
      for (const type of plan.singleValuedTypes) pick(candidates.filter((c) => field(c, 'type') === type));
      break;
    case 'contactPoints':
      for (const kind of ['phone', 'email', 'fax']) pick(candidates.filter((c) => field(c, 'kind') === kind));
      break;
    case 'addresses':
    case 'affiliations':
      pick(candidates);
      break;
    case 'string_list':
      break;
  }
  return flags;
}

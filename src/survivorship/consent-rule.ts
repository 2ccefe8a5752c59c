import { ConsentChannelSchema } from '../model/consent.js';
import type { GoldenItem, GoldenValue } from '../model/golden-record.js';
import { carriers, listLineage } from './list-union.js';
import { compareTieBreak, countSupport, lineageOf, selectWinner, type Candidate, type SelectionRule, type SurvivorshipMember } from './rules.js';
import { isEmptyValue } from './values.js';

/**
 * `most_restrictive`: per channel, opted_out beats opted_in beats unknown, whatever the source or the date. A PDRP
 * or email opt-out from any member therefore holds through every merge: adding members, however trusted or recent,
 * never lifts it. It goes only with the member that carried it (an unmerge of that very record, which belonged to
 * someone else) or by a steward pin. Among members that agree on the status, the configured tie-break rules pick
 * the copy shown (its date and source); the item's lineage names that member and `carriedBy` every member with the
 * same status. Less restrictive statuses are listed as competing values.
 */
export function surviveConsents(members: readonly SurvivorshipMember[], tieBreak: readonly SelectionRule[], ranking: readonly string[]): GoldenValue | undefined {
  const candidates: Candidate[] = [];
  for (const member of members) {
    const list = (member.draft as { consents?: unknown }).consents;
    if (!Array.isArray(list)) continue;
    list.forEach((value: unknown, index) => {
      const status = (value as { status?: unknown } | null)?.status;
      if (!isEmptyValue(value) && typeof status === 'string') candidates.push({ member, value, key: status, index });
    });
  }
  if (candidates.length === 0) return undefined;
  const rules: SelectionRule[] = ['most_restrictive', ...tieBreak.filter((r) => r !== 'most_restrictive')];
  const items: GoldenItem[] = [];
  const competing: GoldenValue['competing'] = [];
  for (const channel of ConsentChannelSchema.options) {
    const group = candidates.filter((c) => (c.value as { channel?: unknown }).channel === channel);
    if (group.length === 0) continue;
    const { winner, rule, lostAt } = selectWinner(group, rules, { ranking, support: countSupport(group) });
    items.push({ value: winner.value, lineage: lineageOf(winner.member, rule), carriedBy: carriers(group.filter((c) => c.key === winner.key), 'most_restrictive') });
    for (const c of [...group].sort(compareTieBreak)) {
      if (c.key !== winner.key) competing.push({ value: c.value, lineage: lineageOf(c.member, lostAt.get(c) ?? 'most_restrictive') });
    }
  }
  return { value: items.map((i) => i.value), lineage: listLineage('most_restrictive', candidates), competing, items };
}

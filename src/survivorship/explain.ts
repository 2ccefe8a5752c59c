import type { GoldenValue, Lineage } from '../model/golden-record.js';

/**
 * Golden values in the words the steward console and the CLI show: what won, from where, by which rule, and what
 * it beat.
 */

export type ExplainedSource = {
  /** `veeva-crm/accounts #12`, or `steward jdoe` for a pin. */
  from: string;
  rule: string;
  /** The rule in words: "source ranking", "pinned by a steward". */
  ruleLabel: string;
  at: string;
  sourceRecordId?: number;
  pinnedBy?: string;
};

export type ExplainedValue = ExplainedSource & { value: unknown; display: string };

export type AttributeExplanation = ExplainedValue & {
  attribute: string;
  /** One sentence: "lastName = Smith, from nppes/npi #3 by source ranking; beat SMYTH (veeva-crm/accounts #7)". */
  summary: string;
  competitors: ExplainedValue[];
  /** List attributes: each item with the members that carried it. */
  items?: (ExplainedValue & { primary?: boolean; carriedBy: string[] })[];
};

const RULE_LABELS: Record<string, string> = {
  source_ranking: 'source ranking',
  most_recent: 'most recent',
  most_frequent: 'most frequent',
  most_complete: 'most complete',
  validated_wins: 'validated wins',
  union: 'union of all members',
  most_restrictive: 'most restrictive',
  steward_pin: 'pinned by a steward',
  steward_pin_rejected: 'steward pin rejected (value does not fit the attribute)',
  only_value: 'only value offered',
  agreement: 'all members agree',
  tie_break: 'tie broken by lowest source record id',
};

export function describeRule(rule: string): string {
  return RULE_LABELS[rule] ?? rule.replace(/_/g, ' ');
}

export function describeLineage(lineage: Lineage): ExplainedSource {
  const from = lineage.pinnedBy
    ? `steward ${lineage.pinnedBy}`
    : lineage.connector
      ? `${lineage.connector}/${lineage.stream ?? '?'}${lineage.sourceRecordId !== undefined ? ` #${lineage.sourceRecordId}` : ''}`
      : 'all members';
  const source: ExplainedSource = { from, rule: lineage.rule, ruleLabel: describeRule(lineage.rule), at: lineage.at };
  if (lineage.sourceRecordId !== undefined) source.sourceRecordId = lineage.sourceRecordId;
  if (lineage.pinnedBy) source.pinnedBy = lineage.pinnedBy;
  return source;
}

/** A value in a line of text: identifiers as `npi 1234567893`, addresses as USPS lines, consents as `pdrp: opted_out`. */
export function displayValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(displayValue).filter((s) => s !== '').join('; ');
  if (typeof value !== 'object') return String(value);
  const v = value as Record<string, unknown>;
  if (typeof v.channel === 'string' && typeof v.status === 'string') return `${v.channel}: ${v.status}`;
  if (typeof v.type === 'string' && typeof v.value === 'string' && !('kind' in v)) {
    return `${v.type}${typeof v.issuer === 'string' ? ` (${v.issuer})` : ''} ${v.value}${v.valid === false ? ' [invalid]' : ''}`;
  }
  if (typeof v.kind === 'string' && typeof v.value === 'string') return `${v.kind} ${v.value}`;
  if ('line1' in v || 'zip5' in v || 'city' in v) {
    const cityLine = [v.city, [v.state, [v.zip5, v.zip4].filter(Boolean).join('-')].filter(Boolean).join(' ')].filter(Boolean).join(', ');
    return [v.line1, v.line2, cityLine].filter((s) => typeof s === 'string' && s !== '').join(', ');
  }
  if (typeof v.organization === 'object' && v.organization !== null) {
    const org = v.organization as { name?: string; identifier?: { type: string; value: string } };
    const name = org.name ?? (org.identifier ? `${org.identifier.type} ${org.identifier.value}` : 'organization');
    return typeof v.role === 'string' ? `${v.role} at ${name}` : name;
  }
  return JSON.stringify(value);
}

// The objects below are built property by property, not with object spread: V8 promoted spread-built objects out of
// the young generation, which at a golden record answer's dozens of them made every minor collection copy megabytes
// (pauses of 10-15 ms instead of a few under load).

function explainValue(value: unknown, lineage: Lineage): ExplainedValue {
  const source = describeLineage(lineage);
  const explained: ExplainedValue = { value, display: displayValue(value), from: source.from, rule: source.rule, ruleLabel: source.ruleLabel, at: source.at };
  if (source.sourceRecordId !== undefined) explained.sourceRecordId = source.sourceRecordId;
  if (source.pinnedBy !== undefined) explained.pinnedBy = source.pinnedBy;
  return explained;
}

/** The winner and its competitors of one attribute; undefined when the attribute has no golden value. */
export function explainAttribute(attributes: Readonly<Record<string, GoldenValue>>, name: string): AttributeExplanation | undefined {
  const golden = attributes[name];
  if (!golden) return undefined;
  const winner = explainValue(golden.value, golden.lineage);
  const competitors = golden.competing.map((c) => explainValue(c.value, c.lineage));
  const beaten = competitors.length > 0 ? `; beat ${competitors.map((c) => `${c.display} (${c.from}, ${c.ruleLabel})`).join(', ')}` : '';
  const origin = golden.lineage.connector || golden.lineage.pinnedBy ? `, from ${winner.from}` : '';
  const explanation: AttributeExplanation = {
    attribute: name,
    value: winner.value,
    display: winner.display,
    from: winner.from,
    rule: winner.rule,
    ruleLabel: winner.ruleLabel,
    at: winner.at,
    summary: `${name} = ${winner.display}${origin} by ${winner.ruleLabel}${beaten}`,
    competitors,
  };
  if (winner.sourceRecordId !== undefined) explanation.sourceRecordId = winner.sourceRecordId;
  if (winner.pinnedBy !== undefined) explanation.pinnedBy = winner.pinnedBy;
  if (golden.items) {
    explanation.items = golden.items.map((item) => {
      const explained = explainValue(item.value, item.lineage) as ExplainedValue & { primary?: boolean; carriedBy: string[] };
      if (item.primary !== undefined) explained.primary = item.primary;
      explained.carriedBy = item.carriedBy.map((l) => describeLineage(l).from);
      return explained;
    });
  }
  return explanation;
}

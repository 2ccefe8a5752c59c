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
  return {
    from,
    rule: lineage.rule,
    ruleLabel: describeRule(lineage.rule),
    at: lineage.at,
    ...(lineage.sourceRecordId !== undefined ? { sourceRecordId: lineage.sourceRecordId } : {}),
    ...(lineage.pinnedBy ? { pinnedBy: lineage.pinnedBy } : {}),
  };
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

function explainValue(value: unknown, lineage: Lineage): ExplainedValue {
  return { value, display: displayValue(value), ...describeLineage(lineage) };
}

/** The winner and its competitors of one attribute; undefined when the attribute has no golden value. */
export function explainAttribute(attributes: Readonly<Record<string, GoldenValue>>, name: string): AttributeExplanation | undefined {
  const golden = attributes[name];
  if (!golden) return undefined;
  const winner = explainValue(golden.value, golden.lineage);
  const competitors = golden.competing.map((c) => explainValue(c.value, c.lineage));
  const beaten = competitors.length > 0 ? `; beat ${competitors.map((c) => `${c.display} (${c.from}, ${c.ruleLabel})`).join(', ')}` : '';
  const origin = golden.lineage.connector || golden.lineage.pinnedBy ? `, from ${winner.from}` : '';
  return {
    attribute: name,
    ...winner,
    summary: `${name} = ${winner.display}${origin} by ${winner.ruleLabel}${beaten}`,
    competitors,
    ...(golden.items
      ? {
          items: golden.items.map((item) => ({
            ...explainValue(item.value, item.lineage),
            ...(item.primary !== undefined ? { primary: item.primary } : {}),
            carriedBy: item.carriedBy.map((l) => describeLineage(l).from),
          })),
        }
      : {}),
  };
}

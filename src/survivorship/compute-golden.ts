import { ConfigError } from '../errors.js';
import type { MasterEntityType } from '../model/draft.js';
import type { GoldenValue } from '../model/golden-record.js';
import type { IdentifierType } from '../model/identifier.js';
import { OrganizationSchema, type Organization } from '../model/organization.js';
import { PhysicianSchema, type Physician } from '../model/physician.js';
import { getAttributeKind, getAttributeSchema, isItemListAttribute, listAttributes, type AttributeKind } from './attributes.js';
import { BUILT_IN_DEFAULT_RULES, DEFAULT_SINGLE_VALUED_TYPES, type PrimaryRule, type RuleName, type SurvivorshipConfig, type ValueRule } from './config-schema.js';
import { surviveConsents } from './consent-rule.js';
import { collectItems, surviveUnion, type UnionAttribute } from './list-union.js';
import { applyPin, type StewardPin } from './pins.js';
import { surviveSingleValue, type Candidate, type SurvivorshipMember } from './rules.js';
import { isEmptyValue, valueKey } from './values.js';

/**
 * The golden record of one master entity, from its members alone: a pure function with no store behind it, so the
 * same members, config and pins always give the same attributes, whatever order the members come in.
 */

/** What the config says for one attribute, with the defaults filled in. */
export type AttributePlan = {
  attribute: string;
  kind: AttributeKind;
  rules: RuleName[];
  /** For union attributes: rules for the copy shown, the primary and the order. */
  primary: PrimaryRule[];
  ranking: string[];
  singleValuedTypes: IdentifierType[];
};

export function resolveAttributePlan(config: SurvivorshipConfig, attribute: string): AttributePlan | undefined {
  const kind = getAttributeKind(config.entity, attribute);
  if (!kind) return undefined;
  const own = config.attributes[attribute];
  const defaults: ValueRule[] = config.default?.rules ?? BUILT_IN_DEFAULT_RULES;
  let rules: RuleName[];
  if (own) rules = own.rules;
  else if (kind === 'item_list') rules = ['union'];
  else if (kind === 'consents') rules = ['most_restrictive', 'most_recent'];
  else rules = defaults;
  const primary: PrimaryRule[] = own?.primary ?? (attribute === 'identifiers' ? ['validated_wins', ...defaults] : defaults);
  return {
    attribute,
    kind,
    rules,
    primary,
    ranking: own?.sources ?? config.sources,
    singleValuedTypes: own?.singleValuedTypes ?? (attribute === 'identifiers' ? DEFAULT_SINGLE_VALUED_TYPES[config.entity] : []),
  };
}

/**
 * Computes every attribute that has a value (from a member or a pin). Attributes no member knows are left out
 * rather than set empty. Pins override rules; a pin whose value does not fit the attribute is shown as a
 * rejected competitor (see `validateStewardPin`).
 */
export function computeGoldenAttributes(
  entityType: MasterEntityType,
  members: readonly SurvivorshipMember[],
  config: SurvivorshipConfig,
  pins: readonly StewardPin[] = [],
): Record<string, GoldenValue> {
  if (config.entity !== entityType) {
    throw new ConfigError('survivorship.entity_mismatch', `the survivorship config is for \`${config.entity}\` but the entity is \`${entityType}\`: load mappings/survivorship/${entityType === 'hcp' ? 'physician' : 'organization'}.yaml`);
  }
  const sorted = [...members].sort((a, b) => a.sourceRecordId - b.sourceRecordId);
  const attributes: Record<string, GoldenValue> = {};
  for (const attribute of listAttributes(entityType)) {
    const plan = resolveAttributePlan(config, attribute);
    if (!plan) continue;
    const golden = applyPin(entityType, attribute, surviveAttribute(plan, sorted), pins);
    if (golden) attributes[attribute] = golden;
  }
  return attributes;
}

function surviveAttribute(plan: AttributePlan, members: readonly SurvivorshipMember[]): GoldenValue | undefined {
  switch (plan.kind) {
    case 'consents':
      return surviveConsents(members, plan.rules.filter((r): r is ValueRule => r !== 'most_restrictive' && r !== 'union' && r !== 'validated_wins'), plan.ranking);
    case 'item_list':
    case 'string_list':
      if (plan.rules[0] === 'union') {
        const unionAttribute: UnionAttribute = isItemListAttribute(plan.attribute) ? plan.attribute : 'string_list';
        return surviveUnion(collectItems(members, plan.attribute, unionAttribute), {
          attribute: unionAttribute,
          rules: plan.primary,
          ranking: plan.ranking,
          singleValuedTypes: plan.singleValuedTypes,
        });
      }
      return surviveSingleValue(collectValues(members, plan.attribute), plan.rules.filter(isValueRule), plan.ranking);
    case 'single':
      return surviveSingleValue(collectValues(members, plan.attribute), plan.rules.filter(isValueRule), plan.ranking);
  }
}

const isValueRule = (rule: RuleName): rule is ValueRule => rule === 'source_ranking' || rule === 'most_recent' || rule === 'most_frequent' || rule === 'most_complete';

function collectValues(members: readonly SurvivorshipMember[], attribute: string): Candidate[] {
  const candidates: Candidate[] = [];
  for (const member of members) {
    const value = (member.draft as Record<string, unknown>)[attribute];
    if (!isEmptyValue(value)) candidates.push({ member, value, key: valueKey(value), index: 0 });
  }
  return candidates;
}

/**
 * The entity the golden values describe, for display, matching against the master and write-back. Values that do
 * not fit the canonical schema (only possible for hand-edited stored records) are left out; defaults fill the rest.
 */
export function goldenToEntity(attributes: Readonly<Record<string, GoldenValue>>, entityType: 'hcp'): Physician;
export function goldenToEntity(attributes: Readonly<Record<string, GoldenValue>>, entityType: 'hco'): Organization;
export function goldenToEntity(attributes: Readonly<Record<string, GoldenValue>>, entityType: MasterEntityType): Physician | Organization;
export function goldenToEntity(attributes: Readonly<Record<string, GoldenValue>>, entityType: MasterEntityType): Physician | Organization {
  const data: Record<string, unknown> = {};
  for (const attribute of listAttributes(entityType)) {
    const golden = attributes[attribute];
    const parsed = golden ? getAttributeSchema(entityType, attribute)?.safeParse(golden.value) : undefined;
    if (parsed?.success) data[attribute] = parsed.data;
  }
  return entityType === 'hcp' ? PhysicianSchema.parse(data) : OrganizationSchema.parse(data);
}

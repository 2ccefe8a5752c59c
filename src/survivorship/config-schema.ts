import { z } from 'zod';
import type { MasterEntityType } from '../model/draft.js';
import { IDENTIFIER_TYPES, type IdentifierType } from '../model/identifier.js';
import { getAttributeKind, listAttributes, type AttributeKind } from './attributes.js';

/**
 * The survivorship config (`mappings/survivorship/<entity>.yaml`, documented for users in
 * mappings/survivorship/README.md). The schema depends on the entity: which attributes exist and which rules
 * each one accepts (an identifier list is merged by `union`, a first name is not).
 */

/** Rules that pick among competing values; any of them can follow another as its fallback. */
export const VALUE_RULES = ['source_ranking', 'most_recent', 'most_frequent', 'most_complete'] as const;
export type ValueRule = (typeof VALUE_RULES)[number];

/** Every rule a config may name. */
export const RULE_NAMES = [...VALUE_RULES, 'validated_wins', 'union', 'most_restrictive'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

/** Rules that choose which copy of an item is shown and which item is primary. */
export type PrimaryRule = ValueRule | 'validated_wins';

export type AttributeRuleConfig = {
  rules: RuleName[];
  /** Trust order for this attribute only, most trusted first; replaces the top-level `sources`. */
  sources?: string[];
  /** For `union` attributes: the rules that pick the primary item and the copy shown of a duplicated item. */
  primary?: PrimaryRule[];
  /** Identifiers only: types a person holds one of; conflicting values are all kept, one is primary. */
  singleValuedTypes?: IdentifierType[];
  description?: string;
};

export type SurvivorshipConfig = {
  entity: MasterEntityType;
  description?: string;
  /** Trust order of connectors, most trusted first; connectors not listed rank after all listed, as equals. */
  sources: string[];
  /** Rules for attributes the config does not list. */
  default?: { rules: ValueRule[] };
  attributes: Partial<Record<string, AttributeRuleConfig>>;
};

/** Single-valued identifier types when the config does not say: one NPI and one ME number per physician. */
export const DEFAULT_SINGLE_VALUED_TYPES: Record<MasterEntityType, IdentifierType[]> = { hcp: ['npi', 'me'], hco: ['hin'] };

/** Fallbacks when neither the attribute nor `default` names rules. */
export const BUILT_IN_DEFAULT_RULES: ValueRule[] = ['source_ranking', 'most_recent'];

function quoteList(values: readonly string[]): string {
  return values.map((v) => `\`${v}\``).join(', ');
}

function ruleEnum<const T extends readonly [string, ...string[]]>(allowed: T, where: string) {
  return z.enum(allowed, {
    error: (issue) => `rule \`${String(issue.input)}\` does not apply to ${where}; use one of ${quoteList(allowed)}`,
  });
}

/** A list of names with no repeats: a repeated rule or source is always a slip. */
function uniqueList<T extends z.ZodType<string>>(item: T, what: string, minItems = 1) {
  return z
    .array(item)
    .min(minItems, { error: `list at least ${minItems} ${what}` })
    .superRefine((values, ctx) => {
      const seen = new Set<string>();
      values.forEach((value, index) => {
        if (seen.has(value)) ctx.addIssue({ code: 'custom', message: `\`${value}\` is listed twice`, path: [index], params: { code: 'list.duplicate' } });
        seen.add(value);
      });
    });
}

const SourcesSchema = uniqueList(z.string().min(1, { error: 'a connector id cannot be empty' }), 'connector');

function attributeRuleSchema(attribute: string, kind: AttributeKind) {
  const where = `\`${attribute}\``;
  const common = { sources: SourcesSchema.optional(), description: z.string().optional() };
  switch (kind) {
    case 'single':
      return z.strictObject({ ...common, rules: uniqueList(ruleEnum(VALUE_RULES, where), 'rule') });
    case 'string_list':
      return z
        .strictObject({
          ...common,
          rules: uniqueList(ruleEnum([...VALUE_RULES, 'union'], where), 'rule'),
          primary: uniqueList(ruleEnum(VALUE_RULES, `the primary of ${where}`), 'rule').optional(),
        })
        .superRefine((value, ctx) => {
          if (value.rules.includes('union') && value.rules.length > 1) {
            ctx.addIssue({ code: 'custom', path: ['rules'], message: '`union` keeps every value, so no rule can follow it: order the merged list with `primary`', params: { code: 'rule.union_alone' } });
          }
          if (value.primary && !value.rules.includes('union')) {
            ctx.addIssue({ code: 'custom', path: ['primary'], message: '`primary` orders a merged list: it needs `rules: [union]`', params: { code: 'rule.primary_without_union' } });
          }
        });
    case 'item_list': {
      const primaryRules = attribute === 'identifiers' ? (['validated_wins', ...VALUE_RULES] as const) : VALUE_RULES;
      return z.strictObject({
        ...common,
        rules: z.tuple([z.literal('union', { error: `${where} is always merged: write \`rules: [union]\`` })], {
          error: `${where} is always merged: write \`rules: [union]\``,
        }),
        primary: uniqueList(ruleEnum(primaryRules, `the primary of ${where}`), 'rule').optional(),
        ...(attribute === 'identifiers' ? { singleValuedTypes: uniqueList(z.enum(IDENTIFIER_TYPES), 'identifier type', 0).optional() } : {}),
      });
    }
    case 'consents':
      return z.strictObject({
        ...common,
        rules: z
          .tuple([z.literal('most_restrictive', { error: 'consents start with `most_restrictive`: an opt-out from any member must win' })], ruleEnum(VALUE_RULES, `the tie-break of ${where}`))
          .superRefine((rules, ctx) => {
            const seen = new Set<string>();
            rules.forEach((rule, index) => {
              if (seen.has(rule)) ctx.addIssue({ code: 'custom', message: `\`${rule}\` is listed twice`, path: [index], params: { code: 'list.duplicate' } });
              seen.add(rule);
            });
          }),
      });
  }
}

/**
 * The schema for one entity's config. Without an entity (the file's `entity` is missing or wrong) the attributes
 * of both entities are accepted, so the rest of the file is still checked in the same pass.
 */
export function createSurvivorshipConfigSchema(entity?: MasterEntityType) {
  const attributeShape: Record<string, z.ZodType> = {};
  for (const type of entity ? [entity] : (['hcp', 'hco'] as const)) {
    for (const attribute of listAttributes(type)) {
      const kind = getAttributeKind(type, attribute);
      if (kind && !attributeShape[attribute]) attributeShape[attribute] = attributeRuleSchema(attribute, kind).optional();
    }
  }
  return z.strictObject({
    entity: z.enum(['hcp', 'hco'], { error: 'entity must be `hcp` (physicians) or `hco` (organizations)' }),
    description: z.string().optional(),
    sources: SourcesSchema,
    default: z.strictObject({ rules: uniqueList(ruleEnum(VALUE_RULES, 'the default'), 'rule') }).optional(),
    attributes: z.strictObject(attributeShape).default({}),
  });
}

/** Names a config may use as keys, for "did you mean" hints. */
export function knownConfigKeys(): string[] {
  return [
    'entity', 'description', 'sources', 'default', 'attributes', 'rules', 'primary', 'singleValuedTypes',
    ...new Set([...listAttributes('hcp'), ...listAttributes('hco')]),
  ];
}

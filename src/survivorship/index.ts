/**
 * Survivorship: the golden record of a master entity from its members, as pure functions (no store). Load the
 * rules with `loadSurvivorshipConfig(file)`, compute with `computeGoldenAttributes(entityType, members, config,
 * pins)`, rebuild the entity with `goldenToEntity(attributes, entityType)`, explain with `explainAttribute`.
 * The YAML format is documented in mappings/survivorship/README.md.
 */
export { getAttributeKind, listAttributes, type AttributeKind } from './attributes.js';
export {
  BUILT_IN_DEFAULT_RULES,
  createSurvivorshipConfigSchema,
  DEFAULT_SINGLE_VALUED_TYPES,
  RULE_NAMES,
  VALUE_RULES,
  type AttributeRuleConfig,
  type PrimaryRule,
  type RuleName,
  type SurvivorshipConfig,
  type ValueRule,
} from './config-schema.js';
export {
  formatSurvivorshipConfigIssues,
  loadSurvivorshipConfig,
  parseSurvivorshipConfig,
  requireSurvivorshipConfig,
  SurvivorshipConfigError,
  type SurvivorshipConfigIssue,
  type SurvivorshipConfigResult,
} from './load-config.js';
export { computeGoldenAttributes, goldenToEntity, resolveAttributePlan, type AttributePlan } from './compute-golden.js';
export { explainAttribute, describeRule, displayValue, type AttributeExplanation, type ExplainedValue } from './explain.js';
export { validateStewardPin, type StewardPin } from './pins.js';
export type { SurvivorshipMember } from './rules.js';

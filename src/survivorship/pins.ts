import type { MasterEntityType } from '../model/draft.js';
import type { GoldenValue } from '../model/golden-record.js';
import { getAttributeSchema } from './attributes.js';
import { compareIso, valueKey } from './values.js';

/**
 * A data steward's chosen value: it overrides every rule until removed (rule `steward_pin`, lineage `pinnedBy`).
 * A pin replaces the whole attribute, a list included.
 */
export type StewardPin = { attribute: string; value: unknown; by: string; at: string; reason?: string };

/**
 * Why a pin cannot apply, or undefined when it can: the API checks this when the steward pins, so a bad pin is
 * refused at the door. One that gets through anyway is not applied and shows as a competing value with rule
 * `steward_pin_rejected`, never silently dropped.
 */
export function validateStewardPin(entityType: MasterEntityType, pin: StewardPin): string | undefined {
  const schema = getAttributeSchema(entityType, pin.attribute);
  if (!schema) return `\`${pin.attribute}\` is not an attribute of ${entityType === 'hcp' ? 'a physician' : 'an organization'}`;
  const parsed = schema.safeParse(pin.value);
  if (!parsed.success) return `the pinned value does not fit \`${pin.attribute}\`: ${parsed.error.issues.map((i) => i.message).join('; ')}`;
  if (pin.value === undefined || pin.value === null) return `a pin needs a value; remove the pin to let survivorship choose \`${pin.attribute}\` again`;
  return undefined;
}

/** The pin that holds for an attribute: the latest; equal times fall to the steward name, then the value. */
function choosePin(pins: readonly StewardPin[], attribute: string): StewardPin | undefined {
  return pins
    .filter((p) => p.attribute === attribute)
    .sort((a, b) => compareIso(b.at, a.at) || compareText(a.by, b.by) || compareText(valueKey(a.value), valueKey(b.value)))[0];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function applyPin(entityType: MasterEntityType, attribute: string, computed: GoldenValue | undefined, pins: readonly StewardPin[]): GoldenValue | undefined {
  const pin = choosePin(pins, attribute);
  if (!pin) return computed;
  const lineage = { rule: 'steward_pin', at: pin.at, pinnedBy: pin.by };
  if (validateStewardPin(entityType, pin) !== undefined) {
    if (!computed) return undefined;
    return { ...computed, competing: [...computed.competing, { value: pin.value, lineage: { ...lineage, rule: 'steward_pin_rejected' } }] };
  }
  const value: unknown = getAttributeSchema(entityType, attribute)?.parse(pin.value);
  const competing = computed ? [{ value: computed.value, lineage: computed.lineage }, ...computed.competing] : [];
  return {
    value,
    lineage,
    competing,
    ...(Array.isArray(value) ? { items: value.map((item: unknown) => ({ value: item, lineage, carriedBy: [] })) } : {}),
  };
}

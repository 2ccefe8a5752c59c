import type { z } from 'zod';
import type { MasterEntityType } from '../model/draft.js';
import { OrganizationSchema } from '../model/organization.js';
import { PhysicianSchema } from '../model/physician.js';

/**
 * What kind of survivorship an attribute takes. The kind decides which rules the config may name for it:
 * - `single`: one value wins whole (a name part, gender, status, an organization's parent);
 * - `string_list`: a list of codes (credentials, specialties) that may win whole or be merged by `union`;
 * - `item_list`: identifiers, addresses, contact points, affiliations: always merged by `union`;
 * - `consents`: merged per channel, most restrictive status first.
 */
export type AttributeKind = 'single' | 'string_list' | 'item_list' | 'consents';

export type ItemListAttribute = 'identifiers' | 'addresses' | 'contactPoints' | 'affiliations';

const HCP_KINDS: Record<keyof typeof PhysicianSchema.shape, AttributeKind> = {
  prefix: 'single',
  firstName: 'single',
  middleName: 'single',
  lastName: 'single',
  suffix: 'single',
  preferredName: 'single',
  credentials: 'string_list',
  gender: 'single',
  birthYear: 'single',
  specialties: 'string_list',
  status: 'single',
  identifiers: 'item_list',
  addresses: 'item_list',
  contactPoints: 'item_list',
  affiliations: 'item_list',
  consents: 'consents',
};

const HCO_KINDS: Record<keyof typeof OrganizationSchema.shape, AttributeKind> = {
  name: 'single',
  otherNames: 'string_list',
  type: 'single',
  status: 'single',
  parent: 'single',
  identifiers: 'item_list',
  addresses: 'item_list',
  contactPoints: 'item_list',
  consents: 'consents',
  attributes: 'single',
};

const KINDS: Record<MasterEntityType, Record<string, AttributeKind>> = { hcp: HCP_KINDS, hco: HCO_KINDS };

/** The attributes of an entity type, in the canonical schema's order (the order golden attributes come out in). */
export function listAttributes(entityType: MasterEntityType): string[] {
  return Object.keys(KINDS[entityType]);
}

export function getAttributeKind(entityType: MasterEntityType, attribute: string): AttributeKind | undefined {
  return Object.hasOwn(KINDS[entityType], attribute) ? KINDS[entityType][attribute] : undefined;
}

export function isItemListAttribute(attribute: string): attribute is ItemListAttribute {
  return attribute === 'identifiers' || attribute === 'addresses' || attribute === 'contactPoints' || attribute === 'affiliations';
}

/** The zod schema of one attribute, used to check steward pins and to rebuild an entity from golden values. */
export function getAttributeSchema(entityType: MasterEntityType, attribute: string): z.ZodType | undefined {
  const shape: Record<string, z.ZodType> = entityType === 'hcp' ? PhysicianSchema.shape : OrganizationSchema.shape;
  return Object.hasOwn(shape, attribute) ? shape[attribute] : undefined;
}

import type { z } from 'zod';
import { ChargebackFactSchema, InventoryFactSchema, OrganizationSchema, PhysicianSchema, RxFactSchema, SalesFactSchema } from '../model/index.js';
import type { EntityKind } from './mapping-schema.js';

/**
 * The canonical model seen as a tree of assignable paths, read from the zod schemas themselves so that a field
 * added to the model is mappable at once and a misspelt one is caught at load time.
 */
export type CanonicalNode =
  | { type: 'object'; fields: Map<string, CanonicalNode>; required: Set<string> }
  | { type: 'array'; element: CanonicalNode }
  | { type: 'record'; value: CanonicalNode }
  | { type: 'leaf'; schema: z.ZodType; options?: readonly string[] };

type Def = { type: string; innerType?: ZodLike; element?: ZodLike; shape?: Record<string, ZodLike>; valueType?: ZodLike; entries?: Record<string, string>; in?: ZodLike; getter?: () => ZodLike };
type ZodLike = z.ZodType & { def: Def };

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

function unwrap(schema: ZodLike): { schema: ZodLike; optional: boolean } {
  let current = schema;
  let optional = false;
  for (;;) {
    const def = current.def;
    if (WRAPPERS.has(def.type) && def.innerType) {
      if (def.type !== 'nullable' && def.type !== 'readonly') optional = true;
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in;
    } else if (def.type === 'lazy' && def.getter) {
      current = def.getter();
    } else {
      return { schema: current, optional };
    }
  }
}

export function describeSchema(schema: z.ZodType): CanonicalNode {
  const { schema: inner } = unwrap(schema as ZodLike);
  const def = inner.def;
  if (def.type === 'object' && def.shape) {
    const fields = new Map<string, CanonicalNode>();
    const required = new Set<string>();
    for (const [name, child] of Object.entries(def.shape)) {
      fields.set(name, describeSchema(child));
      if (!unwrap(child).optional) required.add(name);
    }
    return { type: 'object', fields, required };
  }
  if (def.type === 'array' && def.element) return { type: 'array', element: describeSchema(def.element) };
  if (def.type === 'record' && def.valueType) return { type: 'record', value: describeSchema(def.valueType) };
  if (def.type === 'enum' && def.entries) return { type: 'leaf', schema: inner, options: Object.values(def.entries) };
  return { type: 'leaf', schema: inner };
}

export const ENTITY_SCHEMAS: Record<EntityKind, z.ZodType> = {
  hcp: PhysicianSchema,
  hco: OrganizationSchema,
  rx_fact: RxFactSchema,
  sales_fact: SalesFactSchema,
  inventory_fact: InventoryFactSchema,
  chargeback_fact: ChargebackFactSchema,
};

const described = new Map<EntityKind, CanonicalNode>();

export function canonicalTree(kind: EntityKind): CanonicalNode {
  let node = described.get(kind);
  if (!node) {
    node = describeSchema(ENTITY_SCHEMAS[kind]);
    described.set(kind, node);
  }
  return node;
}

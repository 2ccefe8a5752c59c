import type { z } from 'zod';
import type { ValidationResult } from '../../model/identifiers/result.js';
import type { LookupTable } from '../lookup-tables.js';

/** One source row: column name to raw value (CSV text, JSON values from an API). */
export type SourceRow = Record<string, unknown>;

/** Values the caller hands to `applyMapping`, visible to every transform (e.g. the Salesforce org id). */
export type ApplyContext = {
  vars?: Record<string, unknown>;
};

/** What a running transform sees besides its input value. */
export type TransformContext = {
  row: SourceRow;
  context: ApplyContext;
};

/**
 * A compiled transform: returns the new value, or a `ValidationResult` from the identifier validators
 * (`{ ok: false, code, message }` nulls the field and records an issue; warnings become `warn.` issues).
 * Returning `undefined`, `null` or `''` empties the field without an issue. Throwing is treated as a failure.
 */
export type TransformFn = (value: unknown, ctx: TransformContext) => unknown;

/**
 * A warning inside a successful `ValidationResult`: plain text is recorded as `warn.<transform>`, a coded
 * warning as `warn.<code>`.
 */
export type TransformWarning = string | { code: string; message: string };

/** Resolves things a transform needs at compile time (lookup tables). */
export type TransformEnv = {
  getTable(name: string): LookupTable | undefined;
  tableNames(): string[];
};

/**
 * A transform as the registry holds it. `create` runs once per use in a mapping, with parsed arguments, so that
 * regexes, tables and format parsers are prepared before the first row.
 */
export type TransformDefinition<A = unknown> = {
  name: string;
  description: string;
  /** zod schema of the arguments (`{ date: "MM/DD/YYYY" }` passes "MM/DD/YYYY"); none means no arguments. */
  args?: z.ZodType<A>;
  /** Runs on empty input too (`default`, `first_non_empty`, `suppressed`); others pass emptiness through. */
  runOnEmpty?: boolean;
  /** Source fields named by the arguments, checked against a mapping's declared `columns`. */
  fieldArgs?: (args: A) => string[];
  create(args: A, env: TransformEnv): TransformFn;
};

/** Raised by `create` when arguments parse but make no sense (an unknown lookup table). */
export class TransformConfigError extends Error {
  readonly hint: string | undefined;
  /** Path inside the arguments, e.g. `['table']`. */
  readonly argPath: (string | number)[];
  constructor(message: string, options: { hint?: string; argPath?: (string | number)[] } = {}) {
    super(message);
    this.name = 'TransformConfigError';
    this.hint = options.hint;
    this.argPath = options.argPath ?? [];
  }
}

/** Marks a measure a publisher suppressed (CMS `*` / `#`): the field becomes null and is listed in `suppressed`. */
export const SUPPRESSED: unique symbol = Symbol.for('crosswalk.mapping.suppressed');

const registry = new Map<string, TransformDefinition<never>>();

/** Adds a transform with full control (compile-time setup). Replaces one of the same name. */
export function defineTransform<A>(definition: TransformDefinition<A>): void {
  registry.set(definition.name, definition as unknown as TransformDefinition<never>);
}

/**
 * The one-liner for users: `registerTransform('strip_zeros', (v) => String(v).replace(/^0+/, ''))`.
 * `argsSchema` validates the YAML arguments once, at load time; `fn` gets them parsed on every call.
 */
export function registerTransform<A = undefined>(
  name: string,
  fn: (value: unknown, args: A, ctx: TransformContext) => unknown,
  argsSchema?: z.ZodType<A>,
  options: { description?: string; runOnEmpty?: boolean } = {},
): void {
  defineTransform<A>({
    name,
    description: options.description ?? `custom transform ${name}`,
    ...(argsSchema ? { args: argsSchema } : {}),
    ...(options.runOnEmpty ? { runOnEmpty: true } : {}),
    create: (args) => (value, ctx) => fn(value, args, ctx),
  });
}

export function getTransform(name: string): TransformDefinition<unknown> | undefined {
  return registry.get(name) as TransformDefinition<unknown> | undefined;
}

export function listTransforms(): string[] {
  return [...registry.keys()].sort();
}

/** Only for tests that register throwaway transforms. */
export function unregisterTransform(name: string): boolean {
  return registry.delete(name);
}

export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

export function isValidationResult(value: unknown): value is ValidationResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { ok?: unknown; code?: unknown; value?: unknown };
  if (candidate.ok === true) return 'value' in candidate;
  if (candidate.ok === false) return typeof candidate.code === 'string';
  return false;
}

/** Text of a scalar value (numbers from JSON sources included); undefined for anything else. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

import type { z } from 'zod';
import type { Draft, FieldIssue, NormalizedRecord } from '../model/draft.js';
import { canonicalTree, describeSchema, ENTITY_SCHEMAS, type CanonicalNode } from './canonical-paths.js';
import { compileCondition, conditionFields, type CompiledCondition } from './conditions.js';
import {
  ConditionSchema,
  EntitySchema,
  MappingHeaderSchema,
  TransformRefSchema,
  ValueSpecSchema,
  type Condition,
  type EntityKind,
  type ValueSpec,
} from './mapping-schema.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { formatDocumentPath } from '../diagnostics/yaml-location.js';
import './transforms/index.js';
import {
  getTransform,
  isEmptyValue,
  isValidationResult,
  listTransforms,
  SUPPRESSED,
  TransformConfigError,
  type ApplyContext,
  type SourceRow,
  type TransformContext,
  type TransformEnv,
  type TransformFn,
} from './transforms/registry.js';

/**
 * Turns a mapping document into closures once, so that applying it to a row does no parsing, no lookups by
 * name and no path resolution. Every problem found on the way is collected (never thrown) with its path inside
 * the document; the loader adds the file and line.
 */

export type DocumentPath = (string | number)[];

export type CompileError = {
  code: string;
  path: DocumentPath;
  message: string;
  hint?: string;
};

export type MappedRecord = NormalizedRecord & { sourceId: string; sourceUpdatedAt?: string };

export type CompiledMapping = {
  connector: string;
  stream: string;
  description?: string;
  /** Where it was loaded from, when it came from a file. */
  file?: string;
  /** The document as written (after YAML parsing), for display. */
  document: unknown;
  entityKeys: string[];
  apply(row: SourceRow, context?: ApplyContext): MappedRecord;
};

type Evaluator = (row: SourceRow, tctx: TransformContext, issues: FieldIssue[]) => unknown;

type CompiledValue = { evaluate: Evaluator; constant: boolean; constValue?: unknown };

type Assignment = { segs: string[]; value: CompiledValue; leaf: string };

type CompiledObject = {
  /** Values read from the source, evaluated first. */
  values: Assignment[];
  /** Fixed values: inside a list item they are only written next to a value read from the source. */
  constants: Assignment[];
  required: string[];
};

/** Keys that make a map a value spec rather than a nested object (`when` alone does not). */
const VALUE_SPEC_KEYS = new Set(['from', 'const', 'template', 'join', 'transforms']);
const ITEM_RESERVED_KEYS = new Set(['when', 'transforms']);
/** An item's constant `type`, `kind` or `channel` names it in issues: `identifiers[npi].value`. */
const ITEM_LABEL_KEYS = ['type', 'kind', 'channel'];

const KNOWN_KEYS = [
  ...Object.keys(MappingHeaderSchema.shape),
  'connector',
  'stream',
  ...Object.keys(EntitySchema.shape),
  ...VALUE_SPEC_KEYS,
  'field',
  'equals',
  'in',
  'present',
  'not',
  'all',
  'any',
];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Source text is trimmed and empty text is no value: CSV exports pad and blank fields freely. */
function readSource(value: unknown): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  return value === null ? undefined : value;
}

function setIn(target: Record<string, unknown>, segs: string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i] as string;
    let next = node[seg];
    if (!isPlainObject(next)) {
      next = {};
      node[seg] = next;
    }
    node = next as Record<string, unknown>;
  }
  node[segs[segs.length - 1] as string] = value;
}

function hasParent(target: Record<string, unknown>, segs: string[]): boolean {
  let node: unknown = target;
  for (let i = 0; i < segs.length - 1; i++) {
    if (!isPlainObject(node)) return false;
    node = node[segs[i] as string];
  }
  return isPlainObject(node);
}


type TemplatePart = { literal: string } | { field: string };

function parseTemplate(template: string): TemplatePart[] | string {
  const parts: TemplatePart[] = [];
  let literal = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i] as string;
    if (ch === '{' && template[i + 1] === '{') {
      literal += '{';
      i++;
    } else if (ch === '}' && template[i + 1] === '}') {
      literal += '}';
      i++;
    } else if (ch === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) return `unclosed \`{\` at character ${i + 1} of the template (write \`{{\` for a literal brace)`;
      const field = template.slice(i + 1, end).trim();
      if (field === '') return `empty \`{}\` at character ${i + 1} of the template: name a source field inside the braces`;
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ field });
      i = end;
    } else if (ch === '}') {
      return `stray \`}\` at character ${i + 1} of the template (write \`}}\` for a literal brace)`;
    } else {
      literal += ch;
    }
  }
  if (literal) parts.push({ literal });
  return parts;
}

function zodMessage(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join('; ');
}

class MappingCompiler {
  readonly errors: CompileError[] = [];
  readonly fieldRefs: { field: string; path: DocumentPath }[] = [];

  constructor(private readonly env: TransformEnv) {}

  error(code: string, path: DocumentPath, message: string, hint?: string): void {
    this.errors.push(hint ? { code, path, message, hint } : { code, path, message });
  }

  zodErrors(error: z.ZodError, base: DocumentPath, input: unknown): void {
    for (const issue of error.issues) {
      const path = [...base, ...(issue.path as (string | number)[])];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          this.error('schema.unknown_key', [...path, key], `unknown key \`${key}\``, didYouMean(key, KNOWN_KEYS));
        }
      } else if (issue.code === 'invalid_value' && 'values' in issue) {
        const received = valueAt(input, issue.path as (string | number)[]);
        const options = (issue.values as unknown[]).map(String);
        this.error(
          'schema.invalid_value',
          path,
          `\`${String(received)}\` is not one of ${options.join(', ')}`,
          typeof received === 'string' ? didYouMean(received, options) : undefined,
        );
      } else if (issue.code === 'invalid_type' && valueAt(input, issue.path as (string | number)[]) === undefined) {
        this.error('schema.missing', path, `missing \`${String(path[path.length - 1] ?? 'value')}\`: ${issue.message}`);
      } else {
        this.error('schema.invalid', path, issue.message);
      }
    }
  }

  compileMapping(doc: unknown): CompiledMapping | undefined {
    if (!isPlainObject(doc)) {
      this.error('schema.invalid', [], 'a mapping document is a map with `source`, `id` and `entities`');
      return undefined;
    }
    const header = MappingHeaderSchema.safeParse(doc);
    if (!header.success) this.zodErrors(header.error, [], doc);

    const sourceId = 'id' in doc ? this.compileHeaderValue(doc.id, ['id']) : undefined;
    const updatedAt = 'updatedAt' in doc && doc.updatedAt !== undefined ? this.compileHeaderValue(doc.updatedAt, ['updatedAt']) : undefined;

    const entities: CompiledEntity[] = [];
    const keys = new Map<string, number>();
    const rawEntities = Array.isArray(doc.entities) ? doc.entities : [];
    rawEntities.forEach((raw, index) => {
      const entity = this.compileEntity(raw, ['entities', index]);
      if (!entity) return;
      const previous = keys.get(entity.key);
      if (previous !== undefined) {
        this.error(
          'entity.duplicate_key',
          ['entities', index, 'key'],
          `entity key \`${entity.key}\` is already used by entities[${previous}]`,
          'give each entity its own `key` (e.g. `hcp`, `parent_org`)',
        );
      }
      keys.set(entity.key, index);
      entities.push(entity);
    });

    if (header.success && header.data.columns) this.checkColumns(header.data.columns);
    if (!header.success || this.errors.length > 0 || !sourceId) return undefined;

    const { source, description } = header.data;
    return {
      connector: source.connector,
      stream: source.stream,
      ...(description !== undefined ? { description } : {}),
      document: doc,
      entityKeys: entities.map((e) => e.key),
      apply: buildApply(sourceId, updatedAt, entities),
    };
  }

  private checkColumns(columns: string[]): void {
    const known = new Set(columns);
    for (const ref of this.fieldRefs) {
      if (!known.has(ref.field)) {
        this.error('column.unknown', ref.path, `source field \`${ref.field}\` is not in \`columns\``, didYouMean(ref.field, columns));
      }
    }
  }

  private compileHeaderValue(raw: unknown, path: DocumentPath): CompiledValue | undefined {
    if (typeof raw === 'string') {
      return raw.includes('{') ? this.compileValue({ template: raw }, path, path.join('.')) : this.compileValue({ from: raw.trim() }, path, path.join('.'));
    }
    if (isPlainObject(raw)) return this.compileValueSpec(raw, path, String(path[0]));
    return undefined; // the header schema already reported it
  }

  private compileEntity(raw: unknown, path: DocumentPath): CompiledEntity | undefined {
    const parsed = EntitySchema.safeParse(raw);
    if (!parsed.success) {
      this.zodErrors(parsed.error, path, raw);
      // Carry on with the fields when the kind is readable, so their errors are reported in the same run.
      if (!isPlainObject(raw) || !isPlainObject(raw.fields) || !ENTITY_SCHEMAS[raw.kind as EntityKind]) return undefined;
    }
    const entity = (parsed.success ? parsed.data : raw) as { kind: EntityKind; key?: string; when?: Condition; fields: Record<string, unknown> };
    const tree = canonicalTree(entity.kind);
    if (tree.type !== 'object') return undefined;
    const when = entity.when && parsed.success ? compileCondition(entity.when) : undefined;
    if (entity.when && parsed.success) this.fieldRefs.push(...conditionFields(entity.when, [...path, 'when']));
    const body = this.compileObject(tree, entity.fields, [...path, 'fields'], '', false);
    return {
      kind: entity.kind,
      key: entity.key ?? entity.kind,
      ...(when ? { when } : {}),
      body,
      hasSuppressed: tree.fields.has('suppressed'),
      schema: ENTITY_SCHEMAS[entity.kind],
    };
  }

  /** A map of canonical field (or dotted path) to assignment, flattened into leaf assignments. */
  private compileObject(
    node: Extract<CanonicalNode, { type: 'object' }>,
    fields: Record<string, unknown>,
    path: DocumentPath,
    label: string,
    inItem: boolean,
  ): CompiledObject {
    const out: CompiledObject = { values: [], constants: [], required: [...node.required] };
    this.collectAssignments(node, fields, path, label, [], out, inItem);
    return out;
  }

  private collectAssignments(
    node: CanonicalNode,
    fields: Record<string, unknown>,
    path: DocumentPath,
    label: string,
    segsPrefix: string[],
    out: CompiledObject,
    inItem: boolean,
  ): void {
    for (const [key, raw] of Object.entries(fields)) {
      if (inItem && segsPrefix.length === 0 && ITEM_RESERVED_KEYS.has(key)) continue;
      const keyPath = [...path, key];
      let target: CanonicalNode | undefined = node;
      const segs = [...segsPrefix];
      for (const seg of key.split('.')) {
        if (target.type === 'object') {
          const child: CanonicalNode | undefined = target.fields.get(seg);
          if (!child) {
            const where = segs.length ? `\`${segs.join('.')}\`` : 'this entity';
            this.error(
              'field.unknown',
              keyPath,
              `\`${seg}\` is not a field of ${where}`,
              didYouMean(seg, [...target.fields.keys(), ...(inItem ? ITEM_RESERVED_KEYS : [])]) ?? `fields here: ${[...target.fields.keys()].join(', ')}`,
            );
            target = undefined;
            break;
          }
          target = child;
        } else if (target.type === 'record') {
          target = target.value;
        } else {
          this.error('field.unknown', keyPath, `\`${segs.join('.')}\` has no sub-field \`${seg}\``);
          target = undefined;
          break;
        }
        segs.push(seg);
      }
      if (!target) continue;
      const leafLabel = label ? `${label}.${segs.join('.')}` : segs.join('.');

      if ((target.type === 'object' || target.type === 'record') && isPlainObject(raw) && !Object.keys(raw).some((k) => VALUE_SPEC_KEYS.has(k))) {
        this.collectAssignments(target, raw, keyPath, label, segs, out, inItem);
        continue;
      }
      if (target.type === 'array') {
        const list = this.compileList(target, raw, keyPath, leafLabel);
        if (list) out.values.push({ segs, value: list, leaf: segs[segs.length - 1] as string });
        continue;
      }
      const value = this.compileFieldValue(raw, keyPath, leafLabel, target);
      if (!value) continue;
      (value.constant ? out.constants : out.values).push({ segs, value, leaf: segs[segs.length - 1] as string });
    }
  }

  /** A scalar, a template string or a value spec assigned to one canonical field. */
  private compileFieldValue(raw: unknown, path: DocumentPath, label: string, target: CanonicalNode): CompiledValue | undefined {
    if (Array.isArray(raw)) {
      this.error('field.not_list', path, `\`${label}\` is a single value, not a list`, 'assign one value: `{ from: Field }`');
      return undefined;
    }
    let compiled: CompiledValue | undefined;
    if (isPlainObject(raw)) {
      compiled = this.compileValueSpec(raw, path, label);
    } else if (typeof raw === 'string' && raw.includes('{')) {
      compiled = this.compileValue({ template: raw }, path, label);
    } else if (raw === null || ['string', 'number', 'boolean'].includes(typeof raw)) {
      compiled = this.compileValue({ const: raw as string | number | boolean | null }, path, label);
    } else {
      this.error('schema.invalid', path, 'expected a value: a constant, "{Field}" template or `{ from: Field }`');
      return undefined;
    }
    if (compiled?.constant && compiled.constValue !== undefined && target.type === 'leaf') {
      const check = target.schema.safeParse(compiled.constValue);
      if (!check.success) {
        const text = String(compiled.constValue);
        this.error(
          'const.invalid',
          path,
          target.options ? `\`${text}\` is not one of ${target.options.join(', ')}` : `\`${text}\` does not fit \`${label}\`: ${zodMessage(check.error)}`,
          target.options ? didYouMean(text, target.options) : undefined,
        );
        return undefined;
      }
    }
    return compiled;
  }

  private compileValueSpec(raw: Record<string, unknown>, path: DocumentPath, label: string): CompiledValue | undefined {
    const parsed = ValueSpecSchema.safeParse(raw);
    if (!parsed.success) {
      this.zodErrors(parsed.error, path, raw);
      return undefined;
    }
    return this.compileValue(parsed.data, path, label);
  }

  compileValue(spec: ValueSpec, path: DocumentPath, label: string): CompiledValue | undefined {
    const read = this.compileSource(spec, path);
    if (!read) return undefined;
    const pipeline = this.compileTransforms(spec.transforms ?? [], [...path, 'transforms']);
    if (!pipeline) return undefined;
    const constant = 'const' in spec;
    const constValue = constant ? (spec.const ?? undefined) : undefined;
    const run = pipeline.length > 0 ? runPipeline(pipeline, label) : undefined;
    const evaluate: Evaluator = run ? (row, tctx, issues) => run(read(row, tctx, issues), tctx, issues) : read;
    if (spec.when) {
      const when = compileCondition(spec.when);
      this.fieldRefs.push(...conditionFields(spec.when, [...path, 'when']));
      return {
        evaluate: (row, tctx, issues) => (when(row) ? evaluate(row, tctx, issues) : undefined),
        constant,
        ...(constant && !run ? { constValue } : {}),
      };
    }
    return { evaluate, constant, ...(constant && !run ? { constValue } : {}) };
  }

  private compileSource(spec: ValueSpec, path: DocumentPath): Evaluator | undefined {
    if ('const' in spec) {
      const value = spec.const ?? undefined;
      return () => value;
    }
    if (spec.template !== undefined) {
      const parts = parseTemplate(spec.template);
      if (typeof parts === 'string') {
        this.error('template.syntax', path, parts);
        return undefined;
      }
      for (const part of parts) if ('field' in part) this.fieldRefs.push({ field: part.field, path });
      const only = parts[0];
      if (parts.length === 1 && only && 'field' in only) {
        const field = only.field;
        return (row) => readSource(row[field]);
      }
      return (row) => {
        let text = '';
        let any = false;
        for (const part of parts) {
          if ('literal' in part) {
            text += part.literal;
          } else {
            const value = readSource(row[part.field]);
            if (value !== undefined) {
              text += String(value);
              any = true;
            }
          }
        }
        if (!any) return undefined;
        const collapsed = text.replace(/\s+/g, ' ').trim();
        return collapsed === '' ? undefined : collapsed;
      };
    }
    const from = spec.from;
    if (from === undefined) return undefined;
    if (typeof from === 'string') {
      this.fieldRefs.push({ field: from, path: [...path, 'from'] });
      return (row) => readSource(row[from]);
    }
    from.forEach((field, i) => this.fieldRefs.push({ field, path: [...path, 'from', i] }));
    const join = spec.join;
    if (join === undefined) {
      return (row) => {
        for (const field of from) {
          const value = readSource(row[field]);
          if (value !== undefined) return value;
        }
        return undefined;
      };
    }
    return (row) => {
      const values: string[] = [];
      for (const field of from) {
        const value = readSource(row[field]);
        if (value !== undefined) values.push(String(value));
      }
      return values.length > 0 ? values.join(join) : undefined;
    };
  }

  compileTransforms(refs: unknown[], path: DocumentPath): CompiledTransform[] | undefined {
    const out: CompiledTransform[] = [];
    let ok = true;
    refs.forEach((ref, index) => {
      const refPath = [...path, index];
      const parsedRef = TransformRefSchema.safeParse(ref);
      if (!parsedRef.success) {
        this.zodErrors(parsedRef.error, refPath, ref);
        ok = false;
        return;
      }
      const [name, rawArgs] =
        typeof parsedRef.data === 'string' ? [parsedRef.data, undefined] : (Object.entries(parsedRef.data)[0] as [string, unknown]);
      const namePath = typeof parsedRef.data === 'string' ? refPath : [...refPath, name];
      const definition = getTransform(name);
      if (!definition) {
        this.error('transform.unknown', namePath, `unknown transform \`${name}\``, didYouMean(name, listTransforms()));
        ok = false;
        return;
      }
      let args: unknown = undefined;
      if (definition.args) {
        const parsedArgs = definition.args.safeParse(rawArgs === null ? undefined : rawArgs);
        if (!parsedArgs.success) {
          for (const issue of parsedArgs.error.issues) {
            const argPath = [...namePath, ...(issue.path as (string | number)[])];
            if (issue.code === 'unrecognized_keys') {
              const argNames = argumentNames(definition.args);
              for (const key of issue.keys) {
                this.error(
                  'transform.args',
                  [...argPath, key],
                  `transform \`${name}\` has no argument \`${key}\``,
                  didYouMean(key, argNames) ?? (argNames.length ? `arguments: ${argNames.join(', ')}` : undefined),
                );
              }
            } else {
              this.error('transform.args', argPath, `bad arguments for transform \`${name}\`: ${issue.message}`, `see: ${definition.description}`);
            }
          }
          ok = false;
          return;
        }
        args = parsedArgs.data;
      } else if (rawArgs !== undefined && rawArgs !== null) {
        this.error('transform.args', namePath, `transform \`${name}\` takes no arguments`, `write it as a plain name: \`- ${name}\``);
        ok = false;
        return;
      }
      for (const field of definition.fieldArgs?.(args) ?? []) this.fieldRefs.push({ field, path: namePath });
      try {
        out.push({ name, fn: definition.create(args, this.env), runOnEmpty: definition.runOnEmpty === true });
      } catch (error) {
        if (error instanceof TransformConfigError) {
          this.error('transform.config', [...namePath, ...error.argPath], error.message, error.hint);
        } else {
          this.error('transform.config', namePath, `transform \`${name}\` cannot be set up: ${(error as Error).message}`);
        }
        ok = false;
      }
    });
    return ok ? out : undefined;
  }

  private compileList(node: Extract<CanonicalNode, { type: 'array' }>, raw: unknown, path: DocumentPath, label: string): CompiledValue | undefined {
    const element = node.element;
    if (element.type !== 'object') {
      // A list of scalars (`specialties`, `credentials`): one value per item, or one value that yields a list.
      const items = Array.isArray(raw) ? raw : [raw];
      const compiled = items.map((item, i) => this.compileFieldValue(item, Array.isArray(raw) ? [...path, i] : path, label, element));
      if (compiled.some((c) => c === undefined)) return undefined;
      const evaluators = (compiled as CompiledValue[]).map((c) => c.evaluate);
      return {
        constant: false,
        evaluate: (row, tctx, issues) => {
          const out: unknown[] = [];
          for (const evaluate of evaluators) {
            const value = evaluate(row, tctx, issues);
            if (Array.isArray(value)) {
              for (const v of value) if (!isEmptyValue(v) && !out.includes(v)) out.push(v);
            } else if (value !== undefined && !out.includes(value)) {
              out.push(value);
            }
          }
          return out.length > 0 ? out : undefined;
        },
      };
    }
    if (!Array.isArray(raw)) {
      this.error('field.not_list', path, `\`${label}\` is a list: write its items as a YAML list (\`- type: ...\`)`);
      return undefined;
    }
    const items: CompiledItem[] = [];
    const labels = raw.map((item) => (isPlainObject(item) ? itemLabel(item) : undefined));
    raw.forEach((item, index) => {
      const itemPath = [...path, index];
      if (!isPlainObject(item)) {
        this.error('schema.invalid', itemPath, `each item of \`${label}\` is a map of its fields`);
        return;
      }
      const own = labels[index];
      const unique = own !== undefined && labels.filter((l) => l === own).length === 1;
      const itemName = `${label}[${unique ? own : index}]`;
      const compiled = this.compileItem(element, item, itemPath, itemName);
      if (compiled) items.push(compiled);
    });
    return {
      constant: false,
      evaluate: (row, tctx, issues) => {
        const out: unknown[] = [];
        for (const item of items) {
          const value = item(row, tctx, issues);
          if (value !== undefined) out.push(value);
        }
        return out.length > 0 ? out : undefined;
      },
    };
  }

  private compileItem(
    element: Extract<CanonicalNode, { type: 'object' }>,
    item: Record<string, unknown>,
    path: DocumentPath,
    label: string,
  ): CompiledItem | undefined {
    let when: CompiledCondition | undefined;
    if ('when' in item) {
      const parsed = ConditionSchema.safeParse(item.when);
      if (parsed.success) {
        when = compileCondition(parsed.data);
        this.fieldRefs.push(...conditionFields(parsed.data, [...path, 'when']));
      } else {
        this.zodErrors(parsed.error, [...path, 'when'], item.when);
      }
    }
    let itemTransforms: CompiledTransform[] | undefined = [];
    if ('transforms' in item) {
      if (Array.isArray(item.transforms)) itemTransforms = this.compileTransforms(item.transforms, [...path, 'transforms']);
      else this.error('schema.invalid', [...path, 'transforms'], '`transforms` is a list of transform names');
    }
    const body = this.compileObject(element, item, path, label, true);
    if (!itemTransforms) return undefined;
    const run = itemTransforms.length > 0 ? runPipeline(itemTransforms, label) : undefined;
    return (row, tctx, issues) => {
      if (when && !when(row)) return undefined;
      const obj: Record<string, unknown> = {};
      let hasValue = false;
      for (const assignment of body.values) {
        const value = assignment.value.evaluate(row, tctx, issues);
        if (value !== undefined && value !== SUPPRESSED) {
          setIn(obj, assignment.segs, value);
          hasValue = true;
        }
      }
      // An item with nothing from the source (no NPI in this row) is not an item: its constants alone mean nothing.
      if (!hasValue) return undefined;
      for (const assignment of body.constants) {
        if (assignment.segs.length === 1 || hasParent(obj, assignment.segs)) {
          const value = assignment.value.evaluate(row, tctx, issues);
          if (value !== undefined) setIn(obj, assignment.segs, value);
        }
      }
      let result: unknown = obj;
      if (run) {
        result = run(obj, tctx, issues);
        if (!isPlainObject(result)) return undefined;
      }
      for (const required of body.required) if ((result as Record<string, unknown>)[required] === undefined) return undefined;
      return result;
    };
  }
}

type CompiledItem = Evaluator;

type CompiledTransform = { name: string; fn: TransformFn; runOnEmpty: boolean };

type CompiledEntity = {
  kind: EntityKind;
  key: string;
  when?: CompiledCondition;
  body: CompiledObject;
  hasSuppressed: boolean;
  schema: z.ZodType;
};

/** Argument names of a transform whose arguments are a map, for hints. */
function argumentNames(schema: z.ZodType): string[] {
  const node = describeSchema(schema);
  return node.type === 'object' ? [...node.fields.keys()] : [];
}

function itemLabel(item: Record<string, unknown>): string | undefined {
  for (const key of ITEM_LABEL_KEYS) {
    const value = item[key];
    if (typeof value === 'string' && !value.includes('{')) return value;
  }
  return undefined;
}

function valueAt(input: unknown, path: (string | number)[]): unknown {
  let node = input;
  for (const seg of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node;
}

/**
 * Runs transforms in order. A failure nulls the field and records why; a warning keeps the value and is recorded
 * as `warn.<code>`; an empty result ends the chain except for transforms that fill empties (`default`).
 */
function runPipeline(pipeline: CompiledTransform[], field: string): (value: unknown, tctx: TransformContext, issues: FieldIssue[]) => unknown {
  return (input, tctx, issues) => {
    let value = input;
    for (const transform of pipeline) {
      if (value === undefined && !transform.runOnEmpty) continue;
      let out: unknown;
      try {
        out = transform.fn(value, tctx);
      } catch (error) {
        issues.push({ field, code: `transform.${transform.name}`, message: `transform ${transform.name} failed: ${(error as Error).message}` });
        return undefined;
      }
      if (out === SUPPRESSED) return SUPPRESSED;
      if (isValidationResult(out)) {
        if (!out.ok) {
          issues.push({ field, code: out.code, message: out.message });
          return undefined;
        }
        for (const warning of (out.warnings ?? []) as unknown[]) {
          if (typeof warning === 'string') {
            issues.push({ field, code: `warn.${transform.name}`, message: warning });
          } else if (isPlainObject(warning)) {
            const code = String(warning.code ?? transform.name);
            issues.push({ field, code: code.startsWith('warn.') ? code : `warn.${code}`, message: String(warning.message ?? '') });
          }
        }
        out = out.value;
      }
      value = isEmptyValue(out) ? undefined : out;
    }
    return value;
  };
}

function buildApply(
  sourceId: CompiledValue,
  updatedAt: CompiledValue | undefined,
  entities: CompiledEntity[],
): (row: SourceRow, context?: ApplyContext) => MappedRecord {
  const emptyContext: ApplyContext = {};
  return (row, context = emptyContext) => {
    const tctx: TransformContext = { row, context };
    const issues: FieldIssue[] = [];
    const idValue = sourceId.evaluate(row, tctx, issues);
    const id = idValue === undefined ? '' : String(idValue);
    if (id === '') issues.push({ field: 'id', code: 'id.missing', message: 'the record has no source id: the mapping `id` fields are empty in this row' });
    const record: MappedRecord = { sourceId: id, drafts: [], issues };
    if (updatedAt) {
      const value = updatedAt.evaluate(row, tctx, issues);
      if (value !== undefined) record.sourceUpdatedAt = value instanceof Date ? value.toISOString() : String(value);
    }
    for (const entity of entities) {
      if (entity.when && !entity.when(row)) continue;
      const draft = buildDraft(entity, row, tctx, issues);
      if (draft) record.drafts.push(draft);
    }
    if (issues.length > 1) record.issues = dedupeIssues(issues);
    return record;
  };
}

function dedupeIssues(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.field}\u0000${issue.code}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function buildDraft(entity: CompiledEntity, row: SourceRow, tctx: TransformContext, issues: FieldIssue[]): Draft | undefined {
  const data: Record<string, unknown> = {};
  const suppressed: string[] = [];
  for (const assignment of entity.body.values) {
    const value = assignment.value.evaluate(row, tctx, issues);
    if (value === SUPPRESSED) {
      setIn(data, assignment.segs, null);
      suppressed.push(assignment.leaf);
    } else if (value !== undefined) {
      setIn(data, assignment.segs, value);
    }
  }
  for (const assignment of entity.body.constants) {
    const value = assignment.value.evaluate(row, tctx, issues);
    if (value !== undefined) setIn(data, assignment.segs, value);
  }
  if (suppressed.length > 0 && entity.hasSuppressed) {
    const existing = Array.isArray(data.suppressed) ? (data.suppressed as unknown[]) : [];
    data.suppressed = [...existing, ...suppressed];
  }
  return validateDraft(entity, data, issues);
}

/**
 * The mapping's output is checked against the canonical schema. What still does not fit is removed (the list
 * item or the field) with an issue; a draft that cannot be repaired (an Rx fact without a product) is dropped
 * with an issue. Never an exception: one bad row must not stop a batch.
 */
function validateDraft(entity: CompiledEntity, data: Record<string, unknown>, issues: FieldIssue[]): Draft | undefined {
  let parsed = entity.schema.safeParse(data);
  if (parsed.success) return { kind: entity.kind, key: entity.key, data: parsed.data } as Draft;
  // In reverse, so that removing a list item does not shift the index of the next bad item of the same list.
  for (const issue of [...parsed.error.issues].reverse()) {
    const field = formatDocumentPath(issue.path);
    issues.push({ field: field || entity.key, code: `schema.${issue.code}`, message: `${field || entity.key}: ${issue.message}` });
    removeAt(data, issue.path as (string | number)[]);
  }
  parsed = entity.schema.safeParse(data);
  if (parsed.success) return { kind: entity.kind, key: entity.key, data: parsed.data } as Draft;
  issues.push({
    field: entity.key,
    code: 'draft.invalid',
    message: `the ${entity.kind} draft \`${entity.key}\` was dropped: ${zodMessage(parsed.error)}`,
  });
  return undefined;
}

/** Removes the list item that holds the bad value, or the field itself when it is not inside a list. */
function removeAt(data: Record<string, unknown>, path: (string | number)[]): void {
  let node: unknown = data;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i] as string | number;
    const next: unknown = (node as Record<string | number, unknown>)[seg];
    const following = path[i + 1];
    if (Array.isArray(next) && typeof following === 'number') {
      next.splice(following, 1);
      return;
    }
    if (typeof next !== 'object' || next === null) return;
    node = next;
  }
  const last = path[path.length - 1];
  if (last !== undefined && typeof node === 'object' && node !== null) delete (node as Record<string | number, unknown>)[last];
}

/**
 * Compiles a parsed mapping document. `errors` lists every problem; `mapping` is set only when there are none.
 */
export function compileMappingDocument(doc: unknown, env: TransformEnv): { mapping?: CompiledMapping; errors: CompileError[] } {
  const compiler = new MappingCompiler(env);
  const mapping = compiler.compileMapping(doc);
  return mapping && compiler.errors.length === 0 ? { mapping, errors: [] } : { errors: compiler.errors };
}

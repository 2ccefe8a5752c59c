import { z } from 'zod';

/**
 * The mapping YAML document (`mappings/sources/<connector>.<stream>.yaml`), documented for its users in
 * mappings/sources/README.md. This schema checks the shape; `compile-mapping.ts` checks the meaning (field paths
 * against the canonical model, transform names and arguments, lookup tables) and reports every problem with a path.
 */

export const ENTITY_KINDS = ['hcp', 'hco', 'rx_fact', 'sales_fact', 'inventory_fact', 'chargeback_fact'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

const FieldName = z.string().trim().min(1, 'a source field name cannot be empty');

/** `trim`, or a one-key map of name to arguments: `{ date: "MM/DD/YYYY" }`, `{ lookup: { table: x } }`. */
export const TransformRefSchema = z.union(
  [
    z.string().trim().min(1),
    z.record(z.string(), z.unknown()).refine((map) => Object.keys(map).length === 1, {
      message: 'a transform with arguments is a map with exactly one key, its name: `{ date: "MM/DD/YYYY" }`',
    }),
  ],
  { error: 'a transform is a name (`trim`) or a one-key map of name to arguments (`{ date: "MM/DD/YYYY" }`)' },
);
export type TransformRef = z.infer<typeof TransformRefSchema>;

/**
 * A value: exactly one of `from` (a source field, or a list of them: the first non-empty one, or all joined with
 * `join`), `const` (a fixed value) or `template` (`"{FirstName} {LastName}"`), then `transforms` in order;
 * an optional `when` keeps the value only for rows that meet the condition.
 */
export const ValueSpecSchema = z
  .strictObject({
    from: z.union([FieldName, z.array(FieldName).min(1)]).optional(),
    join: z.string().optional(),
    const: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    template: z.string().min(1).optional(),
    transforms: z.array(TransformRefSchema).optional(),
    /** The value is used only when the row meets the condition: `{ const: inactive, when: { field: X, present: true } }`. */
    when: z.lazy(() => ConditionSchema).optional(),
  })
  .superRefine((spec, ctx) => {
    const sources = (['from', 'const', 'template'] as const).filter((key) => key in spec);
    if (sources.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          sources.length === 0
            ? 'a value needs one of `from` (a source field), `const` (a fixed value) or `template` ("{A} {B}")'
            : `a value takes only one of \`from\`, \`const\` or \`template\`, not ${sources.map((s) => `\`${s}\``).join(' and ')}`,
      });
    }
    if (spec.join !== undefined && !Array.isArray(spec.from)) {
      ctx.addIssue({ code: 'custom', path: ['join'], message: '`join` needs `from` to be a list of fields' });
    }
  });
export type ValueSpec = z.infer<typeof ValueSpecSchema>;

/**
 * A field assignment in `fields:`: a value spec; a plain scalar (a constant, or a template when it holds `{Field}`);
 * a nested map for a nested canonical object (`prescriber: { npi: ... }`, dotted keys work too); or, for a list
 * field, a list of item templates, each dropped when its values are empty. Item templates may carry their own
 * `when` and `transforms` (applied to the whole item, e.g. `us_address`).
 */
export type FieldNode =
  | string
  | number
  | boolean
  | null
  | ValueSpec
  | FieldNode[]
  | { [canonicalField: string]: FieldNode | Condition | TransformRef[] };

/** Source fields compared as trimmed text, case-insensitively; `equals: true` accepts true/yes/y/1. */
export type Condition = {
  field?: string;
  equals?: string | number | boolean;
  in?: (string | number | boolean)[];
  present?: boolean;
  not?: Condition;
  all?: Condition[];
  any?: Condition[];
};

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z
    .strictObject({
      field: FieldName.optional(),
      equals: Scalar.optional(),
      in: z.array(Scalar).min(1).optional(),
      present: z.boolean().optional(),
      not: ConditionSchema.optional(),
      all: z.array(ConditionSchema).min(1).optional(),
      any: z.array(ConditionSchema).min(1).optional(),
    })
    .superRefine((condition, ctx) => {
      const tests = (['equals', 'in', 'present'] as const).filter((key) => key in condition);
      const combinators = (['not', 'all', 'any'] as const).filter((key) => key in condition);
      if (condition.field !== undefined) {
        if (tests.length !== 1 || combinators.length > 0) {
          ctx.addIssue({
            code: 'custom',
            message: `a condition on \`field\` takes exactly one of \`equals\`, \`in\` or \`present\`${combinators.length ? ', and no `not`/`all`/`any` beside it' : ''}`,
          });
        }
      } else if (tests.length > 0) {
        ctx.addIssue({ code: 'custom', message: `\`${tests[0]}\` needs a \`field\` to test` });
      } else if (combinators.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message:
            combinators.length === 0
              ? 'a condition is `{ field, equals | in | present }`, `{ not: ... }`, `{ all: [...] }` or `{ any: [...] }`'
              : `a condition takes one of \`not\`, \`all\` or \`any\`; nest them to combine`,
        });
      }
    }),
);

/** A source field name (`Id`), a template (`"{PRESCRIBER_ID}:{PRODUCT}"`) or a full value spec. */
export const HeaderValueSchema = z.union([z.string().trim().min(1), ValueSpecSchema], {
  error: 'expected a source field name, a template such as "{A}:{B}", or a value `{ from, transforms }`',
});

export const EntitySchema = z.strictObject({
  kind: z.enum(ENTITY_KINDS),
  /** Tells apart the drafts of one record (`hcp`, `parent_org`, `prescriber`); defaults to the kind. */
  key: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'a key is letters, digits, _ and -')
    .optional(),
  when: ConditionSchema.optional(),
  fields: z.record(z.string(), z.unknown()),
});
export type EntityMapping = z.infer<typeof EntitySchema>;

export const MappingHeaderSchema = z.strictObject({
  source: z.strictObject({ connector: z.string().trim().min(1), stream: z.string().trim().min(1) }),
  description: z.string().optional(),
  id: HeaderValueSchema,
  updatedAt: HeaderValueSchema.optional(),
  /** The source's column names; when given, every field the mapping reads is checked against them. */
  columns: z.array(FieldName).min(1).optional(),
  entities: z.array(z.unknown()).min(1, 'a mapping needs at least one entity'),
});

export const MappingDocumentSchema = MappingHeaderSchema.extend({ entities: z.array(EntitySchema).min(1) });
export type MappingDocument = z.infer<typeof MappingDocumentSchema>;

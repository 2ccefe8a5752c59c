import { z } from 'zod';
import { invalid, valid } from '../../model/identifiers/result.js';
import { normalizeLookupKey } from '../lookup-tables.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import { asText, defineTransform, isValidationResult, TransformConfigError } from './registry.js';

const OnMissing = z.enum(['issue', 'keep', 'empty']).default('issue');

const LookupArgs = z.union([
  z.string().min(1).transform((table) => ({ table, column: undefined, onMissing: 'issue' as const })),
  z.strictObject({ table: z.string().min(1), column: z.string().min(1).optional(), onMissing: OnMissing }),
]);

defineTransform({
  name: 'lookup',
  description:
    'translates a code through mappings/reference/<table>.csv|yaml: `{ lookup: taxonomy-specialty }` or `{ lookup: { table, column, onMissing: issue|keep|empty } }`',
  args: LookupArgs,
  create: (args, env) => {
    const table = env.getTable(args.table);
    if (!table) {
      throw new TransformConfigError(`unknown lookup table \`${args.table}\` (looked for ${args.table}.yaml, .yml or .csv in the reference folder)`, {
        argPath: ['table'],
        ...(didYouMean(args.table, env.tableNames()) ? { hint: didYouMean(args.table, env.tableNames()) as string } : {}),
      });
    }
    if (args.column !== undefined && !table.columns.includes(args.column)) {
      const hint = didYouMean(args.column, table.columns) ?? `columns are ${table.columns.join(', ')}`;
      throw new TransformConfigError(`lookup table \`${args.table}\` has no column \`${args.column}\``, { argPath: ['column'], hint });
    }
    const column = args.column;
    const lookupOne = (item: unknown): unknown => {
      const key = asText(item);
      if (key === undefined) return item;
      const found = table.get(key, column);
      if (found !== undefined) return found;
      if (args.onMissing === 'keep') return item;
      if (args.onMissing === 'empty') return undefined;
      return invalid('lookup.not_found', `"${key}" is not in lookup table ${table.name}: add it to ${table.file} or correct the source value`);
    };
    return (value) => {
      if (!Array.isArray(value)) return lookupOne(value);
      // In a list, an unknown code must not cost the known ones: keep those, and warn about the rest.
      const found: unknown[] = [];
      const warnings: string[] = [];
      for (const item of value) {
        const result = lookupOne(item);
        if (isValidationResult(result)) {
          if (!result.ok) warnings.push(result.message);
        } else if (result !== undefined) {
          found.push(result);
        }
      }
      return valid(found, warnings);
    };
  },
});

const MapArgs = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

defineTransform({
  name: 'map',
  description:
    'translates values through an inline table, case-insensitively: `{ map: { M: M, Male: M, "true": opted_out, "false": null } }`; null empties the field, an unlisted value is an issue',
  args: MapArgs,
  create: (entries) => {
    const table = new Map(Object.entries(entries).map(([key, value]) => [normalizeLookupKey(key), value]));
    const listed = Object.keys(entries).join(', ');
    return (value) => {
      const key = asText(value);
      if (key === undefined) return value;
      const normalized = normalizeLookupKey(key);
      if (!table.has(normalized)) return invalid('map.unmapped', `"${key}" is not one of the mapped values (${listed}): add it to the mapping`);
      return table.get(normalized) ?? undefined;
    };
  },
});

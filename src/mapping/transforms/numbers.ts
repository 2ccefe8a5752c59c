import { z } from 'zod';
import { invalid, valid } from '../../model/identifiers/result.js';
import { asText, defineTransform } from './registry.js';

/** Reads "1,234.50", "$12", "(45)" (accounting negative), "-3", " 51.7 ". */
export function parseNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const text = asText(value);
  if (text === undefined) return undefined;
  const negative = /^\(.*\)$/.test(text);
  const cleaned = text.replace(/^\((.*)\)$/, '$1').replace(/[$,\s]/g, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cleaned)) return undefined;
  const number = Number(cleaned);
  return Number.isFinite(number) ? (negative ? -number : number) : undefined;
}

defineTransform({
  name: 'number',
  description: 'a number from text ("1,234.50", "$12", "(45)" is -45)',
  create: () => (value) => {
    const number = parseNumber(value);
    return number === undefined ? invalid('number.format', `"${String(value)}" is not a number`) : valid(number);
  },
});

defineTransform({
  name: 'integer',
  description: 'a whole number; a fraction is an issue, not rounded away',
  create: () => (value) => {
    const number = parseNumber(value);
    if (number === undefined) return invalid('integer.format', `"${String(value)}" is not a number`);
    if (!Number.isInteger(number)) return invalid('integer.fraction', `${number} is not a whole number`);
    return valid(number);
  },
});

const DEFAULT_TRUE = ['true', 't', 'yes', 'y', '1', 'x', 'on'];
const DEFAULT_FALSE = ['false', 'f', 'no', 'n', '0', 'off'];

const BooleanArgs = z
  .strictObject({ true: z.array(z.union([z.string(), z.number()])).min(1).optional(), false: z.array(z.union([z.string(), z.number()])).optional() })
  .optional();

defineTransform({
  name: 'boolean',
  description: `true/false from words; defaults true: ${DEFAULT_TRUE.join('/')}, false: ${DEFAULT_FALSE.join('/')}; override with \`{ boolean: { true: [Y], false: [N] } }\``,
  args: BooleanArgs,
  create: (args) => {
    const truthy = new Set((args?.true ?? DEFAULT_TRUE).map((word) => String(word).trim().toLowerCase()));
    const falsy = new Set((args?.false ?? (args?.true ? [] : DEFAULT_FALSE)).map((word) => String(word).trim().toLowerCase()));
    // With only `true` words configured, everything else is false.
    const othersAreFalse = args?.true !== undefined && args.false === undefined;
    return (value) => {
      if (typeof value === 'boolean') return value;
      const word = asText(value)?.toLowerCase();
      if (word !== undefined && truthy.has(word)) return true;
      if (word !== undefined && (falsy.has(word) || othersAreFalse)) return false;
      return invalid('boolean.unknown', `"${String(value)}" is neither a true word (${[...truthy].join(', ')}) nor a false word (${[...falsy].join(', ')})`);
    };
  },
});

import type { Condition } from './mapping-schema.js';
import { parseNumber } from './transforms/numbers.js';
import { asText, isEmptyValue, type SourceRow } from './transforms/registry.js';

export type CompiledCondition = (row: SourceRow) => boolean;

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1', 'x']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

/**
 * Source values are compared as trimmed text, case-insensitively, because CSV exports turn every value into text:
 * `equals: true` matches true, "true", "Y" and "1"; `equals: 2` matches "2" and "2.0"; an empty value equals nothing.
 */
function compileEquals(expected: string | number | boolean): (value: unknown) => boolean {
  if (typeof expected === 'boolean') {
    const words = expected ? TRUE_WORDS : FALSE_WORDS;
    return (value) => value === expected || (typeof value !== 'boolean' && words.has(asText(value)?.toLowerCase() ?? ''));
  }
  if (typeof expected === 'number') return (value) => !isEmptyValue(value) && parseNumber(value) === expected;
  const wanted = expected.trim().toLowerCase();
  return (value) => asText(value)?.toLowerCase() === wanted;
}

export function compileCondition(condition: Condition): CompiledCondition {
  if (condition.not) {
    const inner = compileCondition(condition.not);
    return (row) => !inner(row);
  }
  if (condition.all) {
    const parts = condition.all.map(compileCondition);
    return (row) => parts.every((part) => part(row));
  }
  if (condition.any) {
    const parts = condition.any.map(compileCondition);
    return (row) => parts.some((part) => part(row));
  }
  const field = condition.field ?? '';
  if (condition.present !== undefined) {
    const present = condition.present;
    return (row) => isEmptyValue(row[field]) !== present;
  }
  if (condition.in) {
    const tests = condition.in.map(compileEquals);
    return (row) => {
      const value = row[field];
      return tests.some((test) => test(value));
    };
  }
  const test = compileEquals(condition.equals ?? '');
  return (row) => test(row[field]);
}

/** Every source field a condition reads, for the `columns` check. */
export function conditionFields(condition: Condition, path: (string | number)[]): { field: string; path: (string | number)[] }[] {
  const out: { field: string; path: (string | number)[] }[] = [];
  if (condition.field !== undefined) out.push({ field: condition.field, path: [...path, 'field'] });
  if (condition.not) out.push(...conditionFields(condition.not, [...path, 'not']));
  condition.all?.forEach((c, i) => out.push(...conditionFields(c, [...path, 'all', i])));
  condition.any?.forEach((c, i) => out.push(...conditionFields(c, [...path, 'any', i])));
  return out;
}

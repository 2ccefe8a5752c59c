import { createHash } from 'node:crypto';

/**
 * A hash of a payload that ignores key order, so the same record exported twice with its columns in another
 * order is still "unchanged".
 */
export function hashContent(payload: unknown): string {
  return createHash('sha256').update(stableStringify(payload)).digest('base64url').slice(0, 32);
}

export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

import { normalizeSalesforceId } from '../../src/model/identifiers/salesforce-id.js';
import type { Batch, RawRecord } from '../../src/sdk/index.js';

/** What `describe` says of one field, as much as the connector needs. */
export type FieldInfo = { name: string; type: string };

// Compound fields cannot be selected in Bulk queries and repeat their components; base64 bodies are not data.
const UNSELECTABLE_TYPES = new Set(['address', 'location', 'base64']);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent', 'long']);

export function selectableFields(describe: FieldInfo[]): FieldInfo[] {
  return describe.filter((f) => !UNSELECTABLE_TYPES.has(f.type));
}

/**
 * One value in one canonical form whichever API returned it: REST gives JSON types and `+0000` timestamps, Bulk
 * API 2.0 gives CSV text and `Z` timestamps. Without this, the same unchanged record read once through each path
 * would hash differently and count as changed.
 */
export function normalizeValue(type: string | undefined, value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null;
  if (type === 'boolean' || (type === undefined && (value === 'true' || value === 'false'))) {
    return typeof value === 'boolean' ? value : value === 'true';
  }
  if (type && NUMBER_TYPES.has(type)) {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : value;
  }
  if (type === 'datetime' && typeof value === 'string') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? value : d.toISOString();
  }
  return value;
}

/** Reads `A__r.B` from a REST record's nested relationship objects. */
function readPath(record: Record<string, unknown>, path: string): unknown {
  let current: unknown = record;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return null;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export type RecordShape = {
  fields: FieldInfo[];
  relatedFields: string[];
  /** Extra payload keys copied from a field (`Crosswalk_Network_Id` from `NET_External_Id__c`). */
  aliases: Record<string, string>;
};

/** A flat payload: the selected fields in order, related fields under their dotted path, aliases last. */
export function toPayload(shape: RecordShape, read: (name: string) => unknown): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const f of shape.fields) payload[f.name] = normalizeValue(f.type, read(f.name));
  for (const path of shape.relatedFields) payload[path] = normalizeValue(undefined, read(path));
  for (const [alias, source] of Object.entries(shape.aliases)) payload[alias] = payload[source] ?? null;
  return payload;
}

export function fromRestRecord(shape: RecordShape, record: Record<string, unknown>): Record<string, unknown> {
  return toPayload(shape, (name) => (name.includes('.') ? readPath(record, name) : record[name]));
}

export function fromCsvRow(shape: RecordShape, row: Record<string, string>): Record<string, unknown> {
  return toPayload(shape, (name) => row[name]);
}

/** The raw record the engine stores, keyed on the 18-character id; an unreadable id is rejected, not dropped. */
export function toRawRecord(
  payload: Record<string, unknown>,
  rejected: NonNullable<Batch['rejected']>,
): RawRecord | undefined {
  const id = normalizeSalesforceId(payload.Id);
  if (!id.ok) {
    rejected.push({ sourceId: typeof payload.Id === 'string' ? payload.Id : undefined, reasonCode: 'salesforce.bad_id', reason: id.message, raw: payload });
    return undefined;
  }
  const stamp = payload.SystemModstamp;
  return { sourceId: id.value, payload, ...(typeof stamp === 'string' ? { sourceUpdatedAt: stamp } : {}) };
}

export function tombstone(id: string, deletedAt: string | undefined): RawRecord | undefined {
  const normalized = normalizeSalesforceId(id);
  if (!normalized.ok) return undefined;
  return { sourceId: normalized.value, deleted: true, payload: { Id: normalized.value, IsDeleted: true, SystemModstamp: deletedAt ?? null }, ...(deletedAt ? { sourceUpdatedAt: deletedAt } : {}) };
}

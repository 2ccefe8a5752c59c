import { randomBytes } from 'node:crypto';
import type { Draft, GoldenValue, MasterEntityType } from '../model/index.js';
import { stableStringify } from './content-hash.js';
import type { Queryable } from './database.js';

/** A member of a master entity: one draft of one source record. Its ref is `<source record id>:<draft key>`. */
export type MemberRef = string;

export function memberRef(sourceRecordId: number, draftKey: string): MemberRef {
  return `${sourceRecordId}:${draftKey}`;
}

export function parseMemberRef(ref: MemberRef): { sourceRecordId: number; draftKey: string } {
  const at = ref.indexOf(':');
  return { sourceRecordId: Number(ref.slice(0, at)), draftKey: ref.slice(at + 1) };
}

export type MemberRow = {
  ref: MemberRef;
  sourceRecordId: number;
  draftKey: string;
  connector: string;
  stream: string;
  sourceId: string;
  receivedAt: string;
  kind: 'hcp' | 'hco';
  draft: Extract<Draft, { kind: 'hcp' | 'hco' }>['data'];
  masterId: string | null;
  linkedAt: string | null;
};

/** Opaque, stable master ids: `hcp_` or `hco_` and 16 base-32 characters. */
export function newMasterId(entityType: MasterEntityType): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  let id = '';
  for (const b of bytes) id += alphabet[b % 32];
  return `${entityType}_${id}`;
}

/** The current drafts of the given members (those still present), by ref. */
export async function loadMemberDrafts(db: Queryable, refs: MemberRef[]): Promise<Map<MemberRef, MemberRow['draft']>> {
  const parsed = refs.map(parseMemberRef);
  const { rows } = await db.query<{ source_record_id: number; key: string; draft: MemberRow['draft'] }>(
    `SELECT n.source_record_id, d->>'key' AS key, d->'data' AS draft
       FROM normalized_record n CROSS JOIN LATERAL jsonb_array_elements(n.drafts) d
       JOIN unnest($1::bigint[], $2::text[]) AS t(id, key) ON t.id = n.source_record_id AND t.key = d->>'key'`,
    [parsed.map((p) => p.sourceRecordId), parsed.map((p) => p.draftKey)],
  );
  return new Map(rows.map((r) => [memberRef(r.source_record_id, r.key), r.draft]));
}

/** Links whose draft is gone: the source record was deleted, or its mapping no longer makes that draft. */
export async function listOrphanedLinks(db: Queryable, entityType: MasterEntityType): Promise<Array<{ ref: MemberRef; masterId: string }>> {
  const { rows } = await db.query<{ source_record_id: number; draft_key: string; master_id: string }>(
    `SELECT c.source_record_id, c.draft_key, c.master_id
       FROM crosswalk c
       JOIN master_entity m ON m.id = c.master_id AND m.entity_type = $1
       JOIN source_record s ON s.id = c.source_record_id
       LEFT JOIN normalized_record n ON n.source_record_id = c.source_record_id
      WHERE s.deleted
         OR n.source_record_id IS NULL
         OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements(n.drafts) d WHERE d->>'key' = c.draft_key AND d->>'kind' = $1)`,
    [entityType],
  );
  return rows.map((r) => ({ ref: memberRef(r.source_record_id, r.draft_key), masterId: r.master_id }));
}

export async function createMasters(db: Queryable, entityType: MasterEntityType, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(`INSERT INTO master_entity (id, entity_type) SELECT unnest($1::text[]), $2`, [ids, entityType]);
}

export async function linkMembers(db: Queryable, links: Array<{ ref: MemberRef; masterId: string; linkedBy: string; reason: string }>): Promise<void> {
  if (links.length === 0) return;
  const parsed = links.map((l) => ({ ...l, ...parseMemberRef(l.ref) }));
  await db.query(
    `INSERT INTO crosswalk (source_record_id, draft_key, master_id, linked_by, reason)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (source_record_id, draft_key) DO UPDATE
        SET master_id = excluded.master_id, linked_by = excluded.linked_by, reason = excluded.reason, linked_at = now()`,
    [parsed.map((l) => l.sourceRecordId), parsed.map((l) => l.draftKey), parsed.map((l) => l.masterId), parsed.map((l) => l.linkedBy), parsed.map((l) => l.reason)],
  );
}

export async function unlinkMembers(db: Queryable, refs: MemberRef[]): Promise<void> {
  if (refs.length === 0) return;
  const parsed = refs.map(parseMemberRef);
  await db.query(
    `DELETE FROM crosswalk c USING unnest($1::bigint[], $2::text[]) AS t(id, key) WHERE c.source_record_id = t.id AND c.draft_key = t.key`,
    [parsed.map((p) => p.sourceRecordId), parsed.map((p) => p.draftKey)],
  );
}

/** Follows `replaced_by` from a retired id to the master that survives it (a merge never breaks a lookup). */
export async function resolveMasterId(db: Queryable, id: string): Promise<{ id: string; redirectedFrom?: string } | undefined> {
  const { rows } = await db.query<{ id: string; depth: number }>(
    `WITH RECURSIVE chain(id, replaced_by, depth) AS (
       SELECT id, replaced_by, 0 FROM master_entity WHERE id = $1
       UNION ALL
       SELECT m.id, m.replaced_by, c.depth + 1 FROM master_entity m JOIN chain c ON m.id = c.replaced_by WHERE c.depth < 100
     )
     SELECT id, depth FROM chain WHERE replaced_by IS NULL ORDER BY depth DESC LIMIT 1`,
    [id],
  );
  const found = rows[0];
  if (!found) return undefined;
  return found.id === id ? { id } : { id: found.id, redirectedFrom: id };
}

export type StoredGolden = {
  masterId: string;
  entityType: MasterEntityType;
  status: 'active' | 'retired';
  replacedBy: string | null;
  version: number;
  attributes: Record<string, GoldenValue>;
  computedAt: string;
};

export async function getGoldenRecord(db: Queryable, masterId: string): Promise<StoredGolden | undefined> {
  const { rows } = await db.query<{
    id: string;
    entity_type: MasterEntityType;
    status: 'active' | 'retired';
    replaced_by: string | null;
    version: number | null;
    attributes: Record<string, GoldenValue> | null;
    computed_at: Date | null;
  }>(
    `SELECT m.id, m.entity_type, m.status, m.replaced_by, g.version, g.attributes, g.computed_at
       FROM master_entity m LEFT JOIN golden_record g ON g.master_id = m.id WHERE m.id = $1`,
    [masterId],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    masterId: r.id,
    entityType: r.entity_type,
    status: r.status,
    replacedBy: r.replaced_by,
    version: r.version ?? 0,
    attributes: r.attributes ?? {},
    computedAt: r.computed_at?.toISOString() ?? '',
  };
}

export type GoldenInput = { masterId: string; entityType: MasterEntityType; attributes: Record<string, GoldenValue>; displayName: string | null; cause: string };

/**
 * Writes a golden record's new version, its history row, its identifier index and an outbox event, unless the
 * attributes did not change (recomputing an unchanged record is a no-op, not a new version).
 */
export async function saveGoldenRecord(db: Queryable, input: GoldenInput): Promise<{ version: number; changed: boolean }> {
  const [result] = await saveGoldenRecords(db, [input]);
  return result!;
}

/** The same for many masters in a fixed number of statements, whatever their count. */
export async function saveGoldenRecords(db: Queryable, inputs: GoldenInput[]): Promise<Array<{ version: number; changed: boolean }>> {
  if (inputs.length === 0) return [];
  const ids = inputs.map((i) => i.masterId);
  const { rows } = await db.query<{ master_id: string; version: number; attributes: Record<string, GoldenValue> }>(
    'SELECT master_id, version, attributes FROM golden_record WHERE master_id = ANY($1::text[]) FOR UPDATE',
    [ids],
  );
  const previous = new Map(rows.map((r) => [r.master_id, r]));
  const results: Array<{ version: number; changed: boolean }> = [];
  const changed: Array<GoldenInput & { version: number; json: string; created: boolean }> = [];
  for (const input of inputs) {
    const before = previous.get(input.masterId);
    const json = JSON.stringify(input.attributes);
    if (before && sameJson(before.attributes, json)) {
      results.push({ version: before.version, changed: false });
      continue;
    }
    const version = (before?.version ?? 0) + 1;
    results.push({ version, changed: true });
    changed.push({ ...input, version, json, created: !before });
  }
  if (changed.length === 0) return results;
  const col = <T>(f: (c: (typeof changed)[number]) => T) => changed.map(f);
  // The attributes travel as one JSON document rather than a jsonb[] parameter: PostgreSQL parses an array
  // literal of large escaped documents several times slower than the same documents inside one JSON array.
  const rowsJson = `[${changed.map((c) => `{"m":${JSON.stringify(c.masterId)},"t":${JSON.stringify(c.entityType)},"v":${c.version},"a":${c.json},"d":${JSON.stringify(c.displayName)},"c":${JSON.stringify(c.cause)}}`).join(',')}]`;
  await db.query(
    `WITH input AS (SELECT e->>'m' AS master_id, e->>'t' AS entity_type, (e->>'v')::int AS version, e->'a' AS attributes, e->>'d' AS display_name, e->>'c' AS cause
                      FROM jsonb_array_elements($1::jsonb) e),
          current AS (
            INSERT INTO golden_record (master_id, entity_type, version, attributes, display_name, computed_at)
            SELECT master_id, entity_type, version, attributes, display_name, now() FROM input
            ON CONFLICT (master_id) DO UPDATE SET version = excluded.version, attributes = excluded.attributes, display_name = excluded.display_name, computed_at = now())
     INSERT INTO golden_record_history (master_id, version, attributes, cause) SELECT master_id, version, attributes, cause FROM input`,
    [rowsJson],
  );
  const changedIds = col((c) => c.masterId);
  // A master's first golden record has no identifier rows to replace and no timestamp to move (it was just created).
  const updatedIds = changed.filter((c) => !c.created).map((c) => c.masterId);
  if (updatedIds.length > 0) await db.query('DELETE FROM master_identifier WHERE master_id = ANY($1::text[])', [updatedIds]);
  const identifiers = changed.flatMap((c) =>
    ((c.attributes.identifiers?.value as Array<{ type: string; value: string; issuer?: string; old?: boolean }> | undefined) ?? []).filter((i) => !i.old).map((i) => ({ masterId: c.masterId, ...i })),
  );
  if (identifiers.length > 0) {
    await db.query(`INSERT INTO master_identifier (master_id, type, value, issuer) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`, [
      identifiers.map((i) => i.masterId),
      identifiers.map((i) => i.type),
      identifiers.map((i) => i.value),
      identifiers.map((i) => i.issuer ?? ''),
    ]);
  }
  if (updatedIds.length > 0) await db.query(`UPDATE master_entity SET updated_at = now() WHERE id = ANY($1::text[])`, [updatedIds]);
  await db.query(`INSERT INTO outbox (topic, aggregate_id, payload) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])`, [
    col((c) => (c.created ? 'golden.created' : 'golden.updated')),
    changedIds,
    col((c) => JSON.stringify({ masterId: c.masterId, entityType: c.entityType, version: c.version, cause: c.cause })),
  ]);
  return results;
}

export async function appendOutbox(db: Queryable, topic: string, aggregateId: string, payload: unknown): Promise<void> {
  await db.query('INSERT INTO outbox (topic, aggregate_id, payload) VALUES ($1, $2, $3)', [topic, aggregateId, JSON.stringify(payload)]);
}

export async function appendAudit(
  db: Queryable,
  entry: { actor: string; action: string; entityType?: string; entityId?: string; reason?: string; before?: unknown; after?: unknown },
): Promise<void> {
  await db.query('INSERT INTO audit_log (actor, action, entity_type, entity_id, reason, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    entry.actor,
    entry.action,
    entry.entityType ?? null,
    entry.entityId ?? null,
    entry.reason ?? null,
    entry.before === undefined ? null : JSON.stringify(entry.before),
    entry.after === undefined ? null : JSON.stringify(entry.after),
  ]);
}

/** Stored jsonb comes back with its keys reordered, so both sides are compared in one canonical form. */
function sameJson(stored: unknown, json: string): boolean {
  return stableStringify(stored) === stableStringify(JSON.parse(json));
}

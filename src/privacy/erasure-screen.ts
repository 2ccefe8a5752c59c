import { ConfigError } from '../errors.js';
import type { Draft } from '../model/index.js';
import type { Queryable } from '../store/database.js';
import type { QuarantineInput } from '../store/quarantine.repository.js';
import type { IncomingRecord } from '../store/source-record.repository.js';
import { loadPrivacyKeyring, PREVIOUS_PRIVACY_KEYS_ENV, PRIVACY_KEY_ENV, type PrivacyKey, type PrivacyKeyring } from './privacy-key.js';
import { hashSubjectKey, identifierKey, keysOfDrafts, sourceKey, type SubjectKey } from './subject-keys.js';

/** What a batch looks like between mapping and storing (src/pipeline/sync-stream.ts `prepareBatch`). */
export type PreparedRecords = {
  records: IncomingRecord[];
  mapped: Map<string, { drafts: Draft[] }>;
  quarantine: QuarantineInput[];
};

export const ERASED_REASON_CODE = 'privacy.erased';

/**
 * Keeps erased people out: before a batch is stored, each record's source key (connector, stream, source id) and
 * the identifiers its drafts carry (NPI, DEA, ME, state license, system ids, Rx prescriber keys) are hashed with
 * every privacy key tombstones were made with; a record matching a tombstone is not stored. It is counted as
 * quarantined with reason `privacy.erased` and no payload and no source id, so the quarantine says that something
 * was kept out without saying what. Quarantine candidates (unparsable lines, mapping failures) whose source key or
 * any NPI-shaped token matches are replaced the same way.
 *
 * Costs one small query per batch when nobody was ever erased. Refuses (a config error, the run fails at once) when
 * tombstones exist under a key the environment does not hold: silently letting erased people back is worse.
 */
export async function screenErasedRecords<T extends PreparedRecords>(
  tx: Queryable,
  key: { runId?: number; connector: string; stream: string },
  prepared: T,
  keyring?: PrivacyKeyring,
): Promise<T & { erased: number }> {
  if (prepared.records.length === 0 && prepared.quarantine.length === 0) return { ...prepared, erased: 0 };
  const { rows: inUse } = await tx.query<{ key_id: string }>('SELECT key_id FROM privacy_key');
  if (inUse.length === 0) return { ...prepared, erased: 0 };
  const keys = keysInUse(inUse.map((r) => r.key_id), keyring ?? loadPrivacyKeyring());

  const hashesOf = (subjectKeys: SubjectKey[]) => subjectKeys.flatMap((sk) => keys.map((k) => hashSubjectKey(k, sk)));
  const recordHashes = prepared.records.map((r) =>
    hashesOf([sourceKey(key.connector, key.stream, r.sourceId), ...(r.deleted ? [] : keysOfDrafts(prepared.mapped.get(r.sourceId)?.drafts ?? []))]),
  );
  const quarantineHashes = prepared.quarantine.map((q) => hashesOf(keysOfQuarantined(key, q)));
  const all = [...new Set([...recordHashes.flat(), ...quarantineHashes.flat()])];
  const { rows } = await tx.query<{ hash: string; request_id: number }>('SELECT hash, request_id FROM privacy_tombstone WHERE hash = ANY($1::text[])', [all]);
  if (rows.length === 0) return { ...prepared, erased: 0 };
  const requestOf = new Map(rows.map((r) => [r.hash, r.request_id]));
  const hit = (hashes: string[]) => hashes.find((h) => requestOf.has(h));
  const keptOut = (hash: string): QuarantineInput => ({
    ...(key.runId !== undefined ? { runId: key.runId } : {}),
    connector: key.connector,
    stream: key.stream,
    reasonCode: ERASED_REASON_CODE,
    reason: `Not stored: the record belongs to a person erased by privacy request #${requestOf.get(hash)} (tombstone ${hash.slice(0, 12)}). Ask the source system to delete it too.`,
    payload: null,
  });

  const records: IncomingRecord[] = [];
  const mapped = new Map(prepared.mapped);
  const quarantine: QuarantineInput[] = [];
  let erased = 0;
  prepared.records.forEach((r, i) => {
    const h = hit(recordHashes[i]!);
    if (h) {
      mapped.delete(r.sourceId);
      quarantine.push(keptOut(h));
      erased += 1;
    } else {
      records.push(r);
    }
  });
  prepared.quarantine.forEach((q, i) => {
    const h = hit(quarantineHashes[i]!);
    quarantine.push(h ? keptOut(h) : q);
    if (h) erased += 1;
  });
  return { ...prepared, records, mapped, quarantine, erased };
}

function keysInUse(ids: string[], keyring: PrivacyKeyring): PrivacyKey[] {
  const available = [keyring.current, ...keyring.previous].filter((k): k is PrivacyKey => k !== undefined);
  const missing = ids.filter((id) => !available.some((k) => k.id === id));
  if (missing.length > 0) {
    throw new ConfigError(
      'privacy.key_missing',
      `Erasure tombstones were made with privacy key ${missing.join(', ')}, which neither ${PRIVACY_KEY_ENV} nor ${PREVIOUS_PRIVACY_KEYS_ENV} holds: without it an erased person could come back. Set the key where the workers run (see README "Privacy and compliance").`,
    );
  }
  return available.filter((k) => ids.includes(k.id));
}

/** A quarantined item has no drafts: its source key, and any NPI-shaped token in its raw payload, stand for it. */
function keysOfQuarantined(key: { connector: string; stream: string }, q: QuarantineInput): SubjectKey[] {
  const keys: SubjectKey[] = q.sourceId ? [sourceKey(key.connector, key.stream, q.sourceId)] : [];
  const text = typeof q.payload === 'string' ? q.payload : JSON.stringify(q.payload ?? null);
  for (const token of new Set(text.match(/(?<!\d)\d{10}(?!\d)/g) ?? [])) {
    const k = identifierKey('npi', token);
    if (k) keys.push(k);
  }
  return keys;
}

import type { Draft } from '../model/index.js';
import { keyedHash, type PrivacyKey } from './privacy-key.js';

/**
 * The keys that say "this is that person" across sources: the identifiers only one physician holds, and the
 * source keys of their records. An erasure keeps a keyed hash of each (a tombstone); ingest computes the same
 * hashes of every incoming record and drops the ones that match. Both sides go through the same normalization,
 * on values the mappings already normalized, so a re-sent record hashes exactly as it did when it was erased.
 */
export const TOMBSTONE_IDENTIFIER_TYPES = ['npi', 'dea', 'me', 'state_license', 'salesforce_id', 'veeva_network_id', 'vendor_prescriber_id'] as const;
export type TombstoneKind = (typeof TOMBSTONE_IDENTIFIER_TYPES)[number] | 'source_key';
export type SubjectKey = { kind: TombstoneKind; text: string };
export type Tombstone = { kind: TombstoneKind; hash: string };

const alnumUpper = (v: string) => v.toUpperCase().replace(/[^A-Z0-9]/g, '');

export function identifierKey(type: string, value: string | undefined, issuer?: string): SubjectKey | undefined {
  if (!value || !(TOMBSTONE_IDENTIFIER_TYPES as readonly string[]).includes(type)) return undefined;
  const kind = type as TombstoneKind;
  let core: string;
  let scope = '';
  switch (kind) {
    case 'npi':
    case 'me':
      core = value.replace(/\D/g, '');
      break;
    case 'salesforce_id':
      // The 15-character id is the case-sensitive key; the 18-character form only adds a checksum of its case. Ids
      // are unique across orgs, and the issuer names the connector, which differs between two feeds of one org.
      core = value.trim().slice(0, 15);
      break;
    case 'dea':
      core = alnumUpper(value);
      break;
    default:
      // A license means something only with its state, a vendor's or network's id only with its issuer: two vendors
      // may both use 786836065.
      core = alnumUpper(value);
      scope = `${alnumUpper(issuer ?? '')}:`;
  }
  return core === '' ? undefined : { kind, text: `${scope}${core}` };
}

export function sourceKey(connector: string, stream: string, sourceId: string): SubjectKey {
  return { kind: 'source_key', text: JSON.stringify([connector, stream, sourceId]) };
}

type IdentifierLike = { type: string; value?: string; issuer?: string };

/** The person keys a record's drafts carry: physician identifiers and the NPI, ME and DEA of Rx fact prescribers. */
export function keysOfDrafts(drafts: readonly Draft[]): SubjectKey[] {
  const keys: SubjectKey[] = [];
  for (const d of drafts) {
    if (d.kind === 'hcp') {
      for (const i of d.data.identifiers ?? []) pushKey(keys, identifierKey(i.type, i.value, i.issuer));
    } else if (d.kind === 'rx_fact') {
      const p = d.data.prescriber;
      pushKey(keys, identifierKey('npi', p.npi));
      pushKey(keys, identifierKey('me', p.me));
      pushKey(keys, identifierKey('dea', p.dea));
      // p.vendorId has no issuer here: the prescriber's physician draft in the same record carries it with one.
    }
  }
  return keys;
}

export function keysOfIdentifiers(identifiers: readonly IdentifierLike[]): SubjectKey[] {
  const keys: SubjectKey[] = [];
  for (const i of identifiers) pushKey(keys, identifierKey(i.type, i.value, i.issuer));
  return keys;
}

function pushKey(keys: SubjectKey[], key: SubjectKey | undefined): void {
  if (key) keys.push(key);
}

export function hashSubjectKey(key: PrivacyKey, subjectKey: SubjectKey): string {
  return keyedHash(key, `crosswalk-tombstone|v1|${subjectKey.kind}|${subjectKey.text}`);
}

/** Tombstones of a set of keys, one per distinct key. */
export function tombstonesOf(key: PrivacyKey, keys: readonly SubjectKey[]): Tombstone[] {
  const seen = new Map<string, Tombstone>();
  for (const k of keys) {
    const hash = hashSubjectKey(key, k);
    if (!seen.has(hash)) seen.set(hash, { kind: k.kind, hash });
  }
  return [...seen.values()];
}

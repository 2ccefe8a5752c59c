import { createHash } from 'node:crypto';
import type { MatchRecord } from './project-draft.js';

/** A short hash of the fields a record offers the matcher (its id aside): it changes exactly when a compared field does. */
export function fingerprintMatchRecord(record: MatchRecord): string {
  const fields = Object.keys(record)
    .filter((k) => k !== 'id')
    .sort()
    .map((k) => `${k}=${record[k]}`)
    .join('\u0001');
  return createHash('sha256').update(fields).digest('base64url').slice(0, 16);
}

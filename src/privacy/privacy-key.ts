import { createHash, createHmac } from 'node:crypto';
import { ConfigError } from '../errors.js';

/**
 * The key of erasure tombstones: HMAC-SHA256 keyed with `CROSSWALK_PRIVACY_KEY`, so a tombstone cannot be turned
 * back into the NPI it came from by hashing every possible NPI (there are only a billion). Keys that made earlier
 * tombstones stay needed as long as those tombstones must hold: list them in `CROSSWALK_PRIVACY_KEY_PREVIOUS`.
 */
export const PRIVACY_KEY_ENV = 'CROSSWALK_PRIVACY_KEY';
export const PREVIOUS_PRIVACY_KEYS_ENV = 'CROSSWALK_PRIVACY_KEY_PREVIOUS';

export type PrivacyKey = { id: string; bytes: Buffer };
export type PrivacyKeyring = { current?: PrivacyKey; previous: PrivacyKey[] };

export function parsePrivacyKey(text: string, variable: string): PrivacyKey {
  const trimmed = text.trim();
  const bytes = /^[A-Za-z0-9+/_-]+=*$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (bytes.length < 32) {
    throw new ConfigError(
      'privacy.bad_key',
      `${variable} must be at least 32 random bytes in base64: make one with \`npx crosswalk secrets generate-key\` or \`openssl rand -base64 32\`, and keep it: tombstones made with it need it for as long as they must hold.`,
    );
  }
  return { id: createHash('sha256').update('crosswalk-privacy-key-id\u0000').update(bytes).digest('hex').slice(0, 12), bytes };
}

export function loadPrivacyKeyring(env: NodeJS.ProcessEnv = process.env): PrivacyKeyring {
  const current = env[PRIVACY_KEY_ENV]?.trim() ? parsePrivacyKey(env[PRIVACY_KEY_ENV]!, PRIVACY_KEY_ENV) : undefined;
  const previous = (env[PREVIOUS_PRIVACY_KEYS_ENV] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => parsePrivacyKey(s, PREVIOUS_PRIVACY_KEYS_ENV));
  return { current, previous };
}

/** The current key, or a refusal: an erasure without a key could not keep the person from coming back. */
export function requirePrivacyKey(keyring: PrivacyKeyring): PrivacyKey {
  if (!keyring.current) {
    throw new ConfigError(
      'privacy.key_missing',
      `${PRIVACY_KEY_ENV} is not set: erasure keeps keyed hashes of the person's identifiers so a later sync cannot bring them back, and needs that key. Set it (\`npx crosswalk secrets generate-key\`) wherever the hub and its workers run, then try again.`,
    );
  }
  return keyring.current;
}

export function keyedHash(key: PrivacyKey, text: string): string {
  return createHmac('sha256', key.bytes).update(text).digest('hex');
}

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigError } from '../errors.js';

/**
 * Connector credentials encrypted at rest in `crosswalk.yaml`: AES-256-GCM with a 32-byte key from the environment.
 *
 * An encrypted value reads `enc:v1:<key id>:<base64url of iv (12 bytes) | ciphertext | tag (16 bytes)>`. The key id
 * (8 hex characters of a SHA-256 of the key) is not secret; it lets a wrong key be told from a tampered value, and
 * lets a value written under an older key be decrypted with `CROSSWALK_SECRET_KEY_PREVIOUS` while keys rotate. The
 * `enc:v1:<key id>:` prefix is authenticated too (GCM additional data), so it cannot be swapped.
 */
export const SECRET_PREFIX = 'enc:v1:';
export const SECRET_KEY_ENV = 'CROSSWALK_SECRET_KEY';
export const PREVIOUS_SECRET_KEYS_ENV = 'CROSSWALK_SECRET_KEY_PREVIOUS';

export type SecretKey = { id: string; bytes: Buffer };
export type SecretKeyring = { current?: SecretKey; previous: SecretKey[] };

export function isEncryptedSecret(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('enc:');
}

/** A key from its base64 text (`openssl rand -base64 32`, or `crosswalk secrets generate-key`). */
export function parseSecretKey(text: string, variable: string): SecretKey {
  const trimmed = text.trim();
  const bytes = /^[A-Za-z0-9+/_-]+=*$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (bytes.length !== 32) {
    throw new ConfigError(
      'secrets.bad_key',
      `${variable} must be 32 random bytes in base64 (44 characters), not ${bytes.length === 0 ? 'something else' : `${bytes.length} bytes`}: make one with \`npx crosswalk secrets generate-key\` or \`openssl rand -base64 32\`.`,
    );
  }
  return { id: keyId(bytes), bytes };
}

export function keyId(bytes: Buffer): string {
  return createHash('sha256').update('crosswalk-secret-key-id\u0000').update(bytes).digest('hex').slice(0, 8);
}

/** The current key and the previous ones (comma-separated) from the environment; both may be absent. */
export function loadSecretKeyring(env: NodeJS.ProcessEnv = process.env): SecretKeyring {
  const current = env[SECRET_KEY_ENV]?.trim() ? parseSecretKey(env[SECRET_KEY_ENV]!, SECRET_KEY_ENV) : undefined;
  const previous = (env[PREVIOUS_SECRET_KEYS_ENV] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => parseSecretKey(s, PREVIOUS_SECRET_KEYS_ENV));
  return { current, previous };
}

export function generateSecretKey(): string {
  return randomBytes(32).toString('base64');
}

export function encryptSecret(plaintext: string, key: SecretKey): string {
  const header = `${SECRET_PREFIX}${key.id}:`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(Buffer.from(header));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${header}${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/**
 * Decrypts a value with the key its id names (the current key or a previous one). The messages say what to do;
 * they never contain the value or the key.
 */
export function decryptSecret(value: string, keyring: SecretKeyring): string {
  const match = /^enc:v1:([0-9a-f]{8}):([A-Za-z0-9_-]+)$/.exec(value.trim());
  if (!match) {
    throw new ConfigError('secrets.malformed', `the encrypted value is not in the form enc:v1:<key id>:<data>: paste the whole output of \`crosswalk secrets encrypt\`.`);
  }
  const [, id, data] = match as unknown as [string, string, string];
  const keys = [keyring.current, ...keyring.previous].filter((k): k is SecretKey => k !== undefined);
  if (keys.length === 0) {
    throw new ConfigError('secrets.key_missing', `the value is encrypted but ${SECRET_KEY_ENV} is not set: set it to the key the value was encrypted with (key id ${id}).`);
  }
  const key = keys.find((k) => k.id === id);
  if (!key) {
    throw new ConfigError(
      'secrets.wrong_key',
      `the value was encrypted with key ${id}, but ${SECRET_KEY_ENV} is key ${keyring.current?.id ?? '(unset)'}${keyring.previous.length ? ` and ${PREVIOUS_SECRET_KEYS_ENV} holds ${keyring.previous.map((k) => k.id).join(', ')}` : ''}: set the right key, or encrypt the value again with \`crosswalk secrets encrypt\`.`,
    );
  }
  const raw = Buffer.from(data, 'base64url');
  if (raw.length < 12 + 16) throw new ConfigError('secrets.malformed', 'the encrypted value is truncated: paste the whole output of `crosswalk secrets encrypt`.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${SECRET_PREFIX}${id}:`));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new ConfigError('secrets.corrupt', `the encrypted value does not decrypt with key ${id} (it was altered or cut): encrypt it again with \`crosswalk secrets encrypt\`.`);
  }
}

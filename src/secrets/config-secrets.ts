import { describeError } from '../errors.js';
import { decryptSecret, isEncryptedSecret, loadSecretKeyring, type SecretKeyring } from './secret-box.js';

/**
 * Secrets in a connector's configuration: decrypting `enc:v1:` values when the workspace loads, and masking every
 * secret before a configuration leaves the process (an API answer, a log line, an error report).
 */

/** Plaintexts decrypted in this process: `maskSecrets` hides them wherever they turn up, whatever the key. */
const decrypted = new Set<string>();

export type DecryptedConfig = { config: unknown; problems: string[]; decryptedPaths: string[] };

/**
 * Replaces every `enc:v1:` string in a connector configuration by its plaintext. Problems name the connector and
 * the field (`connectors[0] (crm).config.auth.clientSecret: ...`) and never the value; the key is only read when
 * the configuration holds an encrypted value, so workspaces without any need no key.
 */
export function decryptConfigSecrets(config: unknown, where: string, keyring?: SecretKeyring): DecryptedConfig {
  const problems: string[] = [];
  const decryptedPaths: string[] = [];
  let keys = keyring;
  const walk = (value: unknown, path: string): unknown => {
    if (isEncryptedSecret(value)) {
      try {
        keys ??= loadSecretKeyring();
        const plain = decryptSecret(value, keys);
        decrypted.add(plain);
        decryptedPaths.push(path);
        return plain;
      } catch (error) {
        problems.push(`${where}.${path}: cannot decrypt: ${describeError(error).message}`);
        return value;
      }
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${path}.${k}`)]));
    return value;
  };
  const out = walk(config, 'config');
  return { config: out, problems, decryptedPaths };
}

export const MASK = '[secret]';

// Field names that hold a secret, compared without case, `_` or `-`. Names ending in `env` hold the name of an
// environment variable, not the secret, and stay visible (`clientSecretEnv: SF_CLIENT_SECRET`).
const SECRET_NAMES = ['password', 'passwd', 'passphrase', 'secret', 'token', 'privatekey', 'apikey', 'authorization', 'credentials', 'cookie'];

export function isSecretFieldName(name: string): boolean {
  const n = name.toLowerCase().replace(/[_-]/g, '');
  if (n.endsWith('env')) return false;
  return SECRET_NAMES.some((s) => n === s || n.endsWith(s));
}

/**
 * A deep copy with every secret replaced by `[secret]`: fields named like a secret (password, clientSecret,
 * refreshToken, privateKey, apiKey ...), encrypted `enc:` values, PEM blocks, and any value this process decrypted
 * from the workspace file, under whatever name. For the API (never return a connector's configuration unmasked)
 * and for anything else that shows a configuration.
 */
export function maskSecrets<T>(value: T): T {
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (key !== undefined && isSecretFieldName(key) && v !== null && v !== undefined && v !== '') return MASK;
    if (typeof v === 'string') return decrypted.has(v) || v.includes('-----BEGIN') || isEncryptedSecret(v) ? MASK : v;
    if (Array.isArray(v)) return v.map((item) => walk(item, undefined));
    if (v && typeof v === 'object') {
      if (v instanceof Date) return v;
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, k)]));
    }
    return v;
  };
  return walk(value, undefined) as T;
}

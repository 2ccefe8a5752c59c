import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { argon2id, argon2Verify } from 'hash-wasm';

/**
 * Passwords are hashed with argon2id (OWASP's parameters: 19 MiB, 2 passes, 1 lane) in WebAssembly: the native
 * `argon2` package's prebuilt Linux binary crashed on load on these machines and building it needs a compiler at
 * install, while WebAssembly runs wherever Node does. API keys and session tokens are 32 random bytes: a fast
 * SHA-256 of them is enough to store, since nobody can guess their way through 2^256.
 */
export const MIN_PASSWORD_LENGTH = 10;

export async function hashPassword(password: string): Promise<string> {
  return argon2id({ password, salt: randomBytes(16), parallelism: 1, iterations: 2, memorySize: 19_456, hashLength: 32, outputType: 'encoded' });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so a wrong name takes as long as a wrong password. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  return (decoy ??= hashPassword(randomBytes(16).toString('hex')));
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `cwk_` and 43 base64url characters. The prefix makes a leaked key easy to recognise (and to scan for). */
export function newApiKey(): string {
  return `cwk_${randomBytes(32).toString('base64url')}`;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function validatePassword(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  return undefined;
}

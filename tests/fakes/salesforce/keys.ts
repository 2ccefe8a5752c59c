import { generateKeyPairSync } from 'node:crypto';

let cached: { privateKey: string; publicKey: string } | undefined;

/** An RSA key pair for JWT bearer tests: the connector signs with the private key, the fake org verifies. */
export function testKeyPair(): { privateKey: string; publicKey: string } {
  cached ??= generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  return cached;
}

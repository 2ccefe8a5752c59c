import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, generateSecretKey, loadSecretKeyring, parseSecretKey } from '../../../src/secrets/secret-box.js';

const keyA = parseSecretKey(generateSecretKey(), 'CROSSWALK_SECRET_KEY');
const keyB = parseSecretKey(generateSecretKey(), 'CROSSWALK_SECRET_KEY');

describe('secrets encrypted at rest', () => {
  it('round-trips a secret through an enc:v1 value that names its key and hides the plaintext', () => {
    const value = encryptSecret('s3cr3t-Refresh-Token', keyA);
    expect(value).toMatch(new RegExp(`^enc:v1:${keyA.id}:[A-Za-z0-9_-]+$`));
    expect(value).not.toContain('s3cr3t');
    expect(decryptSecret(value, { current: keyA, previous: [] })).toBe('s3cr3t-Refresh-Token');
  });

  it('encrypts the same secret differently every time (a fresh nonce)', () => {
    expect(encryptSecret('same', keyA)).not.toBe(encryptSecret('same', keyA));
  });

  it('says the key is missing, naming the key id the value needs', () => {
    const value = encryptSecret('x', keyA);
    expect(() => decryptSecret(value, { previous: [] })).toThrow(expect.objectContaining({ code: 'secrets.key_missing', message: expect.stringContaining(keyA.id) }));
  });

  it('tells a wrong key from a tampered value', () => {
    const value = encryptSecret('x', keyA);
    expect(() => decryptSecret(value, { current: keyB, previous: [] })).toThrow(expect.objectContaining({ code: 'secrets.wrong_key' }));
    const body = value.slice(value.lastIndexOf(':') + 1);
    const flipped = `${value.slice(0, value.lastIndexOf(':') + 1)}${body.slice(0, 20)}${body[20] === 'A' ? 'B' : 'A'}${body.slice(21)}`;
    expect(() => decryptSecret(flipped, { current: keyA, previous: [] })).toThrow(expect.objectContaining({ code: 'secrets.corrupt' }));
    expect(() => decryptSecret('enc:v1:nothex:zzz', { current: keyA, previous: [] })).toThrow(expect.objectContaining({ code: 'secrets.malformed' }));
  });

  it('refuses to move a value to another key id by editing its header (the header is authenticated)', () => {
    const value = encryptSecret('x', keyA);
    const forged = value.replace(keyA.id, keyB.id);
    expect(() => decryptSecret(forged, { current: keyB, previous: [] })).toThrow(expect.objectContaining({ code: 'secrets.corrupt' }));
  });

  it('decrypts values of the previous key while keys rotate', () => {
    const old = encryptSecret('old-secret', keyA);
    const env = { CROSSWALK_SECRET_KEY: keyB.bytes.toString('base64'), CROSSWALK_SECRET_KEY_PREVIOUS: keyA.bytes.toString('base64') };
    expect(decryptSecret(old, loadSecretKeyring(env))).toBe('old-secret');
  });

  it('refuses a key that is not 32 bytes of base64, without echoing it', () => {
    expect(() => parseSecretKey('too-short', 'CROSSWALK_SECRET_KEY')).toThrow(expect.objectContaining({ code: 'secrets.bad_key', message: expect.not.stringContaining('too-short') }));
    expect(() => parseSecretKey(Buffer.alloc(16).toString('base64'), 'CROSSWALK_SECRET_KEY')).toThrow(/16 bytes/);
  });
});

import { describe, expect, it } from 'vitest';
import { loadPrivacyKeyring, parsePrivacyKey, requirePrivacyKey } from '../../../src/privacy/privacy-key.js';
import { hashSubjectKey, identifierKey, keysOfDrafts, sourceKey, tombstonesOf } from '../../../src/privacy/subject-keys.js';
import { generateSecretKey } from '../../../src/secrets/secret-box.js';

const key = parsePrivacyKey(generateSecretKey(), 'CROSSWALK_PRIVACY_KEY');
const other = parsePrivacyKey(generateSecretKey(), 'CROSSWALK_PRIVACY_KEY');

describe('erasure tombstones', () => {
  it('hash the same identifier the same way however a source formatted it', () => {
    const h = (type: string, value: string, issuer?: string) => hashSubjectKey(key, identifierKey(type, value, issuer)!);
    expect(h('npi', '1234567893')).toBe(h('npi', '123-456-7893'));
    expect(h('dea', 'bo4829137')).toBe(h('dea', 'BO4829137'));
    expect(h('state_license', 'md-99817', 'ma')).toBe(h('state_license', 'MD99817', 'MA'));
    expect(h('state_license', 'MD99817', 'MA')).not.toBe(h('state_license', 'MD99817', 'NY'));
    // A Salesforce id in its 15- and 18-character forms is the same record.
    expect(h('salesforce_id', '0014x00000ERA01AAH')).toBe(h('salesforce_id', '0014x00000ERA01'));
  });

  it('are keyed: the same NPI under another key, or unkeyed, gives another hash, and no value is readable in it', () => {
    const npi = identifierKey('npi', '1234567893')!;
    expect(hashSubjectKey(key, npi)).not.toBe(hashSubjectKey(other, npi));
    expect(hashSubjectKey(key, npi)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSubjectKey(key, npi)).not.toContain('1234567893');
  });

  it('cover identifiers only a person holds, never organization codes or empty values', () => {
    expect(identifierKey('hin', 'ABC123')).toBeUndefined();
    expect(identifierKey('npi', '')).toBeUndefined();
    expect(identifierKey('npi', 'n/a')).toBeUndefined();
    expect(identifierKey('vendor_prescriber_id', ' 99-18 ', 'xponent')).toEqual({ kind: 'vendor_prescriber_id', text: 'XPONENT:9918' });
    // Two vendors' ids are two keys.
    expect(identifierKey('vendor_prescriber_id', '9918', 'xponent')).not.toEqual(identifierKey('vendor_prescriber_id', '9918', 'rx-monthly'));
  });

  it('are taken from physician drafts and the prescriber keys of Rx facts, not from organizations', () => {
    const keys = keysOfDrafts([
      { kind: 'hcp', key: 'hcp', data: { identifiers: [{ type: 'npi', value: '1234567893', status: 'unverified', valid: true }], credentials: [], specialties: [], status: 'active', addresses: [], contactPoints: [], affiliations: [], consents: [] } },
      { kind: 'hco', key: 'hco', data: { name: 'Clinic', otherNames: [], identifiers: [{ type: 'npi', value: '1987654321', status: 'unverified', valid: true }], addresses: [], contactPoints: [], consents: [], status: 'active' } as never },
      { kind: 'rx_fact', key: 'rx', data: { prescriber: { npi: '1234567893', me: '04812345671', vendorId: 'X9' }, product: { name: 'P' }, period: { end: '2026-01-02', grain: 'week' }, measures: {}, suppressed: [] } },
    ]);
    expect(keys.map((k) => `${k.kind}:${k.text}`)).toEqual(['npi:1234567893', 'npi:1234567893', 'me:04812345671']);
    expect(tombstonesOf(key, keys)).toHaveLength(2);
  });

  it('tell source keys apart even when the parts contain separators', () => {
    expect(hashSubjectKey(key, sourceKey('a', 'b:c', 'd'))).not.toBe(hashSubjectKey(key, sourceKey('a:b', 'c', 'd')));
  });
});

describe('the privacy key', () => {
  it('is required for an erasure, with a message that says how to make one', () => {
    expect(() => requirePrivacyKey(loadPrivacyKeyring({}))).toThrow(expect.objectContaining({ code: 'privacy.key_missing', message: expect.stringContaining('CROSSWALK_PRIVACY_KEY') }));
  });

  it('must be at least 32 random bytes, and previous keys are read for rotation', () => {
    expect(() => parsePrivacyKey('c2hvcnQ=', 'CROSSWALK_PRIVACY_KEY')).toThrow(/at least 32 random bytes/);
    const ring = loadPrivacyKeyring({ CROSSWALK_PRIVACY_KEY: key.bytes.toString('base64'), CROSSWALK_PRIVACY_KEY_PREVIOUS: ` ${other.bytes.toString('base64')} ,` });
    expect(ring.current!.id).toBe(key.id);
    expect(ring.previous.map((k) => k.id)).toEqual([other.id]);
    expect(key.id).not.toBe(other.id);
  });
});

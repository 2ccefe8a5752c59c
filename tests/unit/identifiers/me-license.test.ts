import { describe, expect, it } from 'vitest';
import { normalizeMeNumber, normalizeStateLicense } from '../../../src/model/identifiers/index.js';

describe('normalizeMeNumber', () => {
  it('keeps leading zeros and strips hyphens and spaces', () => {
    expect(normalizeMeNumber('02501-12345-6')).toEqual({ ok: true, value: '02501123456' });
    expect(normalizeMeNumber(' 0250112345 ')).toEqual({ ok: true, value: '0250112345' });
  });

  it('rejects a number that lost its leading zeros in a spreadsheet, and says so', () => {
    const result = normalizeMeNumber(250112345);
    expect(result).toMatchObject({ ok: false, code: 'me_number.format' });
    expect(!result.ok && result.message).toContain('leading zeros');
  });

  it.each(['025011234567', 'ME12345678', ''])('rejects %j', (me) => {
    expect(normalizeMeNumber(me).ok).toBe(false);
  });
});

describe('normalizeStateLicense', () => {
  it.each([
    ['12637', 'CA', { state: 'CA', number: '12637' }],
    ['me68414', 'ny', { state: 'NY', number: 'ME68414' }],
    ['032024', 'Texas', { state: 'TX', number: '032024' }],
    [' HC0283 ', 'FL', { state: 'FL', number: 'HC0283' }],
    ['000396-1', 'PR', { state: 'PR', number: '000396-1' }],
    ['ME 68414', 'NY', { state: 'NY', number: 'ME68414' }],
  ])('keys %s in %s on the uppercase number with its zeros and hyphens', (number, state, expected) => {
    expect(normalizeStateLicense(number, state)).toEqual({ ok: true, value: expected });
  });

  it('needs a usable state because license numbers repeat across boards', () => {
    expect(normalizeStateLicense('12637', 'ZZ')).toMatchObject({ ok: false, code: 'license.state' });
    expect(normalizeStateLicense('12637', undefined)).toMatchObject({ ok: false, code: 'license.state' });
  });

  it.each(['N/A', 'none', '0000', 'Pending'])('rejects the placeholder %s', (number) => {
    expect(normalizeStateLicense(number, 'CA')).toMatchObject({ ok: false, code: 'license.placeholder' });
  });

  it('rejects characters boards do not use', () => {
    expect(normalizeStateLicense('A12*34', 'CA')).toMatchObject({ ok: false, code: 'license.format' });
  });

  it('reports an empty license number', () => {
    expect(normalizeStateLicense(null, 'CA')).toMatchObject({ code: 'license.missing' });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSalesforceIdSuffix, normalizeSalesforceId } from '../../../src/model/identifiers/index.js';

const id15 = fc.stringMatching(/^[a-zA-Z0-9]{15}$/);

describe('normalizeSalesforceId', () => {
  it('appends the case suffix to a 15-character id', () => {
    expect(normalizeSalesforceId('001A0000006Vm9r')).toEqual({ ok: true, value: '001A0000006Vm9rIAC' });
  });

  it('accepts an 18-character id and uppercases its suffix', () => {
    expect(normalizeSalesforceId('001A0000006Vm9rIAC')).toEqual({ ok: true, value: '001A0000006Vm9rIAC' });
    expect(normalizeSalesforceId(' 001A0000006Vm9riac ')).toEqual({ ok: true, value: '001A0000006Vm9rIAC' });
  });

  it('restores the case of an 18-character id that a case-insensitive system flattened', () => {
    const result = normalizeSalesforceId('001a0000006vm9riac');
    expect(result).toMatchObject({ ok: true, value: '001A0000006Vm9rIAC', warnings: [expect.any(String)] });
  });

  it('rejects an 18-character id whose suffix does not match', () => {
    expect(normalizeSalesforceId('001A0000006Vm9rAAA')).toMatchObject({ ok: false, code: 'salesforce_id.checksum' });
    expect(normalizeSalesforceId('001A0000006VM9rIAC')).toMatchObject({ ok: false, code: 'salesforce_id.checksum' });
  });

  it('rejects a flattened id whose suffix would make a digit uppercase', () => {
    expect(normalizeSalesforceId('00100000000000055A')).toMatchObject({ code: 'salesforce_id.checksum' });
  });

  it.each(['001A0000006Vm9', '001A0000006Vm9rI', '001A0000006Vm9r-AC', '001A0000006Vm9rIACX'])(
    'rejects %s as not 15 or 18 letters and digits',
    (id) => {
      expect(normalizeSalesforceId(id)).toMatchObject({ ok: false, code: 'salesforce_id.format' });
    },
  );

  it('exposes the suffix computation for generators, refusing anything but 15 letters and digits', () => {
    expect(computeSalesforceIdSuffix('001A0000006Vm9r')).toBe('IAC');
    expect(() => computeSalesforceIdSuffix('001A0000006Vm9')).toThrow(RangeError);
  });

  it('reports an empty id', () => {
    expect(normalizeSalesforceId(undefined)).toMatchObject({ code: 'salesforce_id.missing' });
  });

  it('round-trips a 15-character id through its 18-character form, whatever the case of the suffix', () => {
    fc.assert(
      fc.property(id15, fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), (id, lower) => {
        const long = normalizeSalesforceId(id);
        expect(long.ok && long.value.slice(0, 15)).toBe(id);
        if (!long.ok) return;
        const suffix = Array.from(long.value.slice(15), (c, i) => (lower[i] ? c.toLowerCase() : c)).join('');
        expect(normalizeSalesforceId(id + suffix)).toEqual(long);
        expect(normalizeSalesforceId(long.value)).toEqual(long);
      }),
    );
  });

  it('gives different 18-character forms to ids that differ only in case', () => {
    fc.assert(
      fc.property(id15.filter((id) => /[a-z]/.test(id)), (id) => {
        const lower = normalizeSalesforceId(id);
        const upper = normalizeSalesforceId(id.toUpperCase());
        expect(lower.ok && upper.ok && lower.value.toLowerCase() !== upper.value.toLowerCase()).toBe(true);
      }),
    );
  });
});

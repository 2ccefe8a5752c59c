import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeNpiCheckDigit, normalizeNpi } from '../../../src/model/identifiers/index.js';

const prefix9 = fc.tuple(fc.constantFrom('1', '2'), fc.stringMatching(/^\d{8}$/)).map(([a, b]) => a + b);

describe('normalizeNpi', () => {
  it.each(['1234567893', '1003000126', '1558598797', '1497758544'])('accepts the published valid NPI %s', (npi) => {
    expect(normalizeNpi(npi)).toEqual({ ok: true, value: npi });
  });

  it.each(['1234567890', '1003000127'])('rejects %s because its check digit is wrong', (npi) => {
    expect(normalizeNpi(npi)).toMatchObject({ ok: false, code: 'npi.check_digit' });
  });

  it('tells the steward which check digit was expected and where to verify', () => {
    const result = normalizeNpi('1234567890');
    expect(!result.ok && result.message).toBe(
      'NPI 1234567890 fails the check digit (expected 3): verify it in the NPPES registry',
    );
  });

  it('strips spaces and hyphens and accepts a number', () => {
    expect(normalizeNpi(' 123-456 7893 ')).toEqual({ ok: true, value: '1234567893' });
    expect(normalizeNpi(1234567893)).toEqual({ ok: true, value: '1234567893' });
  });

  it('rejects an NPI that does not start with 1 or 2', () => {
    expect(normalizeNpi('3234567893')).toMatchObject({ ok: false, code: 'npi.prefix' });
  });

  it.each(['123456789', '12345678931', '12345678A3', '1.234567893'])('rejects %s as not 10 digits', (npi) => {
    expect(normalizeNpi(npi)).toMatchObject({ ok: false, code: 'npi.format' });
  });

  it('reports empty and wrongly typed values without throwing', () => {
    for (const empty of [null, undefined, '', '   ', NaN]) expect(normalizeNpi(empty)).toMatchObject({ code: 'npi.missing' });
    expect(normalizeNpi({ npi: '1234567893' })).toMatchObject({ code: 'npi.type' });
    expect(normalizeNpi(true)).toMatchObject({ code: 'npi.type' });
  });

  it('builds a valid NPI from any 9-digit prefix starting with 1 or 2', () => {
    fc.assert(
      fc.property(prefix9, (first9) => {
        expect(normalizeNpi(first9 + computeNpiCheckDigit(first9)).ok).toBe(true);
      }),
    );
  });

  it('catches any single changed digit', () => {
    fc.assert(
      fc.property(prefix9, fc.nat(9), fc.integer({ min: 1, max: 9 }), (first9, position, delta) => {
        const npi = first9 + computeNpiCheckDigit(first9);
        const changed = npi.slice(0, position) + ((Number(npi[position]) + delta) % 10) + npi.slice(position + 1);
        expect(normalizeNpi(changed).ok).toBe(false);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(prefix9, fc.constantFrom('', ' ', '-'), (first9, separator) => {
        const once = normalizeNpi(`${first9.slice(0, 3)}${separator}${first9.slice(3)}${computeNpiCheckDigit(first9)}`);
        expect(once.ok && normalizeNpi(once.value)).toEqual(once);
      }),
    );
  });

  it('refuses to compute a check digit from anything but 9 digits', () => {
    expect(() => computeNpiCheckDigit('12345678')).toThrow(RangeError);
    expect(computeNpiCheckDigit('123456789')).toBe(3);
  });
});

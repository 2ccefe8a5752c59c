import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeGlnCheckDigit, hinBase, normalizeGln, normalizeHin } from '../../../src/model/identifiers/index.js';

describe('normalizeHin', () => {
  it('uppercases and trims a 9-character HIN', () => {
    expect(normalizeHin(' 1a2b3c4d5 ')).toEqual({ ok: true, value: '1A2B3C4D5' });
  });

  it.each(['1A2B3C4D', '1A2B3C4D56', '1A2B-C4D5', '1A2B 3C4D'])('rejects %s because it is not 9 letters or digits', (hin) => {
    expect(normalizeHin(hin)).toMatchObject({ ok: false, code: 'hin.format' });
  });

  it('reports an empty HIN', () => {
    expect(normalizeHin(null)).toMatchObject({ code: 'hin.missing' });
  });

  it('accepts exactly what uppercases to 9 ASCII letters or digits, whatever the characters', () => {
    const chars = fc.constantFrom(...'AZaz09-. \u0131\u017f\u00df\u00e9'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { minLength: 7, maxLength: 11 }).map((c) => c.join('')), (text) => {
        const upper = text.trim().toUpperCase();
        const result = normalizeHin(text);
        if (upper === '') expect(result.ok).toBe(false);
        else if (/^[A-Z0-9]{9}$/.test(upper)) expect(result).toEqual({ ok: true, value: upper });
        else expect(result).toMatchObject({ ok: false, code: 'hin.format' });
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the 7-character facility base that all locations of a facility share', () => {
    expect(hinBase('1a2b3c4d5')).toBe('1A2B3C4');
    expect(hinBase('1A2B3C4XY')).toBe(hinBase('1A2B3C401'));
    expect(hinBase('too short')).toBeUndefined();
  });
});

describe('normalizeGln', () => {
  it.each(['4006381333931', '5901234123457'])('accepts %s, whose GS1 check digit is right', (gln) => {
    expect(normalizeGln(gln)).toEqual({ ok: true, value: gln });
  });

  it('rejects a GLN whose check digit is wrong and names the expected digit', () => {
    expect(normalizeGln('4006381333932')).toMatchObject({ ok: false, code: 'gln.check_digit' });
    const result = normalizeGln('4006381333932');
    expect(!result.ok && result.message).toContain('expected 1');
  });

  it('rejects a GLN that is not 13 digits, hinting at lost leading zeros', () => {
    const result = normalizeGln(614141000036);
    expect(result).toMatchObject({ ok: false, code: 'gln.format' });
    expect(!result.ok && result.message).toContain('leading zeros');
  });

  it('builds a valid GLN from any 12 digits and catches any changed digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), fc.nat(12), fc.integer({ min: 1, max: 9 }), (first12, position, delta) => {
        const gln = first12 + computeGlnCheckDigit(first12);
        expect(normalizeGln(gln)).toEqual({ ok: true, value: gln });
        const changed = gln.slice(0, position) + ((Number(gln[position]) + delta) % 10) + gln.slice(position + 1);
        expect(normalizeGln(changed).ok).toBe(false);
      }),
    );
  });
});

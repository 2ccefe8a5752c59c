import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNdc11, normalizeNdc } from '../../../src/model/identifiers/index.js';

describe('normalizeNdc', () => {
  it.each([
    ['0002-1433-80', '00002143380'],
    ['50242-040-62', '50242004062'],
    ['60575-4112-1', '60575411201'],
    ['00002-1433-80', '00002143380'],
    ['00002143380', '00002143380'],
    [' 0002 - 1433 - 80 ', '00002143380'],
  ])('turns %s into the 11-digit NDC %s', (input, expected) => {
    expect(normalizeNdc(input)).toEqual({ ok: true, value: expected });
  });

  it('rejects a bare 10-digit NDC as ambiguous', () => {
    expect(normalizeNdc('0002143380')).toMatchObject({ ok: false, code: 'ndc.ambiguous' });
  });

  it('accepts a bare 10-digit NDC that the product directory resolves, with a warning', () => {
    const result = normalizeNdc('5024204062', { resolveBare10: () => '50242-040-62' });
    expect(result).toEqual({
      ok: true,
      value: '50242004062',
      warnings: ['NDC 5024204062 was resolved to 50242-0040-62 through the product directory'],
    });
  });

  it('stays ambiguous when the directory does not know the NDC', () => {
    expect(normalizeNdc('0002143380', { resolveBare10: () => undefined })).toMatchObject({ code: 'ndc.ambiguous' });
  });

  it('rejects a directory answer that is not the same NDC padded', () => {
    expect(normalizeNdc('0002143380', { resolveBare10: () => '12345678901' })).toMatchObject({
      code: 'ndc.resolved_mismatch',
    });
  });

  it.each(['0002-1433', '002-1433-80', '00002-14330-8', '0002-1433-8O', 'NDC', '123456789012'])(
    'rejects %s as not an NDC layout',
    (input) => {
      expect(normalizeNdc(input)).toMatchObject({ ok: false, code: 'ndc.format' });
    },
  );

  it('reports an empty NDC', () => {
    expect(normalizeNdc('')).toMatchObject({ code: 'ndc.missing' });
  });

  it('pads the short segment of every 4-4-2, 5-3-2 and 5-4-1 form with a zero in the right place', () => {
    const layouts = [
      { lengths: [4, 4, 2], padded: 0 },
      { lengths: [5, 3, 2], padded: 1 },
      { lengths: [5, 4, 1], padded: 2 },
    ];
    const form = fc.constantFrom(...layouts).chain(({ lengths, padded }) =>
      fc
        .tuple(...lengths.map((n) => fc.stringMatching(new RegExp(`^\\d{${n}}$`))))
        .map((segments) => ({ segments, padded })),
    );
    fc.assert(
      fc.property(form, ({ segments, padded }) => {
        const expected = segments.map((s, i) => (i === padded ? `0${s}` : s)).join('');
        expect(normalizeNdc(segments.join('-'))).toEqual({ ok: true, value: expected });
      }),
    );
  });

  it('is idempotent on its 11-digit output and on the formatted form', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{4}-\d{4}-\d{2}$|^\d{5}-\d{3}-\d{2}$|^\d{5}-\d{4}-\d{1,2}$/), (ndc) => {
        const once = normalizeNdc(ndc);
        expect(once.ok).toBe(true);
        if (!once.ok) return;
        expect(normalizeNdc(once.value)).toEqual(once);
        expect(normalizeNdc(formatNdc11(once.value))).toEqual(once);
      }),
    );
  });
});

describe('formatNdc11', () => {
  it('writes an 11-digit NDC as 5-4-2', () => {
    expect(formatNdc11('00002143380')).toBe('00002-1433-80');
  });

  it('refuses anything that is not 11 digits', () => {
    expect(() => formatNdc11('0002-1433-80')).toThrow(RangeError);
  });
});

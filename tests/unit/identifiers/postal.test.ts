import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeUsState, normalizeZip } from '../../../src/model/identifiers/index.js';

describe('normalizeZip', () => {
  it.each([
    ['02116', '02116'],
    ['02116-1234', '02116-1234'],
    ['021161234', '02116-1234'],
    ['02116 1234', '02116-1234'],
    [' 90210 ', '90210'],
  ])('reads %s as %s', (input, expected) => {
    expect(normalizeZip(input)).toEqual({ ok: true, value: expected });
  });

  it('restores the leading zero a spreadsheet dropped, with a warning', () => {
    expect(normalizeZip(2116)).toEqual({
      ok: true,
      value: '02116',
      warnings: ['ZIP code 2116 lost leading zeros (spreadsheet damage) and was restored as 02116'],
    });
    expect(normalizeZip('21161234')).toMatchObject({ ok: true, value: '02116-1234' });
  });

  it('restores both leading zeros of a Puerto Rico ZIP code', () => {
    expect(normalizeZip(927)).toMatchObject({ ok: true, value: '00927' });
    expect(normalizeZip(9271234)).toMatchObject({ ok: true, value: '00927-1234' });
  });

  it('drops a 0000 add-on as a placeholder', () => {
    expect(normalizeZip('02116-0000')).toMatchObject({ ok: true, value: '02116', warnings: [expect.any(String)] });
  });

  it.each(['ABCDE', '021', '0211', '12', '0211612', '02116-12', 'K1A 0B1', '0211-61234'])('rejects %s', (zip) => {
    expect(normalizeZip(zip)).toMatchObject({ ok: false, code: 'zip.format' });
  });

  it('reports an empty ZIP code', () => {
    expect(normalizeZip(undefined)).toMatchObject({ code: 'zip.missing' });
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{2,3}$|^\d{5}(?:[- ]?\d{4})?$|^[1-9]\d{6,7}$/), (zip) => {
        const once = normalizeZip(zip);
        expect(once.ok).toBe(true);
        if (once.ok) expect(normalizeZip(once.value)).toEqual({ ok: true, value: once.value });
      }),
    );
  });
});

describe('normalizeUsState', () => {
  it.each([
    ['MA', 'MA'],
    ['ma', 'MA'],
    ['Massachusetts', 'MA'],
    ['  new   york ', 'NY'],
    ['N.Y.', 'NY'],
    ['District of Columbia', 'DC'],
    ['Washington, D.C.', 'DC'],
    ['Puerto Rico', 'PR'],
    ['guam', 'GU'],
    ['U.S. Virgin Islands', 'VI'],
    ['American Samoa', 'AS'],
    ['Northern Mariana Islands', 'MP'],
    ['Armed Forces Europe', 'AE'],
    ['aa', 'AA'],
    ['AP', 'AP'],
  ])('reads %s as %s', (input, expected) => {
    expect(normalizeUsState(input)).toEqual({ ok: true, value: expected });
  });

  it('knows all 50 states and DC by name', () => {
    const names = [
      'Alabama', 'Alaska', 'Arizona', 'Arkansas', 'California', 'Colorado', 'Connecticut', 'Delaware', 'Florida',
      'Georgia', 'Hawaii', 'Idaho', 'Illinois', 'Indiana', 'Iowa', 'Kansas', 'Kentucky', 'Louisiana', 'Maine',
      'Maryland', 'Massachusetts', 'Michigan', 'Minnesota', 'Mississippi', 'Missouri', 'Montana', 'Nebraska', 'Nevada',
      'New Hampshire', 'New Jersey', 'New Mexico', 'New York', 'North Carolina', 'North Dakota', 'Ohio', 'Oklahoma',
      'Oregon', 'Pennsylvania', 'Rhode Island', 'South Carolina', 'South Dakota', 'Tennessee', 'Texas', 'Utah',
      'Vermont', 'Virginia', 'Washington', 'West Virginia', 'Wisconsin', 'Wyoming', 'District of Columbia',
    ];
    const codes = names.map((name) => normalizeUsState(name)).map((r) => (r.ok ? r.value : r.code));
    expect(new Set(codes).size).toBe(51);
    expect(codes.every((code) => /^[A-Z]{2}$/.test(code))).toBe(true);
    expect(codes.every((code) => normalizeUsState(code.toLowerCase()).ok)).toBe(true);
  });

  it.each(['XX', 'Ontario', 'Mass', '25'])('rejects %s', (state) => {
    expect(normalizeUsState(state)).toMatchObject({ ok: false, code: 'state.unknown' });
  });

  it('reports an empty state', () => {
    expect(normalizeUsState(' ')).toMatchObject({ code: 'state.missing' });
  });
});

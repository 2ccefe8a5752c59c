import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeNamePart, parsePersonName, splitCredentials, type PersonName } from '../../../src/model/normalize/index.js';

describe('parsePersonName', () => {
  it.each<[string, PersonName]>([
    ['SMITH, JOHN A MD', { first: 'John', middle: 'A', last: 'Smith', credentials: ['MD'] }],
    [
      'Dr. John A. Smith Jr., MD, PhD',
      { prefix: 'DR', first: 'John', middle: 'A', last: 'Smith', suffix: 'JR', credentials: ['MD', 'PHD'] },
    ],
    ['John Smith III', { first: 'John', last: 'Smith', suffix: 'III', credentials: [] }],
    ["mary-ann o'neil do", { first: 'Mary-Ann', last: "O'Neil", credentials: ['DO'] }],
    ['SMITH JR, JOHN', { first: 'John', last: 'Smith', suffix: 'JR', credentials: [] }],
    ['Smith, John, M.D.', { first: 'John', last: 'Smith', credentials: ['MD'] }],
    ['John Smith, Jr.', { first: 'John', last: 'Smith', suffix: 'JR', credentials: [] }],
    ['Jane Doe PA-C FACP', { first: 'Jane', last: 'Doe', credentials: ['PA-C', 'FACP'] }],
    ['Ms. Jane Q. Public, PharmD', { prefix: 'MS', first: 'Jane', middle: 'Q', last: 'Public', credentials: ['PHARMD'] }],
    ['Maria Luisa de la Cruz, DDS', { first: 'Maria', middle: 'Luisa', last: 'De La Cruz', credentials: ['DDS'] }],
    ['DE LA CRUZ, MARIA', { first: 'Maria', last: 'De La Cruz', credentials: [] }],
    ['MCDONALD, RONALD', { first: 'Ronald', last: 'McDonald', credentials: [] }],
    ['Robert Brown Senior', { first: 'Robert', last: 'Brown', suffix: 'SR', credentials: [] }],
    ['Smith', { last: 'Smith', credentials: [] }],
  ])('parses %s', (input, expected) => {
    expect(parsePersonName(input)).toEqual(expected);
  });

  it('keeps a surname that looks like a credential when nothing else could be the surname', () => {
    expect(parsePersonName('John Do')).toEqual({ first: 'John', last: 'Do', credentials: [] });
    expect(parsePersonName('Do, Anh, MD')).toEqual({ first: 'Anh', last: 'Do', credentials: ['MD'] });
  });

  it('reads a trailing V after a first name as a middle initial, not "the fifth"', () => {
    expect(parsePersonName('SMITH, JOHN V')).toEqual({ first: 'John', middle: 'V', last: 'Smith', credentials: [] });
  });

  it('returns only empty credentials for an empty name', () => {
    expect(parsePersonName('  ,  ')).toEqual({ credentials: [] });
  });

  it('parses its own output, written out, to the same parts', () => {
    // Made-up names that can collide with no prefix, suffix, credential or surname particle.
    const word = fc.stringMatching(/^[bcghklnrtvz][aeiou][a-z]{2,6}$/);
    const name = fc.record({
      first: word,
      middle: fc.option(word, { nil: undefined }),
      last: word,
      suffix: fc.option(fc.constantFrom('Jr.', 'III', 'Sr'), { nil: undefined }),
      credentials: fc.subarray(['M.D.', 'PhD', 'FACP', 'NP']),
    });
    fc.assert(
      fc.property(name, (n) => {
        const written = [n.first, n.middle, n.last, n.suffix].filter(Boolean).join(' ');
        const once = parsePersonName([written, ...n.credentials].join(', '));
        const again = parsePersonName(
          [[once.first, once.middle, once.last, once.suffix].filter(Boolean).join(' '), ...once.credentials].join(', '),
        );
        expect(again).toEqual(once);
        const inverted = parsePersonName(`${n.last.toUpperCase()}, ${[n.first, n.middle].filter(Boolean).join(' ')}`);
        expect([inverted.first, inverted.middle, inverted.last]).toEqual([once.first, once.middle, once.last]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('normalizeNamePart', () => {
  it.each([
    ["  o'NEIL ", "O'Neil"],
    ['MCDONALD', 'McDonald'],
    ['mary-ann', 'Mary-Ann'],
    ['JOSÉ   LUIS', 'José Luis'],
    ['MacDonald', 'MacDonald'],
    ['DeShawn', 'DeShawn'],
    ['A.', 'A'],
    ['St. Clair', 'St Clair'],
    ['d’angelo', "D'Angelo"],
  ])('writes %j as %j', (input, expected) => {
    expect(normalizeNamePart(input)).toBe(expected);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'B', 'c', 'M', 'C', "'", '-', ' ', '.', 'é', 'O') }), (s) => {
        const once = normalizeNamePart(s);
        expect(normalizeNamePart(once)).toBe(once);
      }),
    );
  });
});

describe('splitCredentials', () => {
  it.each([
    ['MD', ['MD']],
    ['M.D., Ph.D.', ['MD', 'PHD']],
    ['M. D.', ['MD']],
    ['MD/MPH; FACC', ['MD', 'MPH', 'FACC']],
    ['pa-c', ['PA-C']],
    ['MD, MD', ['MD']],
    ['Pharm.D., BCPS', ['PHARMD', 'BCPS']],
    ['', []],
  ])('splits %j into %j', (input, expected) => {
    expect(splitCredentials(input)).toEqual(expected);
  });
});

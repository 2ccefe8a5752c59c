import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeUsAddress, type RawUsAddress } from '../../../src/model/normalize/index.js';

const line1Of = (line1: string): string | undefined => normalizeUsAddress({ line1 }).line1;

describe('normalizeUsAddress', () => {
  it('standardizes a full address and moves the suite to line 2', () => {
    expect(
      normalizeUsAddress({ line1: '123 Main Street Suite 200', city: 'Boston', state: 'Massachusetts', zip: '02116-1234' }),
    ).toEqual({ line1: '123 MAIN ST', line2: 'STE 200', city: 'BOSTON', state: 'MA', zip5: '02116', zip4: '1234', issues: [] });
  });

  it.each([
    ['123 Oak Avenue', '123 OAK AVE'],
    ['9 Sunset Boulevard', '9 SUNSET BLVD'],
    ['40 Mill Road', '40 MILL RD'],
    ['7 Lake Shore Drive', '7 LAKE SHORE DR'],
    ['8 Cherry Lane', '8 CHERRY LN'],
    ['3 Elm Court', '3 ELM CT'],
    ['5 Astor Place', '5 ASTOR PL'],
    ['1 Garden State Parkway', '1 GARDEN STATE PKWY'],
    ['1200 Pacific Coast Highway', '1200 PACIFIC COAST HWY'],
    ['77 Dupont Circle', '77 DUPONT CIR'],
    ['15 Medical Center Expressway', '15 MEDICAL CENTER EXPY'],
    ['2 Washington Square', '2 WASHINGTON SQ'],
    ['600 Grand Concourse Terrace', '600 GRAND CONCOURSE TER'],
    ['1 Main St.', '1 MAIN ST'],
  ])('abbreviates the street suffix of %s', (input, expected) => {
    expect(line1Of(input)).toBe(expected);
  });

  it.each([
    ['123 North Main Street', '123 N MAIN ST'],
    ['123 Park Avenue South', '123 PARK AVE S'],
    ['500 Southwest Broadway', '500 SW BROADWAY'],
    ['10 Main Street Northeast', '10 MAIN ST NE'],
    ['123 North Street', '123 NORTH ST'],
    ['45 West Avenue', '45 WEST AVE'],
    ['12 Northwest Passage Way', '12 NW PASSAGE WAY'],
  ])('abbreviates directionals only in directional position: %s', (input, expected) => {
    expect(line1Of(input)).toBe(expected);
  });

  it('leaves a suffix word alone when it is the street name', () => {
    expect(line1Of('10 Avenue of the Americas')).toBe('10 AVENUE OF THE AMERICAS');
    expect(line1Of('100 Highway 50')).toBe('100 HIGHWAY 50');
  });

  it.each([
    ['123 Main St Suite 200', 'STE 200'],
    ['123 Main St Apartment 4B', 'APT 4B'],
    ['123 Main St Apt. #4B', 'APT 4B'],
    ['123 Main St #4B', '# 4B'],
    ['123 Main St Building C Room 101', 'BLDG C RM 101'],
    ['123 Main St, 2nd Floor', 'FL 2'],
    ['123 Main St Floor 3', 'FL 3'],
    ['123 Main St Unit 7', 'UNIT 7'],
    ['123 Main St Rear', 'REAR'],
    ['123 Broadway Ste 5', 'STE 5'],
  ])('moves the unit at the end of %s to line 2 as %s', (line1, line2) => {
    const address = normalizeUsAddress({ line1 });
    expect(address.line2).toBe(line2);
    expect(address.line1).toMatch(/^123 (MAIN ST|BROADWAY)$/);
  });

  it('keeps streets whose names contain unit words', () => {
    expect(normalizeUsAddress({ line1: '1 Unit Way' })).toEqual({ line1: '1 UNIT WAY', issues: [] });
    expect(normalizeUsAddress({ line1: '500 Ocean Front' })).toEqual({ line1: '500 OCEAN FRONT', issues: [] });
    expect(normalizeUsAddress({ line1: '39 Pier 5' })).toEqual({ line1: '39 PIER 5', issues: [] });
  });

  it('adds a moved unit after what line 2 already held, and standardizes line 2', () => {
    expect(normalizeUsAddress({ line1: '1 Main St Suite 3', line2: 'Medical Office Building' })).toMatchObject({
      line1: '1 MAIN ST',
      line2: 'MEDICAL OFFICE BUILDING STE 3',
    });
    expect(normalizeUsAddress({ line1: '1 Main St', line2: 'Suite 3' })).toMatchObject({ line2: 'STE 3' });
    expect(normalizeUsAddress({ line1: '1 Main St Suite 3', line2: 'Suite 3' })).toMatchObject({ line2: 'STE 3' });
  });

  it.each(['P.O. Box 12', 'POB 12', 'Post Office Box 12', 'P O BOX 12', 'po box 12', 'Box 12', 'PO Bx 12'])(
    'writes %s as PO BOX 12',
    (line1) => {
      expect(line1Of(line1)).toBe('PO BOX 12');
    },
  );

  it('swaps lines when line 1 holds the unit and line 2 the street', () => {
    expect(normalizeUsAddress({ line1: 'Suite 5', line2: '1 Medical Center Drive' })).toEqual({
      line1: '1 MEDICAL CENTER DR',
      line2: 'STE 5',
      issues: ['Address line 1 held the unit and line 2 the street, so they were swapped'],
    });
  });

  it('uses line 2 when line 1 is empty', () => {
    expect(normalizeUsAddress({ line1: ' ', line2: '9 Elm Street' })).toMatchObject({
      line1: '9 ELM ST',
      issues: ['Address line 1 was empty, so line 2 was used as line 1'],
    });
  });

  it('removes punctuation but keeps hyphenated numbers and fractions', () => {
    expect(line1Of("123-45 O'Hare Drive, ")).toBe('123-45 OHARE DR');
    expect(line1Of('12 1/2 Main Street')).toBe('12 1/2 MAIN ST');
  });

  it('records ZIP and state problems as issues and leaves those fields empty', () => {
    expect(normalizeUsAddress({ city: 'st. louis', state: 'Misery', zip: '6310' })).toEqual({
      city: 'ST LOUIS',
      zip5: '06310',
      issues: [
        'State "Misery" is not a USPS state, territory or military code: correct it (state left empty)',
        'ZIP code 6310 lost leading zeros (spreadsheet damage) and was restored as 06310',
      ],
    });
    expect(normalizeUsAddress({ zip: 'ABCDE' }).issues).toEqual([
      'ZIP code "ABCDE" is not 5 digits or ZIP+4: correct it or look it up with USPS (ZIP left empty)',
    ]);
  });

  it('returns only issues for an empty address', () => {
    expect(normalizeUsAddress({})).toEqual({ issues: [] });
  });

  it('is idempotent', () => {
    const word = fc.constantFrom(
      'Main', 'North', 'south', 'Street', 'Avenue', 'ave.', 'Suite', 'Apt', '#', '12', '4B', 'A', 'Floor', '2nd',
      'Park', 'Rear', 'Building', 'Box', 'P.O.', 'West', 'Broadway', 'Highway', 'Lane', 'Unit', 'Way', 'Front',
      'Circle', 'Post', 'Office', ',', '-', '1/2',
    );
    const line = fc.array(word, { maxLength: 8 }).map((words) => words.join(' '));
    const number = fc.option(fc.stringMatching(/^[1-9]\d{0,4}$/), { nil: '' });
    const address = fc.record<RawUsAddress>({
      line1: fc.tuple(number, line).map(([n, l]) => `${n} ${l}`),
      line2: line,
      city: fc.constantFrom('Boston', 'st. louis', 'Winston-Salem', ''),
      state: fc.constantFrom('ma', 'New York', 'ZZ', ''),
      zip: fc.constantFrom('02116', '2116', '021161234', 'x', ''),
    });
    fc.assert(
      fc.property(address, (raw) => {
        const once = normalizeUsAddress(raw);
        const zip = once.zip5 && [once.zip5, once.zip4].filter(Boolean).join('-');
        const again = normalizeUsAddress({ ...once, zip });
        expect({ ...again, issues: [] }).toEqual({ ...once, issues: [] });
      }),
      { numRuns: 20000 },
    );
  });
});

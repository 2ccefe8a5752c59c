import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getTransform, registerTransform, SUPPRESSED, unregisterTransform } from '../../../src/mapping/index.js';
import { compileYaml, runTransform } from './helpers.js';

const failed = (code: string) => expect.objectContaining({ ok: false, code });
const succeeded = (value: unknown) => expect.objectContaining({ ok: true, value });

describe('text transforms', () => {
  it('trim, upper, lower and collapse_spaces clean text', () => {
    expect(runTransform('trim', '  a b  ')).toBe('a b');
    expect(runTransform('upper', 'Main St')).toBe('MAIN ST');
    expect(runTransform('lower', 'J.Smith@X.COM')).toBe('j.smith@x.com');
    expect(runTransform('collapse_spaces', ' St   Mary  Hospital ')).toBe('St Mary Hospital');
  });

  it("title-cases names with apostrophes, hyphens and Mc", () => {
    expect(runTransform('title', "MARY-ANN O'BRIEN MCDONALD")).toBe("Mary-Ann O'Brien McDonald");
  });

  it('default fills only an empty value', () => {
    expect(runTransform('default', undefined, 'US')).toBe('US');
    expect(runTransform('default', 'CA', 'US')).toBe('CA');
  });

  it('replace applies a regular expression compiled once', () => {
    expect(runTransform('replace', 'Dr.', { pattern: '\\.', with: '' })).toBe('Dr');
    expect(() => runTransform('replace', 'x', { pattern: '(' })).toThrow();
  });

  it('split gives a list or one part', () => {
    expect(runTransform('split', 'MD; PhD ;', ';')).toEqual(['MD', 'PhD']);
    expect(runTransform('split', '123 Main St\nSuite 2', { separator: '\n', index: 1 })).toBe('Suite 2');
    expect(runTransform('split', 'a b c', { separator: ' ', index: -1 })).toBe('c');
  });

  it('first_non_empty falls back to other source fields', () => {
    expect(runTransform('first_non_empty', undefined, ['Nick', 'First'], { Nick: ' ', First: 'Robert' })).toBe('Robert');
    expect(runTransform('first_non_empty', 'Bob', ['First'], { First: 'Robert' })).toBe('Bob');
  });
});

describe('name transforms', () => {
  it('person_name keeps one part of a parsed full name', () => {
    expect(runTransform('person_name', 'SMITH, JOHN A MD', 'first')).toBe('John');
    expect(runTransform('person_name', 'SMITH, JOHN A MD', 'last')).toBe('Smith');
    expect(runTransform('person_name', 'SMITH, JOHN A MD', { part: 'credentials' })).toEqual(['MD']);
  });

  it('name_part normalizes one name part', () => {
    expect(runTransform('name_part', "o'neil")).toBe("O'Neil");
  });

  it('credentials splits credential text into codes', () => {
    expect(runTransform('credentials', 'M.D., Ph.D.')).toEqual(['MD', 'PHD']);
  });

  it('strip_credentials and name_credentials separate a last name from typed credentials', () => {
    expect(runTransform('strip_credentials', 'Smith MD')).toBe('Smith');
    expect(runTransform('strip_credentials', 'Do')).toBe('Do');
    expect(runTransform('name_credentials', 'Smith MD, PhD')).toEqual(['MD', 'PHD']);
  });

  it('suffix normalizes generational suffixes and rejects anything else', () => {
    expect(runTransform('suffix', 'Jr.')).toBe('JR');
    expect(runTransform('suffix', '3rd')).toBe('III');
    expect(runTransform('suffix', 'MD')).toEqual(failed('suffix.unknown'));
  });
});

describe('identifier transforms', () => {
  it('npi accepts a valid check digit and rejects a bad one with its reason', () => {
    expect(runTransform('npi', '1234567893')).toEqual(succeeded('1234567893'));
    expect(runTransform('npi', '1234567890')).toEqual(failed('npi.check_digit'));
  });

  it('dea warns when the name letter disagrees with the last name from the same row', () => {
    const result = runTransform('dea', 'AB1234563', { lastNameField: 'LastName' }, { LastName: 'Smith' }) as { ok: boolean; warnings?: string[] };
    expect(result).toEqual(succeeded('AB1234563'));
    expect(result.warnings?.[0]).toMatch(/name letter/);
    expect(runTransform('dea', 'AB1234567')).toEqual(failed('dea.check_digit'));
  });

  it('hin, gln, ndc, me_number and salesforce_id use the model validators', () => {
    expect(runTransform('hin', 'abc123456')).toEqual(expect.objectContaining({ ok: true }));
    expect(runTransform('gln', '123')).toEqual(expect.objectContaining({ ok: false }));
    expect(runTransform('ndc', '0002-1433-80')).toEqual(succeeded('00002143380'));
    expect(runTransform('me_number', '01234567890')).toEqual(succeeded('01234567890'));
    expect(runTransform('salesforce_id', 'not an id')).toEqual(expect.objectContaining({ ok: false }));
  });

  it('state_license keys the number on the state read from another field', () => {
    expect(runTransform('state_license', 'me68414', { stateField: 'State' }, { State: 'Massachusetts' })).toEqual(succeeded('ME68414'));
    expect(runTransform('state_license', 'N/A', { state: 'MA' })).toEqual(failed('license.placeholder'));
  });
});

describe('contact and address transforms', () => {
  it('phone gives E.164 and email lowercases', () => {
    expect(runTransform('phone', '(617) 253-1000')).toEqual(succeeded('+16172531000'));
    expect(runTransform('email', 'J.Smith@Example.COM')).toEqual(succeeded('j.smith@example.com'));
    expect(runTransform('email', 'not-an-email')).toEqual(expect.objectContaining({ ok: false }));
  });

  it('zip and state normalize US postal values', () => {
    expect(runTransform('zip', '021161234')).toEqual(succeeded('02116-1234'));
    expect(runTransform('zip', '021161234', 'zip4')).toEqual(succeeded('1234'));
    expect(runTransform('state', 'new york')).toEqual(succeeded('NY'));
  });

  it('us_address fills the normalized form of an address item from its raw form', () => {
    const result = runTransform('us_address', { type: 'practice', raw: { line1: '12 north main street suite 4', city: 'boston', state: 'ma', zip: '02116' } }) as {
      value: Record<string, unknown>;
    };
    expect(result.value).toMatchObject({ type: 'practice', city: 'BOSTON', state: 'MA', zip5: '02116' });
    expect(result.value.line1).toMatch(/^12 N MAIN ST/);
  });
});

describe('date and number transforms', () => {
  it('date reads MM/DD/YYYY, YYYYMMDD, ISO and Excel serials', () => {
    expect(runTransform('date', '05/31/2024', 'MM/DD/YYYY')).toEqual(succeeded('2024-05-31'));
    expect(runTransform('date', '20240503', 'YYYYMMDD')).toEqual(succeeded('2024-05-03'));
    expect(runTransform('date', '2024-05-31T10:00:00Z')).toEqual(succeeded('2024-05-31'));
    expect(runTransform('date', '45444', 'EXCEL')).toEqual(succeeded('2024-06-01'));
    expect(runTransform('date', '02/30/2024', 'MM/DD/YYYY')).toEqual(failed('date.format'));
  });

  it('datetime and year', () => {
    expect(runTransform('datetime', '2024-05-01T12:00:00.000Z')).toEqual(succeeded('2024-05-01T12:00:00.000Z'));
    expect(runTransform('datetime', '05/01/2024', 'MM/DD/YYYY')).toEqual(succeeded('2024-05-01T00:00:00.000Z'));
    expect(runTransform('year', '1965')).toEqual(succeeded(1965));
    expect(runTransform('year', '03/14/1971', 'MM/DD/YYYY')).toEqual(succeeded(1971));
  });

  it('number and integer read formatted numbers', () => {
    expect(runTransform('number', '1,234.50')).toEqual(succeeded(1234.5));
    expect(runTransform('number', '(45)')).toEqual(succeeded(-45));
    expect(runTransform('number', 'abc')).toEqual(failed('number.format'));
    expect(runTransform('integer', '51.7')).toEqual(failed('integer.fraction'));
  });

  it('boolean reads configurable truthy words', () => {
    expect(runTransform('boolean', 'Y')).toBe(true);
    expect(runTransform('boolean', 'false')).toBe(false);
    expect(runTransform('boolean', 'maybe')).toEqual(failed('boolean.unknown'));
    expect(runTransform('boolean', 'Oui', { true: ['oui'] })).toBe(true);
    expect(runTransform('boolean', 'Non', { true: ['oui'] })).toBe(false);
  });
});

describe('lookup, map and suppressed', () => {
  it('lookup translates through a reference table and reports a missing code', () => {
    expect(runTransform('lookup', '207rc0000x', { table: 'taxonomy-specialty', column: 'specialty' })).toBe('Cardiovascular Disease');
    expect(runTransform('lookup', 'California', 'us-state-names')).toBe('CA');
    expect(runTransform('lookup', 'XXX', 'ama-specialty')).toEqual(failed('lookup.not_found'));
    expect(runTransform('lookup', 'XXX', { table: 'ama-specialty', onMissing: 'keep' })).toBe('XXX');
    const list = runTransform('lookup', ['IM', 'XXX'], 'ama-specialty') as { value: unknown; warnings?: string[] };
    expect(list.value).toEqual(['Internal Medicine']);
    expect(list.warnings).toHaveLength(1);
  });

  it('map translates inline, null empties, unlisted values are issues', () => {
    const args = { true: 'opted_out', false: null };
    expect(runTransform('map', true, args)).toBe('opted_out');
    expect(runTransform('map', 'FALSE', args)).toBeUndefined();
    expect(runTransform('map', 'other', args)).toEqual(failed('map.unmapped'));
  });

  it('suppressed recognizes CMS markers in the value or a flag field', () => {
    expect(runTransform('suppressed', '*')).toBe(SUPPRESSED);
    expect(runTransform('suppressed', '', { flagField: 'Flag' }, { Flag: '#' })).toBe(SUPPRESSED);
    expect(runTransform('suppressed', '51.7')).toBe('51.7');
  });
});

describe('custom transforms', () => {
  it('registering a transform is one line and it is usable from YAML with checked arguments', () => {
    registerTransform('pad_left', (value, args) => String(value).padStart(args.length, '0'), z.strictObject({ length: z.number().int() }));
    try {
      expect(getTransform('pad_left')).toBeDefined();
      const mapping = compileYaml(`
source: { connector: t, stream: s }
id: Id
entities:
  - kind: hco
    fields:
      name: { from: Code, transforms: [{ pad_left: { length: 6 } }] }
`);
      expect(mapping.apply({ Id: '1', Code: '42' }).drafts[0]?.data).toMatchObject({ name: '000042' });
    } finally {
      unregisterTransform('pad_left');
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone } from '../../../src/model/identifiers/index.js';

describe('normalizePhone', () => {
  it.each([
    ['(617) 555-0123', '+16175550123'],
    ['617.555.0123', '+16175550123'],
    ['1-617-555-0123', '+16175550123'],
    ['+1 202 555 0143', '+12025550143'],
    [6175550123, '+16175550123'],
  ])('writes %s as E.164 %s', (input, expected) => {
    expect(normalizePhone(input)).toEqual({ ok: true, value: expected });
  });

  it('keeps an extension in RFC 3966 form', () => {
    expect(normalizePhone('617-555-0123 ext. 12')).toEqual({ ok: true, value: '+16175550123;ext=12' });
    expect(normalizePhone('(617) 555-0123 x12')).toEqual({ ok: true, value: '+16175550123;ext=12' });
  });

  it('reads a national number in the default country given', () => {
    expect(normalizePhone('020 7946 0958', 'GB')).toEqual({ ok: true, value: '+442079460958' });
  });

  it('rejects numbers that cannot exist', () => {
    expect(normalizePhone('555-123-4567')).toMatchObject({ ok: false, code: 'phone.invalid' });
    expect(normalizePhone('555-0100')).toMatchObject({ ok: false, code: 'phone.invalid' });
    expect(normalizePhone('call me')).toMatchObject({ ok: false, code: 'phone.format' });
  });

  it('reports an empty phone number', () => {
    expect(normalizePhone(null)).toMatchObject({ code: 'phone.missing' });
  });

  it('is idempotent, extension included', () => {
    const usNumber = fc
      .tuple(fc.stringMatching(/^[2-9]\d{2}$/), fc.stringMatching(/^\d{4}$/), fc.option(fc.integer({ min: 1, max: 9999 })))
      .map(([area, line, ext]) => `(${area}) 555-${line}${ext ? ` ext ${ext}` : ''}`);
    fc.assert(
      fc.property(usNumber, (phone) => {
        const once = normalizePhone(phone);
        if (once.ok) expect(normalizePhone(once.value)).toEqual(once);
      }),
    );
  });
});

describe('normalizeEmail', () => {
  it('trims and lowercases the whole address', () => {
    expect(normalizeEmail('  John.Smith@Example.ORG ')).toEqual({ ok: true, value: 'john.smith@example.org' });
  });

  it('drops a mailto: prefix', () => {
    expect(normalizeEmail('mailto:jsmith@clinic.com')).toEqual({ ok: true, value: 'jsmith@clinic.com' });
  });

  it.each(['j+rx@health-system.org', "o'neil@hospital.co.uk", 'a@b.io', 'x@xn--80ak6aa92e.com'])('accepts %s', (email) => {
    expect(normalizeEmail(email)).toEqual({ ok: true, value: email });
  });

  it.each([
    'john.smith',
    '@example.com',
    'john@',
    'john@@example.com',
    'john smith@example.com',
    'john..smith@example.com',
    '.john@example.com',
    'john.@example.com',
    'john@example',
    'john@-example.com',
    'john@example..com',
    'john@example.c',
    'john@exa_mple.com',
  ])('rejects %s', (email) => {
    expect(normalizeEmail(email)).toMatchObject({ ok: false, code: 'email.format' });
  });

  it('says so when one field holds several addresses', () => {
    expect(normalizeEmail('a@b.com; c@d.com')).toMatchObject({ ok: false, code: 'email.multiple' });
  });

  it('reports an empty address', () => {
    expect(normalizeEmail('')).toMatchObject({ code: 'email.missing' });
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const once = normalizeEmail(email.toUpperCase());
        if (once.ok) expect(normalizeEmail(once.value)).toEqual(once);
      }),
    );
  });
});

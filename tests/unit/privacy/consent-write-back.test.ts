import { describe, expect, it } from 'vitest';
import { consentsToCrmFields } from '../../../src/privacy/consent-write-back.js';

describe('golden consents as Veeva CRM fields for the write-back', () => {
  it('sets the email, call and PDRP opt-out fields of a physician who opted out, with the PDRP date', () => {
    expect(
      consentsToCrmFields([
        { channel: 'email', status: 'opted_out' },
        { channel: 'phone', status: 'opted_out' },
        { channel: 'pdrp', status: 'opted_out', date: '2025-03-01T00:00:00Z' },
      ]),
    ).toEqual({ PersonHasOptedOutOfEmail: true, PersonDoNotCall: true, PDRP_Opt_Out_vod__c: true, PDRP_Opt_Out_Date_vod__c: '2025-03-01' });
  });

  it('writes nothing for opt-ins and unknowns, so an opt-out a rep just entered in the CRM is never undone', () => {
    expect(consentsToCrmFields([{ channel: 'email', status: 'opted_in' }, { channel: 'pdrp', status: 'unknown' }, { channel: 'phone', status: 'opted_in' }])).toEqual({});
  });

  it('ignores channels without a CRM field, malformed items and anything that is not a list', () => {
    expect(consentsToCrmFields([{ channel: 'fax', status: 'opted_out' }, { channel: 'visit', status: 'opted_out' }, null, { status: 'opted_out' }])).toEqual({});
    expect(consentsToCrmFields(undefined)).toEqual({});
    expect(consentsToCrmFields({ channel: 'pdrp', status: 'opted_out' })).toEqual({});
    expect(consentsToCrmFields([{ channel: 'pdrp', status: 'opted_out', date: 'yesterday' }])).toEqual({ PDRP_Opt_Out_vod__c: true });
  });
});

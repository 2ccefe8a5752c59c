import type { Consent, ConsentChannel } from '../model/consent.js';

/**
 * The CRM fields a golden record's consents set on a Veeva CRM person account (FORMATS.md section 5), for the
 * Salesforce write-back to merge into the fields it upserts.
 *
 * Only opt-outs are written. An opt-out in the golden record (most restrictive of every member, so one source's
 * opt-out is enough) sets the field to true in every CRM record of the physician, including the records of other
 * orgs and of merged duplicates; a golden record without an opt-out leaves the CRM field alone rather than clearing
 * it, because an opt-out a rep just entered must not be undone by a hub that has not read it yet. Lifting an
 * opt-out is done in the CRM, by the person's own request, and flows back in on the next sync.
 */
export type CrmConsentFields = {
  PersonHasOptedOutOfEmail?: true;
  PersonDoNotCall?: true;
  PDRP_Opt_Out_vod__c?: true;
  PDRP_Opt_Out_Date_vod__c?: string;
};

/** Which CRM field each channel's opt-out sets. Fax, visit and mail have no standard Veeva field. */
export const CRM_OPT_OUT_FIELDS: Partial<Record<ConsentChannel, keyof CrmConsentFields>> = {
  email: 'PersonHasOptedOutOfEmail',
  phone: 'PersonDoNotCall',
  pdrp: 'PDRP_Opt_Out_vod__c',
};

/** `consents` is the golden value (`attributes.consents.value`): one consent per channel. */
export function consentsToCrmFields(consents: unknown): CrmConsentFields {
  const fields: CrmConsentFields = {};
  if (!Array.isArray(consents)) return fields;
  for (const c of consents as Array<Partial<Consent> | null>) {
    if (!c || c.status !== 'opted_out' || !c.channel) continue;
    const field = CRM_OPT_OUT_FIELDS[c.channel];
    if (!field) continue;
    fields[field as Exclude<keyof CrmConsentFields, 'PDRP_Opt_Out_Date_vod__c'>] = true;
    if (c.channel === 'pdrp' && typeof c.date === 'string' && /^\d{4}-\d{2}-\d{2}/.test(c.date)) fields.PDRP_Opt_Out_Date_vod__c = c.date.slice(0, 10);
  }
  return fields;
}

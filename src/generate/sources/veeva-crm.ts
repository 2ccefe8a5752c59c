/**
 * Veeva CRM: a flat CSV export of Account joined with its primary Address_vod__c, as a Data Loader or report export
 * would produce it. Physicians are Person Accounts (IsPersonAccount true); hospitals, clinics and pharmacies are
 * business accounts (IsPersonAccount false, Name set, person fields blank) and are what Primary_Parent_vod__c points
 * to. Values are quoted only when they must be (RFC 4180). Booleans are `true`/`false`, SystemModstamp is ISO 8601
 * UTC with milliseconds.
 *
 * Native habits (not corruptions): a CRM keeps a married physician under her former name (recorded `maiden-name`),
 * business accounts often lack an NPI (recorded `missing-npi`), ME number, DEA, license, ZIP+4, email and gender
 * are often blank. About 3% of physicians opted out of PDRP, 5% of email, 2% of calls.
 *
 * Ambiguous pairs (population.ts, AmbiguousKind): a duplicate kind's subject gets a second account (its own Id, no
 * NPI, ME, DEA, license or email; labels `trap:<kind>` and what differs), a distinct kind's partner is always in the
 * CRM with a thin account (labels `trap:<kind>`, `missing-npi`, ...).
 */
import { applyCorruptions, applyTypo, chooseCorruptions, PHONE_FORMATS, type CorruptionProfile, type RecordDraft } from '../corrupt.js';
import { fromDayNumber, isoTimestamp, toDayNumber } from '../dates.js';
import { makeSalesforceAccountId } from '../identifiers.js';
import { findNicknames } from '../nicknames.js';
import { isAmbiguousDuplicate, type AmbiguousKind, type Organization, type Physician, type Population } from '../population.js';
import { hashSeed, rngAt, type Rng } from '../random.js';
import {
  csvLineMinimal,
  renderRows,
  resolveSourceOptions,
  type SourceOptions,
  type SourceRenderer,
  type SourceRow,
} from './common.js';
import { Presence, rowKeys, organizationDraft, physicianDraft } from './render-helpers.js';

export const VEEVA_CRM_COLUMNS = [
  'Id',
  'IsPersonAccount',
  'Salutation',
  'FirstName',
  'Middle_vod__c',
  'LastName',
  'Suffix_vod__c',
  'Credentials_vod__c',
  'Name',
  'NPI_vod__c',
  'ME__c',
  'Specialty_1_vod__c',
  'Gender_vod__c',
  'PersonEmail',
  'Phone',
  'PersonDoNotCall',
  'PersonHasOptedOutOfEmail',
  'PDRP_Opt_Out_vod__c',
  'PDRP_Opt_Out_Date_vod__c',
  'Primary_Parent_vod__c',
  'Address_Line_1__c',
  'Address_line_2_vod__c',
  'City_vod__c',
  'State_vod__c',
  'Zip_vod__c',
  'Zip_4_vod__c',
  'DEA_vod__c',
  'License_vod__c',
  'SystemModstamp',
] as const;

export const VEEVA_CRM_FILE = 'veeva-crm.accounts.csv';
export const VEEVA_CRM_DEFAULT_COVERAGE = 0.85;

const PHYSICIAN_PROFILE: CorruptionProfile = {
  typo: 3,
  nickname: 2,
  'swapped-names': 0.4,
  'missing-npi': 2.5,
  'invalid-npi': 1,
  'moved-address': 1.5,
  'middle-abbreviated': 1,
  'middle-missing': 1.2,
  'suffix-dropped': 2,
  'credentials-in-last-name': 0.8,
  'case-noise': 1,
  'whitespace-noise': 1,
  'zip-leading-zero-lost': 4,
  'phone-format': 1.5,
};

const ORGANIZATION_PROFILE: CorruptionProfile = {
  typo: 2,
  'case-noise': 1,
  'whitespace-noise': 1,
  'missing-npi': 1,
  'zip-leading-zero-lost': 3,
  'phone-format': 1,
};

const SUFFIX_TEXT: Readonly<Record<string, string>> = { JR: 'Jr.', SR: 'Sr.', II: 'II', III: 'III' };
const nativePhone = PHONE_FORMATS[0] as (digits: string) => string;

export function createVeevaCrmRenderer(population: Population, options: SourceOptions = {}): SourceRenderer {
  const opts = resolveSourceOptions(population, 'veeva-crm', options, VEEVA_CRM_DEFAULT_COVERAGE);
  const presence = new Presence(opts.seed, opts.coverage);
  const keys = { ...rowKeys(opts.seed, 'veeva-crm'), duplicate: hashSeed(opts.seed, 'veeva-crm', 'hcp-duplicate') };
  const asOfDay = toDayNumber(population.asOf);
  const ctxFor = (rng: Rng) => ({ rng, population, formatPhone: nativePhone });
  const modstamp = (rng: Rng): string => isoTimestamp(asOfDay - 1 - rng.int(720), rng.int(86_400));

  return {
    source: 'veeva-crm',
    fileName: VEEVA_CRM_FILE,
    columns: VEEVA_CRM_COLUMNS,
    headerLine: csvLineMinimal(VEEVA_CRM_COLUMNS),
    formatLine: csvLineMinimal,

    organizationRows(o: Organization): readonly SourceRow[] {
      if (!presence.has('hco', o.index)) return [];
      const rng = rngAt(keys.hco, o.index);
      const draft = organizationDraft(o);
      const labels: string[] = [];
      if (rng.chance(0.4)) {
        draft.npi = '';
        labels.push('missing-npi');
      }
      const kinds = chooseCorruptions(rng, ORGANIZATION_PROFILE, draft, opts.corruptionRate);
      applyCorruptions(draft, kinds, 'content', ctxFor(rng), labels);
      draft.phone = nativePhone(draft.phone);
      applyCorruptions(draft, kinds, 'surface', ctxFor(rng), labels);
      const id = makeSalesforceAccountId(population.seed, 'hco', o.index);
      const values = [
        id, 'false', '', '', '', '', '', '', draft.name, draft.npi, '', '', '', '', draft.phone, '', '', '', '', '',
        draft.line1, draft.line2, draft.city, draft.state, draft.zip, rng.chance(0.5) ? draft.zip4 : '',
        o.dea !== '' && rng.chance(0.7) ? o.dea : '', '', modstamp(rng),
      ];
      return [{ source: 'veeva-crm', sourceId: id, entityId: o.entityId, entityType: 'hco', corruptions: labels, values }];
    },

    physicianRows(p: Physician): readonly SourceRow[] {
      const ambiguous = p.ambiguous;
      if (ambiguous?.role === 'partner' && !isAmbiguousDuplicate(ambiguous.kind)) return [partnerRow(p, ambiguous.kind)];
      const rows: SourceRow[] = [];
      if (presence.has('hcp', p.index)) rows.push(ordinaryRow(p));
      if (ambiguous?.role === 'subject' && isAmbiguousDuplicate(ambiguous.kind)) rows.push(secondAccountRow(p, ambiguous.kind, ambiguous.formerLastName));
      return rows;
    },
  };

  function ordinaryRow(p: Physician): SourceRow {
    const rng = rngAt(keys.hcp, p.index);
    const draft = physicianDraft(p);
    const labels: string[] = [];
    if (p.maidenName !== '') {
      draft.lastName = p.maidenName;
      labels.push('maiden-name');
    }
    const kinds = chooseCorruptions(rng, PHYSICIAN_PROFILE, draft, opts.corruptionRate);
    applyCorruptions(draft, kinds, 'content', ctxFor(rng), labels);
    draft.phone = nativePhone(draft.phone);
    applyCorruptions(draft, kinds, 'surface', ctxFor(rng), labels);
    const id = makeSalesforceAccountId(population.seed, 'hcp', p.index);
    const values = physicianValues(p, id, draft, rng, () => ({
      me: p.meNumber !== '' && rng.chance(0.75) ? p.meNumber : '',
      specialty: rng.chance(0.95) ? p.specialty.crmName : '',
      gender: rng.chance(0.95) ? p.gender : '',
      email: p.email !== '' && rng.chance(0.85) ? p.email : '',
    }));
    return { source: 'veeva-crm', sourceId: id, entityId: p.entityId, entityType: 'hcp', corruptions: labels, values };
  }

  /**
   * The second account of a duplicate ambiguous pair: created by another rep, or long ago, from a business card:
   * no NPI, ME, DEA, license or email, no parent account.
   */
  function secondAccountRow(p: Physician, kind: AmbiguousKind, formerLastName: string): SourceRow {
    const rng = rngAt(keys.duplicate, p.index);
    const draft = physicianDraft(p);
    const labels = [`trap:${kind}`, 'missing-npi'];
    draft.npi = '';
    switch (kind) {
      case 'nickname-moved': {
        const nicknames = findNicknames(p.firstName);
        const sameInitial = nicknames.filter((n) => n[0] === p.firstName[0]);
        draft.firstName = rng.pick(sameInitial.length > 0 ? sameInitial : nicknames);
        draft.middleName = '';
        const { address, phone } = population.drawAddressNearby(rng, p.address);
        Object.assign(draft, { line1: address.line1, line2: address.line2, city: address.city, state: address.state, zip: address.zip, zip4: address.zip4, phone });
        labels.push('nickname', 'middle-missing', 'moved-address');
        break;
      }
      case 'typo-no-npi': {
        const typo = rng.pick(['substitution', 'transposition', 'deletion', 'insertion'] as const);
        draft.lastName = applyTypo(draft.lastName, typo, rng);
        if (draft.middleName.length > 1) {
          draft.middleName = draft.middleName.slice(0, 1);
          labels.push('middle-abbreviated');
        }
        const { address, phone } = population.drawAddressNearby(rng, p.address);
        Object.assign(draft, { line1: address.line1, line2: address.line2, city: address.city, state: address.state, zip: address.zip, zip4: address.zip4, phone });
        labels.push(`typo-${typo}:last_name`, 'moved-address');
        break;
      }
      case 'swapped-no-npi':
        [draft.firstName, draft.lastName] = [draft.lastName, draft.firstName];
        draft.middleName = '';
        labels.push('swapped-names', 'middle-missing');
        draft.phone = '';
        break;
      case 'former-name':
        draft.lastName = formerLastName;
        labels.push('maiden-name');
        draft.phone = '';
        break;
      default:
        break;
    }
    draft.suffix = '';
    draft.phone = draft.phone === '' ? '' : nativePhone(draft.phone);
    const id = makeSalesforceAccountId(population.seed, 'hcp-duplicate', p.index);
    const values = physicianValues(p, id, draft, rng, () => ({ me: '', specialty: rng.chance(0.5) ? p.specialty.crmName : '', gender: rng.chance(0.5) ? p.gender : '', email: '' }), {
      dea: '',
      license: '',
      parent: false,
      ageDays: 900 + rng.int(1500),
    });
    return { source: 'veeva-crm', sourceId: id, entityId: p.entityId, entityType: 'hcp', corruptions: labels, values };
  }

  /**
   * The partner of a distinct ambiguous pair: a physician the CRM knows but the NPPES extract does not, his or her
   * account without an NPI, middle name or suffix. A twin still has an ME and DEA number and a license of his or
   * her own, a son (under his nickname) his ME and DEA numbers; a namesake's account holds only name, address, phone
   * and specialty.
   */
  function partnerRow(p: Physician, kind: AmbiguousKind): SourceRow {
    const rng = rngAt(keys.hcp, p.index);
    const draft = physicianDraft(p);
    const labels = [`trap:${kind}`, 'missing-npi'];
    draft.npi = '';
    if (draft.middleName !== '') labels.push('middle-missing');
    draft.middleName = '';
    if (draft.suffix !== '') labels.push('suffix-dropped');
    draft.suffix = '';
    draft.phone = nativePhone(draft.phone);
    if (kind === 'junior-senior') {
      // The son goes by a nickname, which is how the practice tells him from his father.
      const nicknames = findNicknames(draft.firstName);
      if (nicknames.length > 0) {
        draft.firstName = rng.pick(nicknames);
        labels.push('nickname');
      }
    }
    const thin = kind === 'namesake-specialty';
    const id = makeSalesforceAccountId(population.seed, 'hcp', p.index);
    const values = physicianValues(p, id, draft, rng, () => ({ me: thin ? '' : p.meNumber, specialty: p.specialty.crmName, gender: p.gender, email: '' }), {
      dea: thin ? '' : p.dea,
      license: thin || kind === 'junior-senior' ? '' : p.license.number,
      parent: !thin,
    });
    return { source: 'veeva-crm', sourceId: id, entityId: p.entityId, entityType: 'hcp', corruptions: labels, values };
  }

  function physicianValues(
    p: Physician,
    id: string,
    draft: RecordDraft,
    rng: Rng,
    /** Drawn after the salutation and PDRP flags, in the column order. */
    person: () => { me: string; specialty: string; gender: string; email: string },
    fixed?: { dea: string; license: string; parent: boolean; ageDays?: number },
  ): string[] {
    const doctor = p.credentials === 'MD' || p.credentials === 'DO';
    const salutation = doctor ? (rng.chance(0.8) ? 'Dr.' : '') : rng.chance(0.3) ? (p.gender === 'F' ? 'Ms.' : 'Mr.') : '';
    const pdrp = rng.chance(0.03);
    const pdrpDate = pdrp ? fromDayNumber(asOfDay - 30 - rng.int(1500)) : '';
    const parentPresent = (fixed?.parent ?? true) && presence.has('hco', p.organizationIndex);
    const { me, specialty, gender, email } = person();
    return [
      id,
      'true',
      salutation,
      draft.firstName,
      draft.middleName,
      draft.lastName,
      SUFFIX_TEXT[draft.suffix] ?? draft.suffix,
      draft.credentials,
      `${draft.firstName.trim()} ${draft.lastName.trim()}`,
      draft.npi,
      me,
      specialty,
      gender,
      email,
      draft.phone,
      rng.chance(0.02) ? 'true' : 'false',
      rng.chance(0.05) ? 'true' : 'false',
      pdrp ? 'true' : 'false',
      pdrpDate,
      parentPresent ? makeSalesforceAccountId(population.seed, 'hco', p.organizationIndex) : '',
      draft.line1,
      draft.line2,
      draft.city,
      draft.state,
      draft.zip,
      rng.chance(0.55) ? draft.zip4 : '',
      fixed ? fixed.dea : p.dea !== '' && rng.chance(0.65) ? p.dea : '',
      fixed ? fixed.license : rng.chance(0.75) ? p.license.number : '',
      fixed?.ageDays !== undefined ? isoTimestamp(asOfDay - fixed.ageDays, rng.int(86_400)) : modstamp(rng),
    ];
  }
}

/** The rows of a Veeva CRM account export of the population. */
export function renderVeevaCrm(population: Population, options: SourceOptions = {}): Generator<SourceRow> {
  return renderRows(population, createVeevaCrmRenderer(population, options));
}

/**
 * NPPES: an extract in the style of the CMS `npidata_pfile`, restricted to the columns listed in NPPES_COLUMNS (the
 * real file has about 330) and spelled exactly as NPPES spells them. Every value is double-quoted, names and
 * addresses are upper case, the practice-location postal code is ZIP+4 without a hyphen (sometimes just the five
 * digits), phones are ten bare digits, dates MM/DD/YYYY. Individuals are Entity Type Code 1, organizations 2.
 *
 * NPPES is the registry, so the NPI is always present and always valid, and it carries the current legal name. What
 * goes wrong is what goes wrong in the real file: stale practice locations (`moved-address`), the odd typo, a
 * middle name shortened or left out, a suffix not entered. Coverage below 1 models an extract (one state, one
 * taxonomy set) rather than a registry that lacks physicians. The subject of an ambiguous pair is always in the
 * extract; the partner of a distinct ambiguous pair (a physician the CRM knows without an NPI) never is.
 */
import { applyCorruptions, chooseCorruptions, type CorruptionProfile } from '../corrupt.js';
import { toUsDate } from '../dates.js';
import { isAmbiguousDuplicate, type Organization, type Physician, type Population } from '../population.js';
import { rngAt, type Rng } from '../random.js';
import { csvLineQuoted, renderRows, resolveSourceOptions, type SourceOptions, type SourceRenderer, type SourceRow } from './common.js';
import { Presence, rowKeys, organizationDraft, physicianDraft } from './render-helpers.js';

export const NPPES_COLUMNS = [
  'NPI',
  'Entity Type Code',
  'Replacement NPI',
  'Provider Organization Name (Legal Business Name)',
  'Provider Last Name (Legal Name)',
  'Provider First Name',
  'Provider Middle Name',
  'Provider Name Prefix Text',
  'Provider Name Suffix Text',
  'Provider Credential Text',
  'Provider First Line Business Practice Location Address',
  'Provider Second Line Business Practice Location Address',
  'Provider Business Practice Location Address City Name',
  'Provider Business Practice Location Address State Name',
  'Provider Business Practice Location Address Postal Code',
  'Provider Business Practice Location Address Telephone Number',
  'Provider Enumeration Date',
  'Last Update Date',
  'NPI Deactivation Date',
  'Provider Gender Code',
  'Healthcare Provider Taxonomy Code_1',
  'Provider License Number_1',
  'Provider License Number State Code_1',
  'Healthcare Provider Primary Taxonomy Switch_1',
] as const;

export const NPPES_FILE = 'nppes.npidata.csv';
export const NPPES_DEFAULT_COVERAGE = 0.9;

const PHYSICIAN_PROFILE: CorruptionProfile = {
  typo: 1,
  'moved-address': 3,
  'middle-abbreviated': 1,
  'middle-missing': 0.5,
  'suffix-dropped': 0.5,
};

const ORGANIZATION_PROFILE: CorruptionProfile = { typo: 1, 'moved-address': 0.5 };

const SUFFIX_TEXT: Readonly<Record<string, string>> = { JR: 'JR.', SR: 'SR.', II: 'II', III: 'III' };

/** Credential text is free text in NPPES: the same degree arrives punctuated several ways. */
const CREDENTIAL_TEXT: Readonly<Record<string, readonly string[]>> = {
  MD: ['M.D.', 'M.D.', 'MD', 'MD', 'M.D', 'M. D.'],
  DO: ['D.O.', 'DO', 'D.O'],
  NP: ['NP', 'APRN', 'FNP-C', 'APRN, FNP-BC', 'CRNP'],
  PA: ['PA-C', 'PA', 'P.A.-C'],
};

function upperDraftText(d: { firstName: string; middleName: string; lastName: string; name: string; line1: string; line2: string; city: string }): void {
  d.firstName = d.firstName.toUpperCase();
  d.middleName = d.middleName.toUpperCase();
  d.lastName = d.lastName.toUpperCase();
  d.name = d.name.toUpperCase();
  d.line1 = d.line1.toUpperCase();
  d.line2 = d.line2.toUpperCase();
  d.city = d.city.toUpperCase();
}

export function createNppesRenderer(population: Population, options: SourceOptions = {}): SourceRenderer {
  const opts = resolveSourceOptions(population, 'nppes', options, NPPES_DEFAULT_COVERAGE);
  const presence = new Presence(opts.seed, opts.coverage);
  const keys = rowKeys(opts.seed, 'nppes');
  const ctxFor = (rng: Rng) => ({ rng, population, formatPhone: (digits: string) => digits });
  const postal = (rng: Rng, zip: string, zip4: string): string => (zip4 !== '' && rng.chance(0.85) ? zip + zip4 : zip);

  return {
    source: 'nppes',
    fileName: NPPES_FILE,
    columns: NPPES_COLUMNS,
    headerLine: csvLineQuoted(NPPES_COLUMNS),
    formatLine: csvLineQuoted,

    organizationRows(o: Organization): readonly SourceRow[] {
      if (!presence.has('hco', o.index)) return [];
      const rng = rngAt(keys.hco, o.index);
      const draft = organizationDraft(o);
      const labels: string[] = [];
      const kinds = chooseCorruptions(rng, ORGANIZATION_PROFILE, draft, opts.corruptionRate);
      applyCorruptions(draft, kinds, 'content', ctxFor(rng), labels);
      upperDraftText(draft);
      const values = [
        o.npi, '2', '', draft.name, '', '', '', '', '', '',
        draft.line1, draft.line2, draft.city, draft.state, postal(rng, draft.zip, draft.zip4),
        rng.chance(0.9) ? draft.phone : '',
        toUsDate(o.enumerationDate), toUsDate(o.lastUpdateDate), '', '', o.taxonomy, '', '', 'Y',
      ];
      return [{ source: 'nppes', sourceId: o.npi, entityId: o.entityId, entityType: 'hco', corruptions: labels, values }];
    },

    physicianRows(p: Physician): readonly SourceRow[] {
      // The subject of an ambiguous pair is always in the extract; a distinct pair's partner never is.
      if (p.ambiguous?.role === 'partner' && !isAmbiguousDuplicate(p.ambiguous.kind)) return [];
      if (p.ambiguous?.role !== 'subject' && !presence.has('hcp', p.index)) return [];
      const rng = rngAt(keys.hcp, p.index);
      const draft = physicianDraft(p);
      const labels: string[] = [];
      const kinds = chooseCorruptions(rng, PHYSICIAN_PROFILE, draft, opts.corruptionRate);
      applyCorruptions(draft, kinds, 'content', ctxFor(rng), labels);
      upperDraftText(draft);
      const doctor = p.credentials === 'MD' || p.credentials === 'DO';
      const values = [
        p.npi,
        '1',
        '',
        '',
        draft.lastName,
        draft.firstName,
        draft.middleName,
        doctor && rng.chance(0.35) ? 'DR.' : '',
        SUFFIX_TEXT[draft.suffix] ?? draft.suffix,
        rng.pick(CREDENTIAL_TEXT[p.credentials] ?? [p.credentials]),
        draft.line1,
        draft.line2,
        draft.city,
        draft.state,
        postal(rng, draft.zip, draft.zip4),
        rng.chance(0.88) ? draft.phone : '',
        toUsDate(p.enumerationDate),
        toUsDate(p.lastUpdateDate),
        '',
        p.gender,
        p.specialty.taxonomy,
        p.license.number,
        p.license.state,
        'Y',
      ];
      return [{ source: 'nppes', sourceId: p.npi, entityId: p.entityId, entityType: 'hcp', corruptions: labels, values }];
    },
  };
}

/** The rows of an NPPES extract of the population. */
export function renderNppes(population: Population, options: SourceOptions = {}): Generator<SourceRow> {
  return renderRows(population, createNppesRenderer(population, options));
}

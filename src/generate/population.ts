/**
 * The true world the sources are rendered from: physicians (HCPs), organizations (HCOs) and primary affiliations.
 *
 * Organizations are few and built eagerly. Physicians are never stored: physicianAt(i) rebuilds physician i from
 * (seed, i) in a few microseconds, so a million-physician population costs the memory of its pools and
 * organizations only, and every source renderer sees exactly the same physician.
 *
 * Traps are placed deterministically: every block of 50 physicians holds, at a seeded offset, a father and son
 * (same first and last name, SR/JR, same practice address, different NPIs, born ~25-33 years apart), two different
 * people with the same common name practising in the same city, and a married physician whose sources disagree on
 * her last name (maidenName holds the name she was registered under before).
 *
 * Ambiguous pairs (`ambiguousRate`, off by default) are the pairs a data steward meets in the review queue: records
 * with too little evidence either way. Each takes two positions of a block, after the traps above: a subject and a
 * partner. For the duplicate kinds the CRM holds a second, thin account of the subject (no NPI, no ME or DEA
 * number) and the partner position is an ordinary physician; for the distinct kinds the partner is a second person
 * close to the subject, known only to the CRM and there without an NPI. See AmbiguousKind.
 */
import { makeDea, makeHinBase, makeLicenseNumber, makeMeNumber, makeNpi } from './identifiers.js';
import { fromDayNumber, toDayNumber } from './dates.js';
import { buildPools, type CityInfo, type Pools } from './pools.js';
import { NICKNAMES } from './nicknames.js';
import { hashPair, hashSeed, rngAt, rngFor, weightedTable, type Rng, type WeightedTable } from './random.js';
import {
  CLINIC_PATTERNS,
  COMMON_NAMES,
  HOSPITAL_PATTERNS,
  ORGANIZATION_TAXONOMIES,
  PHARMACY_PATTERNS,
  SAINT_NAMES,
  SPECIALTIES,
  STATES,
  type OrganizationKind,
  type Specialty,
} from './reference-data.js';

export interface Address {
  readonly line1: string;
  readonly line2: string;
  readonly city: string;
  /** USPS two-letter code. */
  readonly state: string;
  /** Five digits, leading zeros kept. */
  readonly zip: string;
  readonly zip4: string;
}

export type Gender = 'M' | 'F';
export type Credential = 'MD' | 'DO' | 'NP' | 'PA';
export type NameSuffix = '' | 'JR' | 'SR' | 'II' | 'III';
export type PhysicianTrap = '' | 'father' | 'son' | 'namesake' | 'married';

/**
 * Ambiguous pairs. The same physician twice (the CRM holds a second account of the subject, without NPI, ME, DEA,
 * license or email):
 * - `nickname-moved`: under a nickname of the same initial, at another practice address in the same town, with
 *   another phone and no middle name;
 * - `typo-no-npi`: with a keyboard slip in the surname and only the middle initial, at another practice address in
 *   the same town, with another phone;
 * - `swapped-no-npi`: first and last name transposed, at the same practice address, no phone (blocking finds it
 *   only through the address, and the matcher's swapped-name level usually decides it);
 * - `former-name`: an older account under her former (maiden) last name, same first and middle name, same practice
 *   address, no phone.
 * Two different physicians (the partner is known only to the CRM, with no NPI, and not in the NPPES extract):
 * - `junior-senior`: father and son in the same practice, same first and last name, the son's office in the same
 *   ZIP, his own phone and another specialty; the son's account has him under a nickname (Robert Sr. / Bob), no
 *   suffix, middle name or license, but his own ME and DEA numbers;
 * - `namesake-specialty`: the same first and last name in the same city (a ZIP of the same area), different
 *   specialties; the partner's account holds nothing but name, address, phone and specialty;
 * - `twins`: same last name, birth year and practice address and phone, different first names and specialties;
 *   the partner's account has no middle name, but his or her own ME and DEA numbers and license.
 */
export type AmbiguousKind = 'nickname-moved' | 'typo-no-npi' | 'swapped-no-npi' | 'former-name' | 'junior-senior' | 'namesake-specialty' | 'twins';
export const AMBIGUOUS_DUPLICATE_KINDS: readonly AmbiguousKind[] = ['nickname-moved', 'typo-no-npi', 'swapped-no-npi', 'former-name'];
export const AMBIGUOUS_DISTINCT_KINDS: readonly AmbiguousKind[] = ['junior-senior', 'namesake-specialty', 'twins'];

/** The kinds in the order the slots take them: about three duplicates for each pair of different people. */
const AMBIGUOUS_CYCLE: readonly AmbiguousKind[] = [
  'nickname-moved',
  'junior-senior',
  'former-name',
  'typo-no-npi',
  'twins',
  'nickname-moved',
  'swapped-no-npi',
  'former-name',
  'namesake-specialty',
  'typo-no-npi',
  'former-name',
];

export interface AmbiguousTrap {
  readonly kind: AmbiguousKind;
  /** The subject is rendered as usual; a duplicate kind adds its second CRM account, a distinct kind's partner is the other person. */
  readonly role: 'subject' | 'partner';
  /** The last name of the subject's older CRM account (`former-name`), else ''. */
  readonly formerLastName: string;
}

export function isAmbiguousDuplicate(kind: AmbiguousKind): boolean {
  return AMBIGUOUS_DUPLICATE_KINDS.includes(kind);
}

export interface Physician {
  /** Stable ground-truth id, e.g. HCP-0000042. */
  readonly entityId: string;
  readonly index: number;
  readonly firstName: string;
  readonly middleName: string;
  /** The current legal last name. */
  readonly lastName: string;
  /** The last name before marriage, '' unless trap is 'married'. */
  readonly maidenName: string;
  readonly suffix: NameSuffix;
  readonly credentials: Credential;
  readonly gender: Gender;
  readonly specialty: Specialty;
  readonly npi: string;
  /** '' when the physician holds no DEA registration. */
  readonly dea: string;
  /** AMA ME number; '' for nurse practitioners and physician assistants. */
  readonly meNumber: string;
  readonly license: { readonly state: string; readonly number: string };
  readonly address: Address;
  /** Ten digits. */
  readonly phone: string;
  /** '' when none is known. */
  readonly email: string;
  readonly birthYear: number;
  /** NPI enumeration date, YYYY-MM-DD. */
  readonly enumerationDate: string;
  /** Last update of the registry record, YYYY-MM-DD. */
  readonly lastUpdateDate: string;
  /** Primary affiliation. */
  readonly organizationIndex: number;
  readonly organizationId: string;
  readonly trap: PhysicianTrap;
  /** The other half of a father/son or namesake pair (or of a distinct ambiguous pair), else ''. */
  readonly relatedEntityId: string;
  /** The physician's part in an ambiguous pair, else null. */
  readonly ambiguous: AmbiguousTrap | null;
}

export interface Organization {
  /** Stable ground-truth id, e.g. HCO-00017. */
  readonly entityId: string;
  readonly index: number;
  readonly kind: OrganizationKind;
  readonly name: string;
  /** Type 2 NPI. */
  readonly npi: string;
  /** HIBCC HIN: 7-character facility base + 2-character location. */
  readonly hin: string;
  /** '' when the organization holds no DEA registration. */
  readonly dea: string;
  readonly taxonomy: string;
  readonly address: Address;
  readonly cityIndex: number;
  readonly phone: string;
  readonly enumerationDate: string;
  readonly lastUpdateDate: string;
}

export interface Affiliation {
  readonly physicianId: string;
  readonly organizationId: string;
  readonly primary: boolean;
}

export interface PopulationOptions {
  readonly seed: number;
  readonly physicians: number;
  /** Defaults to one organization per 15 physicians (at least 10). */
  readonly organizations?: number;
  /** The date the extracts are taken (YYYY-MM-DD); defaults to 2026-11-20, a Friday. */
  readonly asOf?: string;
  /**
   * Share of physicians in ambiguous pairs, 0..0.88 (default 0). Each pair takes two of the 50 positions of a block,
   * so the share is rounded to whole pairs per block: 0.16 gives 4 pairs in every block of 50.
   */
  readonly ambiguousRate?: number;
}

export interface Population {
  readonly seed: number;
  readonly asOf: string;
  readonly physicianCount: number;
  readonly organizationCount: number;
  /** The ambiguousRate the population was built with (after rounding to whole pairs per block). */
  readonly ambiguousRate: number;
  readonly organizations: readonly Organization[];
  physicianAt(index: number): Physician;
  physicians(): Generator<Physician>;
  affiliations(): Generator<Affiliation>;
  /** A plausible practice address in a different city (where a physician who moved now practises) and its phone. */
  drawAddressElsewhere(rng: Rng, notCity: string): { address: Address; phone: string };
  /** Another practice address in the same city (a ZIP with the same first three digits where the city has one) and its phone. */
  drawAddressNearby(rng: Rng, address: Address): { address: Address; phone: string };
}

export const DEFAULT_AS_OF = '2026-11-20';
export const TRAP_BLOCK_SIZE = 50;
const NPI_START_DAY = toDayNumber('2005-05-23');

export function generatePopulation(options: PopulationOptions): Population {
  return new SyntheticPopulation(options);
}

export function physicianEntityId(index: number): string {
  return `HCP-${String(index + 1).padStart(7, '0')}`;
}

export function organizationEntityId(index: number): string {
  return `HCO-${String(index + 1).padStart(6, '0')}`;
}

const SPECIALTY_TABLE = weightedTable(SPECIALTIES.map((s) => [s, s.weight] as const));
const PHYSICIAN_SPECIALTY_TABLE = weightedTable(SPECIALTIES.filter((s) => s.kind === 'physician').map((s) => [s, s.weight] as const));
const ORGANIZATION_KIND_TABLE = weightedTable<OrganizationKind>([
  ['hospital', 2],
  ['clinic', 5],
  ['pharmacy', 3],
]);
const STATE_CODES = STATES.map((s) => s.code);

class SyntheticPopulation implements Population {
  readonly seed: number;
  readonly asOf: string;
  readonly physicianCount: number;
  readonly organizationCount: number;
  readonly ambiguousRate: number;
  readonly organizations: readonly Organization[];
  private readonly pools: Pools;
  private readonly ambiguousPerBlock: number;
  private readonly ambiguousKey: number;
  private readonly asOfDay: number;
  /** Organization indices per pools.cities index. */
  private readonly organizationsByCity = new Map<number, number[]>();
  private readonly cityIndexByInfo: Map<CityInfo, number>;
  private readonly organizationCityTable: WeightedTable<number>;
  private readonly physicianKey: number;
  private readonly trapKey: number;

  constructor(options: PopulationOptions) {
    if (!Number.isInteger(options.physicians) || options.physicians < 0) {
      throw new RangeError(`physicians must be a non-negative integer, got ${options.physicians}`);
    }
    this.seed = options.seed >>> 0;
    this.asOf = options.asOf ?? DEFAULT_AS_OF;
    this.asOfDay = toDayNumber(this.asOf);
    this.physicianCount = options.physicians;
    this.organizationCount = options.organizations ?? Math.max(10, Math.round(options.physicians / 15));
    if (!Number.isInteger(this.organizationCount) || this.organizationCount < 1) {
      throw new RangeError(`organizations must be a positive integer, got ${this.organizationCount}`);
    }
    const ambiguousRate = options.ambiguousRate ?? 0;
    if (!(ambiguousRate >= 0 && ambiguousRate <= 0.88)) throw new RangeError(`ambiguousRate must be between 0 and 0.88, got ${ambiguousRate}`);
    this.ambiguousPerBlock = Math.round((ambiguousRate * TRAP_BLOCK_SIZE) / 2);
    this.ambiguousRate = (this.ambiguousPerBlock * 2) / TRAP_BLOCK_SIZE;
    this.ambiguousKey = hashSeed(this.seed, 'ambiguous');
    this.physicianKey = hashSeed(this.seed, 'hcp');
    this.trapKey = hashSeed(this.seed, 'trap-offset');
    this.pools = buildPools(this.seed);
    this.cityIndexByInfo = new Map(this.pools.cities.map((c, i) => [c, i]));
    this.organizationCityTable = this.buildOrganizationCityTable();
    const organizations: Organization[] = [];
    for (let j = 0; j < this.organizationCount; j++) organizations.push(this.buildOrganization(j, organizations));
    this.organizations = organizations;
  }

  *physicians(): Generator<Physician> {
    for (let i = 0; i < this.physicianCount; i++) yield this.physicianAt(i);
  }

  *affiliations(): Generator<Affiliation> {
    for (let i = 0; i < this.physicianCount; i++) {
      const p = this.physicianAt(i);
      yield { physicianId: p.entityId, organizationId: p.organizationId, primary: true };
    }
  }

  physicianAt(index: number): Physician {
    if (!Number.isInteger(index) || index < 0 || index >= this.physicianCount) {
      throw new RangeError(`No physician ${index}: the population has ${this.physicianCount}`);
    }
    switch (this.trapAt(index)) {
      case 'father':
        return this.buildFather(index);
      case 'son':
        return this.buildSon(index);
      case 'namesake':
        return this.buildNamesake(index);
      case 'married':
        return this.buildMarried(index);
      default: {
        const slot = this.ambiguousAt(index);
        return slot ? this.buildAmbiguous(index, slot) : this.buildOrdinary(index, rngAt(this.physicianKey, index), {});
      }
    }
  }

  drawAddressNearby(rng: Rng, address: Address): { address: Address; phone: string } {
    const city = this.cityOf(address);
    const near = city.zips.filter((z) => z.slice(0, 3) === address.zip.slice(0, 3));
    let moved = this.drawStreetAddress(rng, city, 0.4);
    for (let tries = 0; tries < 5 && moved.line1 === address.line1; tries++) moved = this.drawStreetAddress(rng, city, 0.4);
    return { address: { ...moved, zip: near.length > 0 ? rng.pick(near) : moved.zip }, phone: this.drawPhone(rng, city) };
  }

  drawAddressElsewhere(rng: Rng, notCity: string): { address: Address; phone: string } {
    let city = rng.pickWeighted(this.pools.cityTable);
    for (let tries = 0; tries < 5 && city.city === notCity; tries++) city = rng.pickWeighted(this.pools.cityTable);
    return { address: this.drawStreetAddress(rng, city, 0.4), phone: this.drawPhone(rng, city) };
  }

  /**
   * Which trap, if any, physician i plays. Block b of 50 holds father, son, namesake, namesake and married at
   * consecutive positions from a seeded offset; a block cut short by the end of the population holds no pairs.
   */
  private trapAt(index: number): PhysicianTrap {
    const block = Math.floor(index / TRAP_BLOCK_SIZE);
    const start = block * TRAP_BLOCK_SIZE + (hashPair(this.trapKey, block) % (TRAP_BLOCK_SIZE - 5));
    if (start + 4 >= this.physicianCount) return '';
    const position = index - start;
    if (position === 0) return 'father';
    if (position === 1) return 'son';
    if (position === 2 || position === 3) return 'namesake';
    if (position === 4) return 'married';
    return '';
  }

  /**
   * The ambiguous slot physician i fills, if any. Slot j of a block is the pair of positions 5 + 2j and 6 + 2j after
   * the block's trap offset (wrapping inside the block), so slots never take a father, son, namesake or married
   * position; a slot whose positions are not both in the population is left out.
   */
  private ambiguousAt(index: number): AmbiguousSlot | undefined {
    const k = this.ambiguousPerBlock;
    if (k === 0) return undefined;
    const block = Math.floor(index / TRAP_BLOCK_SIZE);
    const base = block * TRAP_BLOCK_SIZE;
    const offset = hashPair(this.trapKey, block) % (TRAP_BLOCK_SIZE - 5);
    const relative = (((index - base - offset - 5) % TRAP_BLOCK_SIZE) + TRAP_BLOCK_SIZE) % TRAP_BLOCK_SIZE;
    if (relative >= 2 * k) return undefined;
    const j = Math.floor(relative / 2);
    const subject = base + ((offset + 5 + 2 * j) % TRAP_BLOCK_SIZE);
    const partner = base + ((offset + 6 + 2 * j) % TRAP_BLOCK_SIZE);
    if (subject >= this.physicianCount || partner >= this.physicianCount) return undefined;
    const kind = AMBIGUOUS_CYCLE[(hashPair(this.ambiguousKey, 0) + block * k + j) % AMBIGUOUS_CYCLE.length] as AmbiguousKind;
    return { kind, role: index === subject ? 'subject' : 'partner', subject, partner };
  }

  private buildAmbiguous(index: number, slot: AmbiguousSlot): Physician {
    const rng = rngAt(this.physicianKey, index);
    const duplicate = isAmbiguousDuplicate(slot.kind);
    // A duplicate kind's partner position is an ordinary physician.
    if (duplicate && slot.role === 'partner') return this.buildOrdinary(index, rng, {});
    const ambiguous: AmbiguousTrap = { kind: slot.kind, role: slot.role, formerLastName: '' };
    const related = duplicate ? '' : physicianEntityId(slot.role === 'subject' ? slot.partner : slot.subject);
    switch (slot.kind) {
      case 'nickname-moved': {
        // A formal name with a nickname of the same initial (Robert -> Rob), so a search by last name and initial
        // still finds both accounts.
        const gender: Gender = rng.chance(0.56) ? 'M' : 'F';
        const names = NICKNAMES.filter((e) => e.gender === gender && e.nicknames.some((n) => n[0] === e.formal[0]));
        return this.buildOrdinary(index, rng, { gender, firstName: rng.pick(names).formal, ambiguous });
      }
      case 'former-name': {
        const p = this.buildOrdinary(index, rng, { gender: 'F', birthYear: rng.range(1962, 1994), ambiguous });
        let former = rng.pick(this.pools.lastNames);
        if (former === p.lastName) former = rng.pick(this.pools.lastNames);
        return { ...p, ambiguous: { ...ambiguous, formerLastName: former } };
      }
      case 'typo-no-npi':
      case 'swapped-no-npi':
        return this.buildOrdinary(index, rng, { ambiguous });
      case 'junior-senior': {
        const fatherRng = rngAt(this.physicianKey, slot.subject);
        const father = this.buildOrdinary(slot.subject, fatherRng, {
          gender: 'M',
          firstName: fatherRng.pick(NICKNAMES.filter((e) => e.gender === 'M')).formal,
          suffix: 'SR',
          physicianOnly: true,
          birthYear: fatherRng.range(1946, 1962),
          ambiguous: { ...ambiguous, role: 'subject' },
          relatedEntityId: physicianEntityId(slot.partner),
        });
        if (slot.role === 'subject') return father;
        // The son joined his father's practice: the same organization, his own office in the same ZIP, his own
        // line and another specialty.
        const city = this.cityOf(father.address);
        let office = this.drawStreetAddress(rng, city, 0.4);
        if (office.line1 === father.address.line1) office = this.drawStreetAddress(rng, city, 0.4);
        let son = this.buildJunior(index, rng, father, () => ({ address: { ...office, zip: father.address.zip }, phone: this.drawPhone(rng, city), ambiguous, relatedEntityId: related }));
        for (let tries = 0; tries < 5 && son.specialty === father.specialty; tries++) {
          son = { ...son, specialty: rng.pickWeighted(PHYSICIAN_SPECIALTY_TABLE) };
        }
        return son;
      }
      case 'namesake-specialty':
      case 'twins': {
        const subject = this.buildOrdinary(slot.subject, rngAt(this.physicianKey, slot.subject), {
          physicianOnly: true,
          ambiguous: { ...ambiguous, role: 'subject' },
          relatedEntityId: physicianEntityId(slot.partner),
        });
        if (slot.role === 'subject') return subject;
        if (slot.kind === 'twins') {
          const gender: Gender = rng.chance(0.5) ? subject.gender : subject.gender === 'M' ? 'F' : 'M';
          let firstName = rng.pick(gender === 'M' ? this.pools.maleFirstNames : this.pools.femaleFirstNames);
          if (firstName === subject.firstName) firstName = rng.pick(gender === 'M' ? this.pools.maleFirstNames : this.pools.femaleFirstNames);
          const twin = this.buildOrdinary(index, rng, {
            gender,
            firstName,
            lastName: subject.lastName,
            suffix: '',
            physicianOnly: true,
            birthYear: subject.birthYear,
            organizationIndex: subject.organizationIndex,
            address: subject.address,
            phone: subject.phone,
            ambiguous,
            relatedEntityId: related,
          });
          let other = twin;
          for (let tries = 0; tries < 5 && other.specialty === subject.specialty; tries++) other = { ...other, specialty: rng.pickWeighted(PHYSICIAN_SPECIALTY_TABLE) };
          return other;
        }
        const city = this.cityOf(subject.address);
        const local = this.organizationsByCity.get(this.cityIndexByInfo.get(city) ?? -1);
        const nearby = this.drawAddressNearby(rng, subject.address);
        let namesake = this.buildOrdinary(index, rng, {
          gender: subject.gender,
          firstName: subject.firstName,
          lastName: subject.lastName,
          suffix: '',
          physicianOnly: true,
          address: nearby.address,
          phone: nearby.phone,
          organizationIndex: local && local.length > 0 ? rng.pick(local) : subject.organizationIndex,
          ambiguous,
          relatedEntityId: related,
        });
        for (let tries = 0; tries < 5 && namesake.specialty === subject.specialty; tries++) {
          namesake = { ...namesake, specialty: rng.pickWeighted(PHYSICIAN_SPECIALTY_TABLE) };
        }
        return namesake;
      }
    }
  }

  private buildOrdinary(index: number, rng: Rng, force: OrdinaryOverrides): Physician {
    const { pools, seed } = this;
    const specialty = force.physicianOnly ? rng.pickWeighted(PHYSICIAN_SPECIALTY_TABLE) : rng.pickWeighted(SPECIALTY_TABLE);
    const credentials: Credential =
      specialty.kind === 'np' ? 'NP' : specialty.kind === 'pa' ? 'PA' : rng.chance(0.11) ? 'DO' : 'MD';
    const gender: Gender = force.gender ?? (rng.chance(0.56) ? 'M' : 'F');
    const firstPool = gender === 'M' ? pools.maleFirstNames : pools.femaleFirstNames;
    const firstName = force.firstName ?? rng.pick(firstPool);
    let middleName = rng.chance(0.82) ? rng.pick(firstPool) : '';
    if (middleName === firstName) middleName = rng.pick(firstPool);
    const lastName = force.lastName ?? rng.pick(pools.lastNames);
    const suffixRoll = rng.next();
    const suffix: NameSuffix = force.suffix ?? (suffixRoll < 0.006 ? 'JR' : suffixRoll < 0.009 ? 'III' : suffixRoll < 0.011 ? 'II' : '');
    const birthYear = force.birthYear ?? (credentials === 'NP' || credentials === 'PA' ? rng.range(1960, 1997) : rng.range(1950, 1994));

    const organizationIndex = force.organizationIndex ?? rng.int(this.organizationCount);
    const organization = this.organizations[organizationIndex] as Organization;
    let address: Address;
    let phone: string;
    if (force.address && force.phone) {
      address = force.address;
      phone = force.phone;
    } else {
      const orgCity = this.pools.cities[organization.cityIndex] as CityInfo;
      const roll = rng.next();
      if (force.city || roll < 0.82) {
        const city = force.city ?? orgCity;
        if (!force.city && rng.chance(0.45)) {
          // Practises at the organization's own address, often in a suite of its own.
          const a = organization.address;
          address = rng.chance(0.6) ? { ...a, line2: `Suite ${rng.range(1, 9)}${rng.digits(2)}` } : a;
          phone = rng.chance(0.5) ? organization.phone : this.drawPhone(rng, city);
        } else {
          address = this.drawStreetAddress(rng, city, 0.45);
          phone = this.drawPhone(rng, city);
        }
      } else {
        const city = rng.pickWeighted(this.pools.cityTable);
        address = this.drawStreetAddress(rng, city, 0.45);
        phone = this.drawPhone(rng, city);
      }
    }

    const maidenName = force.maidenName ?? '';
    const hasDea = credentials === 'MD' || credentials === 'DO' ? rng.chance(0.9) : rng.chance(0.6);
    // The DEA registration keeps the initial of the name it was issued under.
    const deaInitial = ((maidenName || lastName).replace(/[^A-Za-z]/g, '')[0] ?? 'X').toUpperCase();
    const registrant = credentials === 'NP' || credentials === 'PA' ? 'M' : birthYear < 1966 ? rng.pick(['A', 'B']) : rng.pick(['B', 'F']);
    const dea = hasDea ? makeDea(seed, 'hcp', index, registrant, deaInitial) : '';
    const meNumber = credentials === 'MD' || credentials === 'DO' ? makeMeNumber(seed, index, birthYear + 26) : '';
    const licenseState = rng.chance(0.92) ? address.state : rng.pick(STATE_CODES);
    const license = { state: licenseState, number: makeLicenseNumber(seed, index, licenseState, credentials) };
    const email = rng.chance(0.8) ? drawEmail(rng, firstName, lastName) : '';

    const earliest = Math.max(NPI_START_DAY, toDayNumber(`${birthYear + 28}-07-01`));
    const latest = this.asOfDay - 60;
    const enumerationDay = Math.min(latest, earliest + rng.int(earliest === NPI_START_DAY ? 1100 : 700));
    const lastUpdateDay = enumerationDay + rng.int(Math.max(1, this.asOfDay - 30 - enumerationDay));

    return {
      entityId: physicianEntityId(index),
      index,
      firstName,
      middleName,
      lastName,
      maidenName,
      suffix,
      credentials,
      gender,
      specialty,
      npi: makeNpi(seed, 'hcp', index),
      dea,
      meNumber,
      license,
      address,
      phone,
      email,
      birthYear,
      enumerationDate: fromDayNumber(enumerationDay),
      lastUpdateDate: fromDayNumber(lastUpdateDay),
      organizationIndex,
      organizationId: organization.entityId,
      trap: force.trap ?? '',
      relatedEntityId: force.relatedEntityId ?? '',
      ambiguous: force.ambiguous ?? null,
    };
  }

  private buildFather(index: number): Physician {
    const rng = rngAt(this.physicianKey, index);
    return this.buildOrdinary(index, rng, {
      gender: 'M',
      suffix: 'SR',
      physicianOnly: true,
      birthYear: rng.range(1946, 1962),
      trap: 'father',
      relatedEntityId: physicianEntityId(index + 1),
    });
  }

  /**
   * A father's namesake son ("JR"), 25 to 33 years younger, in the father's organization. `place` says where he
   * works; it is drawn after his birth year, so the draws keep their order.
   */
  private buildJunior(index: number, rng: Rng, father: Physician, place: () => Pick<OrdinaryOverrides, 'address' | 'phone' | 'trap' | 'ambiguous' | 'relatedEntityId'>): Physician {
    const birthYear = father.birthYear + rng.range(25, 33);
    return this.buildOrdinary(index, rng, {
      gender: 'M',
      firstName: father.firstName,
      lastName: father.lastName,
      suffix: 'JR',
      physicianOnly: true,
      birthYear,
      organizationIndex: father.organizationIndex,
      ...place(),
    });
  }

  private buildSon(index: number): Physician {
    const father = this.buildFather(index - 1);
    const rng = rngAt(this.physicianKey, index);
    const son = this.buildJunior(index, rng, father, () => ({
      address: father.address,
      phone: rng.chance(0.7) ? father.phone : this.drawPhone(rng, this.cityOf(father.address)),
      trap: 'son',
      relatedEntityId: father.entityId,
    }));
    // Sons often follow their father's specialty, which makes the pair harder to tell apart.
    return rng.chance(0.5) ? { ...son, specialty: father.specialty } : son;
  }

  private buildNamesake(index: number): Physician {
    const isSecond = this.trapAt(index - 1) === 'namesake';
    const firstIndex = isSecond ? index - 1 : index;
    const nameRng = rngFor(this.seed, 'namesake', firstIndex);
    const [firstName, lastName, gender] = nameRng.pick(COMMON_NAMES);
    const rng = rngAt(this.physicianKey, index);
    const related = physicianEntityId(isSecond ? index - 1 : index + 1);
    if (!isSecond) {
      return this.buildOrdinary(index, rng, { firstName, lastName, gender, suffix: '', trap: 'namesake', relatedEntityId: related });
    }
    const first = this.buildNamesake(firstIndex);
    const cityIndex = this.cityIndexByInfo.get(this.cityOf(first.address)) ?? 0;
    const local = this.organizationsByCity.get(cityIndex);
    const organizationIndex = local && local.length > 0 ? rng.pick(local) : first.organizationIndex;
    let second = this.buildOrdinary(index, rng, {
      firstName,
      lastName,
      gender,
      suffix: '',
      city: this.cityOf(first.address),
      organizationIndex,
      trap: 'namesake',
      relatedEntityId: related,
    });
    if (second.specialty === first.specialty) {
      second = { ...second, specialty: rng.pickWeighted(PHYSICIAN_SPECIALTY_TABLE) };
    }
    return second;
  }

  private buildMarried(index: number): Physician {
    const rng = rngAt(this.physicianKey, index);
    const maidenName = rng.pick(this.pools.lastNames);
    let marriedName = rng.pick(this.pools.lastNames);
    if (marriedName === maidenName) marriedName = rng.pick(this.pools.lastNames);
    return this.buildOrdinary(index, rng, {
      gender: 'F',
      lastName: marriedName,
      maidenName,
      birthYear: rng.range(1962, 1994),
      trap: 'married',
    });
  }

  private cityOf(address: Address): CityInfo {
    const found = this.pools.cities.find((c) => c.city === address.city && c.state.code === address.state);
    if (!found) throw new Error(`Unknown city ${address.city}, ${address.state}`);
    return found;
  }

  private buildOrganizationCityTable(): WeightedTable<number> {
    return weightedTable(this.pools.cityTable.items.map((city, i) => {
      const previous = i === 0 ? 0 : (this.pools.cityTable.cumulative[i - 1] as number);
      return [this.cityIndexByInfo.get(city) as number, (this.pools.cityTable.cumulative[i] as number) - previous] as const;
    }));
  }

  private buildOrganization(index: number, built: readonly Organization[]): Organization {
    const { seed } = this;
    const rng = rngFor(seed, 'hco', index);
    const kind = rng.pickWeighted(ORGANIZATION_KIND_TABLE);
    const cityIndex = rng.pickWeighted(this.organizationCityTable);
    const city = this.pools.cities[cityIndex] as CityInfo;
    const name = drawOrganizationName(rng, kind, city.city, this.pools);
    const address = this.drawStreetAddress(rng, city, kind === 'clinic' ? 0.4 : 0.05);
    const local = this.organizationsByCity.get(cityIndex) ?? [];
    // A quarter of clinics are sites of a hospital in the same city: same HIN base, another location suffix.
    const parentHospital = kind === 'clinic' && rng.chance(0.25) ? local.map((j) => built[j] as Organization).find((o) => o.kind === 'hospital') : undefined;
    const hin = parentHospital ? parentHospital.hin.slice(0, 7) + String(rng.range(1, 99)).padStart(2, '0') : makeHinBase(seed, index) + '00';
    const hasDea = kind === 'clinic' ? rng.chance(0.4) : rng.chance(0.97);
    const nameInitial = name.replace(/[^A-Za-z]/g, '')[0]?.toUpperCase() ?? '9';
    const deaLetter = rng.chance(0.3) ? '9' : nameInitial;
    const registrant = kind === 'pharmacy' ? rng.pick(['A', 'B', 'F']) : 'B';
    const enumerationDay = NPI_START_DAY + rng.int(Math.max(1, this.asOfDay - 400 - NPI_START_DAY));
    const organization: Organization = {
      entityId: organizationEntityId(index),
      index,
      kind,
      name,
      npi: makeNpi(seed, 'hco', index),
      hin,
      dea: hasDea ? makeDea(seed, 'hco', index, registrant, deaLetter) : '',
      taxonomy: rng.pick(ORGANIZATION_TAXONOMIES[kind]),
      address,
      cityIndex,
      phone: this.drawPhone(rng, city),
      enumerationDate: fromDayNumber(enumerationDay),
      lastUpdateDate: fromDayNumber(enumerationDay + rng.int(Math.max(1, this.asOfDay - 30 - enumerationDay))),
    };
    local.push(index);
    this.organizationsByCity.set(cityIndex, local);
    return organization;
  }

  private drawStreetAddress(rng: Rng, city: CityInfo, line2Chance: number): Address {
    const number = rng.chance(0.7) ? rng.range(100, 9999) : rng.range(1, 99);
    const line2 = rng.chance(line2Chance) ? (rng.chance(0.85) ? `Suite ${rng.range(1, 9)}${rng.digits(2)}` : `Building ${rng.range(1, 12)}`) : '';
    return {
      line1: `${number} ${rng.pick(this.pools.streets)}`,
      line2,
      city: city.city,
      state: city.state.code,
      zip: rng.pick(city.zips),
      zip4: rng.digits(4),
    };
  }

  private drawPhone(rng: Rng, city: CityInfo): string {
    return rng.pick(city.areaCodes) + String(rng.range(2, 9)) + rng.digits(2) + rng.digits(4);
  }
}

interface OrdinaryOverrides {
  readonly firstName?: string;
  readonly lastName?: string;
  readonly maidenName?: string;
  readonly gender?: Gender;
  readonly suffix?: NameSuffix;
  readonly birthYear?: number;
  readonly physicianOnly?: boolean;
  readonly organizationIndex?: number;
  readonly city?: CityInfo;
  readonly address?: Address;
  readonly phone?: string;
  readonly trap?: PhysicianTrap;
  readonly relatedEntityId?: string;
  readonly ambiguous?: AmbiguousTrap;
}

interface AmbiguousSlot {
  readonly kind: AmbiguousKind;
  readonly role: 'subject' | 'partner';
  readonly subject: number;
  readonly partner: number;
}

const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'];

/** Emails use the reserved example.* domains so that no generated address can reach a real person. */
function drawEmail(rng: Rng, firstName: string, lastName: string): string {
  const first = firstName.toLowerCase().replace(/[^a-z]/g, '');
  const last = lastName.toLowerCase().replace(/[^a-z]/g, '');
  const domain = rng.pick(EMAIL_DOMAINS);
  switch (rng.int(4)) {
    case 0:
      return `${first}.${last}@${domain}`;
    case 1:
      return `${first[0] ?? 'x'}${last}@${domain}`;
    case 2:
      return `dr${last}${rng.range(1, 99)}@${domain}`;
    default:
      return `${first}${last[0] ?? ''}${rng.range(10, 999)}@${domain}`;
  }
}

function drawOrganizationName(rng: Rng, kind: OrganizationKind, city: string, pools: Pools): string {
  const patterns = kind === 'hospital' ? HOSPITAL_PATTERNS : kind === 'clinic' ? CLINIC_PATTERNS : PHARMACY_PATTERNS;
  return rng
    .pick(patterns)
    .replace('{city}', city)
    .replace('{saint}', rng.pick(SAINT_NAMES))
    .replace('{last}', rng.pick(pools.lastNames))
    .replace('{last2}', rng.pick(pools.lastNames))
    .replace('{num}', String(rng.range(1000, 19999)).padStart(5, '0'));
}

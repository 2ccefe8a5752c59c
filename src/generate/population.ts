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
 */
import { makeDea, makeHinBase, makeLicenseNumber, makeMeNumber, makeNpi } from './identifiers.js';
import { fromDayNumber, toDayNumber } from './dates.js';
import { buildPools, type CityInfo, type Pools } from './pools.js';
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
  /** The other half of a father/son or namesake pair, else ''. */
  readonly relatedEntityId: string;
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
}

export interface Population {
  readonly seed: number;
  readonly asOf: string;
  readonly physicianCount: number;
  readonly organizationCount: number;
  readonly organizations: readonly Organization[];
  physicianAt(index: number): Physician;
  physicians(): Generator<Physician>;
  affiliations(): Generator<Affiliation>;
  /** A plausible practice address in a different city (where a physician who moved now practises) and its phone. */
  drawAddressElsewhere(rng: Rng, notCity: string): { address: Address; phone: string };
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
  readonly organizations: readonly Organization[];
  private readonly pools: Pools;
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
      default:
        return this.buildOrdinary(index, rngAt(this.physicianKey, index), {});
    }
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

  private buildSon(index: number): Physician {
    const father = this.buildFather(index - 1);
    const rng = rngAt(this.physicianKey, index);
    const son = this.buildOrdinary(index, rng, {
      gender: 'M',
      firstName: father.firstName,
      lastName: father.lastName,
      suffix: 'JR',
      physicianOnly: true,
      birthYear: father.birthYear + rng.range(25, 33),
      organizationIndex: father.organizationIndex,
      address: father.address,
      phone: rng.chance(0.7) ? father.phone : this.drawPhone(rng, this.cityOf(father.address)),
      trap: 'son',
      relatedEntityId: father.entityId,
    });
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

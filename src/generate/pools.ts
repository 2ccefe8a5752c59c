/**
 * Pools of names, streets and places drawn from faker once per seed. Faker is far too slow to call a million times
 * in the hot loop, so the generator calls it a few thousand times here and afterwards only indexes these arrays with
 * its own seeded PRNG.
 */
// Per-locale entry points: the package index loads every locale (~120 ms, ~30 MB more per thread).
import { faker as fakerEnIn } from '@faker-js/faker/locale/en_IN';
import { faker as fakerEnUs } from '@faker-js/faker/locale/en_US';
import { faker as fakerEsEs } from '@faker-js/faker/locale/es';
import { NICKNAMES } from './nicknames.js';
import { STATES, STREET_SUFFIX_ABBREVIATIONS, type StateInfo } from './reference-data.js';
import { Rng, hashSeed, weightedTable, type WeightedTable } from './random.js';

export interface CityInfo {
  readonly city: string;
  readonly state: StateInfo;
  readonly zips: readonly string[];
  readonly areaCodes: readonly string[];
}

export interface Pools {
  readonly maleFirstNames: readonly string[];
  readonly femaleFirstNames: readonly string[];
  readonly lastNames: readonly string[];
  readonly streets: readonly string[];
  readonly cities: readonly CityInfo[];
  /** Cities weighted by state population, big cities of a state first. */
  readonly cityTable: WeightedTable<CityInfo>;
}

const POOL_SIZE_FIRST = 3000;
const POOL_SIZE_LAST = 8000;
const POOL_SIZE_STREETS = 4000;

/** Folds accents so that every generated name is plain ASCII, as most US source systems store it. */
export function toAscii(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z' -]/g, '');
}

export function buildPools(seed: number): Pools {
  // These are shared module instances: seeding and drawing happen synchronously here, so nothing interleaves.
  const fakerUs = fakerEnUs;
  const fakerEs = fakerEsEs;
  const fakerIn = fakerEnIn;
  fakerUs.seed(hashSeed(seed, 'faker-us'));
  fakerEs.seed(hashSeed(seed, 'faker-es'));
  fakerIn.seed(hashSeed(seed, 'faker-in'));
  const rng = new Rng(hashSeed(seed, 'pools'));

  const formal = { M: NICKNAMES.filter((n) => n.gender === 'M').map((n) => n.formal), F: NICKNAMES.filter((n) => n.gender === 'F').map((n) => n.formal) };
  const firstNames = (sex: 'male' | 'female', formalNames: readonly string[]): string[] => {
    const out: string[] = [];
    for (let i = 0; i < POOL_SIZE_FIRST; i++) {
      const x = rng.next();
      // A third from the nickname table (common formal names), the rest from faker's US, Spanish and Indian lists.
      let name: string;
      if (x < 0.33) name = rng.pick(formalNames);
      else if (x < 0.82) name = fakerUs.person.firstName(sex);
      else if (x < 0.92) name = fakerEs.person.firstName(sex);
      else name = fakerIn.person.firstName(sex);
      name = toAscii(name).replace(/[ ']/g, '');
      if (name.length >= 2) out.push(name);
    }
    return out;
  };
  const maleFirstNames = firstNames('male', formal.M);
  const femaleFirstNames = firstNames('female', formal.F);

  const lastNames: string[] = [];
  for (let i = 0; i < POOL_SIZE_LAST; i++) {
    const x = rng.next();
    let name: string;
    if (x < 0.78) name = fakerUs.person.lastName();
    else if (x < 0.9) name = fakerEs.person.lastName();
    else name = fakerIn.person.lastName();
    name = toAscii(name).trim();
    // Keep double-barrelled names rare: a space in a last name is a matching problem of its own.
    if (name.includes(' ') && !rng.chance(0.1)) name = name.split(' ')[0] ?? name;
    if (name.length >= 2) lastNames.push(name);
  }

  const suffixes = Object.keys(STREET_SUFFIX_ABBREVIATIONS);
  const streetNames = fakerUs.definitions.location.street_name ?? [];
  const streets: string[] = [];
  for (let i = 0; i < POOL_SIZE_STREETS; i++) {
    let street = streetNames.length > 0 && rng.chance(0.7) ? rng.pick(streetNames) : `${toAscii(fakerUs.person.lastName())} ${rng.pick(suffixes)}`;
    if (!/^(N|S|E|W|North|South|East|West) /.test(street) && rng.chance(0.12)) street = `${rng.pick(['North', 'South', 'East', 'West'])} ${street}`;
    streets.push(street);
  }

  const cities: CityInfo[] = [];
  const weighted: Array<[CityInfo, number]> = [];
  for (const state of STATES) {
    const harmonic = state.cities.reduce((sum, _c, i) => sum + 1 / (i + 1), 0);
    state.cities.forEach((city, i) => {
      const [lo, hi] = rng.pick(state.zip3);
      const zip3 = String(rng.range(lo, hi)).padStart(3, '0');
      const zipCount = rng.range(2, 5);
      const zips: string[] = [];
      for (let z = 0; z < zipCount; z++) zips.push(zip3 + rng.digits(2));
      // Each city gets one or two of its state's area codes, so phones and addresses agree.
      const areaCodes = [rng.pick(state.areaCodes), rng.pick(state.areaCodes)];
      const info: CityInfo = { city, state, zips, areaCodes };
      cities.push(info);
      weighted.push([info, (state.weight * (1 / (i + 1))) / harmonic]);
    });
  }
  return { maleFirstNames, femaleFirstNames, lastNames, streets, cities, cityTable: weightedTable(weighted) };
}

/**
 * Identifier factories. Each turns an entity index into an identifier through a keyed bijection (random-looking,
 * never colliding) and finishes it with the real check digit from src/model/identifiers, so that the generator and
 * the validators cannot drift apart.
 */
import { computeDeaCheckDigit } from '../model/identifiers/dea.js';
import { computeNpiCheckDigit } from '../model/identifiers/npi.js';
import { hashPair, hashSeed, permuteBits, permuteDecimal } from './random.js';

/** Per-seed keys of the bijections, hashed once instead of once per identifier. */
interface Keys {
  readonly npi: number;
  readonly npiPrefix: number;
  readonly dea: number;
  readonly me: number;
  readonly hin: number;
  readonly hinLetter: number;
  readonly sfid: number;
  readonly prescriber: number;
  readonly tx: number;
  readonly license: Map<string, number>;
}

const keyCache = new Map<number, Keys>();

function keysFor(seed: number): Keys {
  let keys = keyCache.get(seed);
  if (!keys) {
    keys = {
      npi: hashSeed(seed, 'npi'),
      npiPrefix: hashSeed(seed, 'npi-prefix'),
      dea: hashSeed(seed, 'dea'),
      me: hashSeed(seed, 'me'),
      hin: hashSeed(seed, 'hin'),
      hinLetter: hashSeed(seed, 'hin-letter'),
      sfid: hashSeed(seed, 'sfid'),
      prescriber: hashSeed(seed, 'prescriber'),
      tx: hashSeed(seed, 'tx'),
      license: new Map(),
    };
    if (keyCache.size > 16) keyCache.clear();
    keyCache.set(seed, keys);
  }
  return keys;
}

function licenseKey(seed: number, state: string): number {
  const keys = keysFor(seed);
  let key = keys.license.get(state);
  if (key === undefined) {
    key = hashSeed(seed, 'license', state);
    keys.license.set(state, key);
  }
  return key;
}

/** Physicians take NPI bodies [0, 5e7), organizations [5e7, 1e8): the two sets can never share a number. */
const NPI_ORGANIZATION_OFFSET = 50_000_000;

export function makeNpi(seed: number, kind: 'hcp' | 'hco', index: number): string {
  const x = kind === 'hcp' ? index : NPI_ORGANIZATION_OFFSET + index;
  const keys = keysFor(seed);
  const body = String(permuteDecimal(x % 100_000_000, 4, keys.npi)).padStart(8, '0');
  // NPPES hands out numbers starting with 1 and, more recently, 2.
  const prefix = hashPair(keys.npiPrefix, x) % 5 === 0 ? '2' : '1';
  const first9 = prefix + body;
  return first9 + String(computeNpiCheckDigit(first9));
}

/**
 * DEA registration number. `registrant` is the first letter (A, B, F, G practitioners and institutions, M mid-level
 * practitioners); `nameLetter` the last-name initial, business-name initial or 9.
 */
export function makeDea(seed: number, kind: 'hcp' | 'hco', index: number, registrant: string, nameLetter: string): string {
  // Practitioners use [0, 900000), organizations [900000, 1000000) of the 6-digit space.
  const x = kind === 'hcp' ? index % 900_000 : 900_000 + (index % 100_000);
  const digits6 = String(permuteDecimal(x, 3, keysFor(seed).dea)).padStart(6, '0');
  return registrant + nameLetter + digits6 + String(computeDeaCheckDigit(digits6));
}

/**
 * AMA Medical Education number, 11 digits: 5 of school code, 2 of graduation year, 3 of sequence, 1 check digit.
 * The school code and sequence come from one 8-digit bijection, so two physicians never share a number. Leading
 * zeros occur on purpose: spreadsheets lose them and the hub must not.
 */
export function makeMeNumber(seed: number, index: number, graduationYear: number): string {
  const x = String(permuteDecimal(index % 100_000_000, 4, keysFor(seed).me)).padStart(8, '0');
  const yy = String(graduationYear % 100).padStart(2, '0');
  const first10 = x.slice(0, 5) + yy + x.slice(5);
  let sum = 0;
  for (let i = 0; i < first10.length; i++) sum += first10.charCodeAt(i) - 48;
  return first10 + String(sum % 10);
}

const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * HIN base (7 characters): the facility; the last 2 characters name a location within it. The last 6 characters come
 * from a 30-bit bijection (unique), the first is a letter drawn from the index.
 */
export function makeHinBase(seed: number, index: number): string {
  let x = permuteBits(index % 2 ** 30, 15, keysFor(seed).hin);
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = BASE36[x % 36] + out;
    x = Math.floor(x / 36);
  }
  return String.fromCharCode(65 + (hashPair(keysFor(seed).hinLetter, index) % 26)) + out;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CASE_SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character suffix that makes a 15-character Salesforce id case-insensitive. */
export function computeSalesforceIdSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 15; chunk += 5) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const code = id15.charCodeAt(chunk + i);
      if (code >= 65 && code <= 90) bits |= 1 << i;
    }
    suffix += CASE_SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/**
 * An 18-character Account id (key prefix 001) for an entity. Physicians use the lower half of a 28-bit space,
 * organizations and physicians' second accounts (a CRM duplicate) the two quarters of the upper half, written as 5
 * base-62 characters after a fixed instance part.
 */
export function makeSalesforceAccountId(seed: number, kind: 'hcp' | 'hco' | 'hcp-duplicate', index: number): string {
  const x = kind === 'hcp' ? index % 2 ** 27 : kind === 'hco' ? 2 ** 27 + (index % 2 ** 26) : 2 ** 27 + 2 ** 26 + (index % 2 ** 26);
  let n = permuteBits(x, 14, keysFor(seed).sfid);
  let tail = '';
  for (let i = 0; i < 5; i++) {
    tail = BASE62[n % 62] + tail;
    n = Math.floor(n / 62);
  }
  const id15 = '0014x00000' + tail;
  return id15 + computeSalesforceIdSuffix(id15);
}

/** A 9-digit prescriber id as an Rx data vendor would assign it. */
export function makePrescriberId(seed: number, index: number): string {
  return '7' + String(permuteDecimal(index % 100_000_000, 4, keysFor(seed).prescriber)).padStart(8, '0');
}

/**
 * A state medical license number in a format typical of the state (formats vary: FL ME123456, PA MD012345,
 * OH 35.012345, IL 036.123456, NJ 25MA01234500); the digits are unique within a state for up to 10^6 licensees.
 */
export function makeLicenseNumber(seed: number, index: number, state: string, credential: string): string {
  const d6 = String(permuteDecimal(index % 1_000_000, 3, licenseKey(seed, state))).padStart(6, '0');
  if (credential === 'NP') return 'APRN' + d6;
  if (credential === 'PA') return 'PA' + d6;
  switch (state) {
    case 'CA':
      return (credential === 'DO' ? '20A' : 'A') + d6;
    case 'FL':
      return (credential === 'DO' ? 'OS' : 'ME') + d6;
    case 'PA':
      return (credential === 'DO' ? 'OS' : 'MD') + d6;
    case 'OH':
      return (credential === 'DO' ? '34.' : '35.') + d6;
    case 'IL':
      return '036.' + d6;
    case 'NJ':
      return '25MA' + d6 + '00';
    case 'TX':
      return String.fromCharCode(65 + (hashPair(keysFor(seed).tx, index) % 26)) + d6.slice(1);
    case 'MI':
      return '43' + d6.slice(0, 2) + '0' + d6.slice(2);
    default:
      return d6;
  }
}

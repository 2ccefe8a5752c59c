/**
 * Corruption operators: the ways real source rows differ from the truth. A renderer copies an entity into a
 * RecordDraft, picks operators for the row, applies the content operators, formats the draft the source's own way
 * (upper case, abbreviations), then applies the surface operators (case, whitespace, ZIP, phone format) that act on
 * the formatted text. Every applied operator returns a label that goes into truth.csv, e.g.
 * `typo-transposition:last_name`, `nickname`, `moved-address`.
 *
 * | label                                 | what it does                                                          |
 * |---------------------------------------|-----------------------------------------------------------------------|
 * | typo-substitution / -transposition /  | one keyboard slip in first_name, last_name, address_line_1, city or   |
 * |   -deletion / -insertion :<field>     | name: an adjacent QWERTY key, two letters swapped, one dropped or one  |
 * |                                       | extra                                                                 |
 * | nickname                              | William -> Bill (src/generate/nicknames.ts)                           |
 * | swapped-names                         | first and last name exchanged                                         |
 * | missing-npi                           | NPI left blank                                                        |
 * | invalid-npi                           | one NPI digit changed (the check digit then fails)                    |
 * | moved-address                         | an address (and phone) in another city: the source has the old or the |
 * |                                       | new practice location                                                 |
 * | middle-abbreviated / middle-missing   | Robert -> R. / blank                                                  |
 * | suffix-dropped                        | JR/SR/II/III not recorded                                             |
 * | credentials-in-last-name              | "SMITH MD" or "Smith, MD" in the last-name field                      |
 * | case-noise:<field>                    | a field in the wrong case (ALL CAPS, lower, or Title in a caps file)  |
 * | whitespace-noise:<field>              | leading, trailing or doubled spaces                                   |
 * | zip-leading-zero-lost                 | 02134 -> 2134 (a spreadsheet read the ZIP as a number)                |
 * | phone-format                          | the phone written another way: 617.555.0123, +1 617 555 0123, ...    |
 *
 * Labels that are not corruptions but are still recorded for debugging: `maiden-name` (the source has a married
 * physician under her former name) and, in the Rx file, `missing-npi` for the prescribers it has no NPI for.
 */
import { findNicknames } from './nicknames.js';
import type { Population } from './population.js';
import type { Rng } from './random.js';

/** The fields a renderer may carry; the renderer ignores the ones its format has no column for. */
export interface RecordDraft {
  firstName: string;
  middleName: string;
  lastName: string;
  suffix: string;
  credentials: string;
  /** Organization name (HCO rows). */
  name: string;
  npi: string;
  line1: string;
  line2: string;
  city: string;
  state: string;
  zip: string;
  zip4: string;
  /** Ten digits until formatted, then as the source prints it. */
  phone: string;
}

export type CorruptionKind =
  | 'typo'
  | 'nickname'
  | 'swapped-names'
  | 'missing-npi'
  | 'invalid-npi'
  | 'moved-address'
  | 'middle-abbreviated'
  | 'middle-missing'
  | 'suffix-dropped'
  | 'credentials-in-last-name'
  | 'case-noise'
  | 'whitespace-noise'
  | 'zip-leading-zero-lost'
  | 'phone-format';

/** Relative weights of the operators a source suffers; absent kinds never happen in that source. */
export type CorruptionProfile = Partial<Record<CorruptionKind, number>>;

export interface CorruptionContext {
  readonly rng: Rng;
  readonly population: Population;
  /** Writes ten phone digits the way the source natively does, so phone-format can pick another way. */
  readonly formatPhone: (digits: string) => string;
}

interface Operator {
  readonly phase: 'content' | 'surface';
  /** Operators of one group exclude each other within a row. */
  readonly group: string;
  readonly applies: (d: RecordDraft) => boolean;
  readonly apply: (d: RecordDraft, ctx: CorruptionContext) => string;
}

const TEXT_FIELDS = {
  first_name: 'firstName',
  last_name: 'lastName',
  address_line_1: 'line1',
  city: 'city',
  name: 'name',
} as const satisfies Record<string, keyof RecordDraft>;
type TextField = keyof typeof TEXT_FIELDS;

const OPERATORS: Record<CorruptionKind, Operator> = {
  typo: {
    phase: 'content',
    group: 'typo',
    applies: (d) => pickableFields(d).length > 0,
    apply: (d, { rng }) => {
      const field = pickField(rng, d);
      const key = TEXT_FIELDS[field];
      const kind = rng.pick(TYPO_KINDS);
      d[key] = applyTypo(d[key], kind, rng);
      return `typo-${kind}:${field}`;
    },
  },
  nickname: {
    phase: 'content',
    group: 'first-name',
    applies: (d) => findNicknames(d.firstName).length > 0,
    apply: (d, { rng }) => {
      d.firstName = rng.pick(findNicknames(d.firstName));
      return 'nickname';
    },
  },
  'swapped-names': {
    phase: 'content',
    group: 'swap',
    applies: (d) => d.firstName !== '' && d.lastName !== '',
    apply: (d) => {
      [d.firstName, d.lastName] = [d.lastName, d.firstName];
      return 'swapped-names';
    },
  },
  'missing-npi': {
    phase: 'content',
    group: 'npi',
    applies: (d) => d.npi !== '',
    apply: (d) => {
      d.npi = '';
      return 'missing-npi';
    },
  },
  'invalid-npi': {
    phase: 'content',
    group: 'npi',
    applies: (d) => d.npi.length === 10,
    apply: (d, { rng }) => {
      d.npi = changeOneDigit(d.npi, rng);
      return 'invalid-npi';
    },
  },
  'moved-address': {
    phase: 'content',
    group: 'address',
    applies: (d) => d.line1 !== '',
    apply: (d, { rng, population }) => {
      const { address, phone } = population.drawAddressElsewhere(rng, d.city);
      Object.assign(d, { line1: address.line1, line2: address.line2, city: address.city, state: address.state, zip: address.zip, zip4: address.zip4 });
      if (d.phone !== '') d.phone = phone;
      return 'moved-address';
    },
  },
  'middle-abbreviated': {
    phase: 'content',
    group: 'middle',
    applies: (d) => d.middleName.length > 1,
    apply: (d, { rng }) => {
      d.middleName = d.middleName.slice(0, 1) + (rng.chance(0.5) ? '.' : '');
      return 'middle-abbreviated';
    },
  },
  'middle-missing': {
    phase: 'content',
    group: 'middle',
    applies: (d) => d.middleName !== '',
    apply: (d) => {
      d.middleName = '';
      return 'middle-missing';
    },
  },
  'suffix-dropped': {
    phase: 'content',
    group: 'suffix',
    applies: (d) => d.suffix !== '',
    apply: (d) => {
      d.suffix = '';
      return 'suffix-dropped';
    },
  },
  'credentials-in-last-name': {
    phase: 'content',
    group: 'last-name-extra',
    applies: (d) => d.credentials !== '' && d.lastName !== '',
    apply: (d, { rng }) => {
      d.lastName = `${d.lastName}${rng.chance(0.5) ? ', ' : ' '}${d.credentials}`;
      return 'credentials-in-last-name';
    },
  },
  'case-noise': {
    phase: 'surface',
    group: 'case',
    applies: (d) => pickableFields(d).length > 0,
    apply: (d, { rng }) => {
      const field = pickField(rng, d);
      const key = TEXT_FIELDS[field];
      const value = d[key];
      const isUpper = value === value.toUpperCase();
      d[key] = isUpper ? (rng.chance(0.5) ? toTitleCase(value) : value.toLowerCase()) : rng.chance(0.6) ? value.toUpperCase() : value.toLowerCase();
      return `case-noise:${field}`;
    },
  },
  'whitespace-noise': {
    phase: 'surface',
    group: 'whitespace',
    applies: (d) => pickableFields(d).length > 0,
    apply: (d, { rng }) => {
      const field = pickField(rng, d);
      const key = TEXT_FIELDS[field];
      const value = d[key];
      const roll = rng.int(3);
      d[key] = roll === 0 ? ` ${value}` : roll === 1 ? `${value}  ` : value.includes(' ') ? value.replace(' ', '  ') : `${value} `;
      return `whitespace-noise:${field}`;
    },
  },
  'zip-leading-zero-lost': {
    phase: 'surface',
    group: 'zip',
    applies: (d) => d.zip.startsWith('0'),
    apply: (d) => {
      d.zip = d.zip.replace(/^0+/, '');
      return 'zip-leading-zero-lost';
    },
  },
  'phone-format': {
    phase: 'surface',
    group: 'phone',
    applies: (d) => d.phone !== '',
    apply: (d, { rng, formatPhone }) => {
      const digits = d.phone.replace(/\D/g, '').slice(-10);
      const native = formatPhone(digits);
      const choices = PHONE_FORMATS.map((f) => f(digits)).filter((p) => p !== native);
      d.phone = rng.pick(choices);
      return 'phone-format';
    },
  },
};

export const PHONE_FORMATS: ReadonlyArray<(digits: string) => string> = [
  (p) => `(${p.slice(0, 3)}) ${p.slice(3, 6)}-${p.slice(6)}`,
  (p) => `${p.slice(0, 3)}-${p.slice(3, 6)}-${p.slice(6)}`,
  (p) => `${p.slice(0, 3)}.${p.slice(3, 6)}.${p.slice(6)}`,
  (p) => p,
  (p) => `+1 ${p.slice(0, 3)} ${p.slice(3, 6)} ${p.slice(6)}`,
  (p) => `1-${p.slice(0, 3)}-${p.slice(3, 6)}-${p.slice(6)}`,
];

/**
 * Decides the operators for one row: with probability `rate` the row gets one to three distinct operators drawn by
 * weight among those that apply to it (and at most one per group); otherwise none.
 */
export function chooseCorruptions(rng: Rng, profile: CorruptionProfile, draft: RecordDraft, rate: number): CorruptionKind[] {
  if (!rng.chance(rate)) return [];
  const roll = rng.next();
  const count = roll < 0.65 ? 1 : roll < 0.92 ? 2 : 3;
  const candidates = (Object.keys(profile) as CorruptionKind[]).filter((k) => (profile[k] ?? 0) > 0 && OPERATORS[k].applies(draft));
  const chosen: CorruptionKind[] = [];
  const usedGroups = new Set<string>();
  for (let n = 0; n < count; n++) {
    const open = candidates.filter((k) => !usedGroups.has(OPERATORS[k].group));
    const total = open.reduce((sum, k) => sum + (profile[k] ?? 0), 0);
    if (total <= 0) break;
    let x = rng.next() * total;
    let pick = open[open.length - 1] as CorruptionKind;
    for (const k of open) {
      x -= profile[k] ?? 0;
      if (x < 0) {
        pick = k;
        break;
      }
    }
    chosen.push(pick);
    usedGroups.add(OPERATORS[pick].group);
  }
  return chosen;
}

/** Applies the chosen operators of one phase in order and appends their labels. */
export function applyCorruptions(
  draft: RecordDraft,
  kinds: readonly CorruptionKind[],
  phase: 'content' | 'surface',
  ctx: CorruptionContext,
  labels: string[],
): void {
  for (const kind of kinds) {
    const op = OPERATORS[kind];
    // A content operator can make a later one inapplicable (e.g. moved address then ZIP of a non-zero state).
    if (op.phase === phase && op.applies(draft)) labels.push(op.apply(draft, ctx));
  }
}

export type TypoKind = 'substitution' | 'transposition' | 'deletion' | 'insertion';
const TYPO_KINDS: readonly TypoKind[] = ['substitution', 'transposition', 'deletion', 'insertion'];

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** Letters next to each letter on a US QWERTY keyboard (same row and the rows above and below). */
const ADJACENT_KEYS: Readonly<Record<string, string>> = (() => {
  const position = new Map<string, [number, number]>();
  KEYBOARD_ROWS.forEach((row, r) => [...row].forEach((ch, c) => position.set(ch, [r, c])));
  const out: Record<string, string> = {};
  for (const [ch, [r, c]] of position) {
    let neighbours = '';
    for (const [other, [r2, c2]] of position) {
      if (other === ch) continue;
      // Rows are staggered by about half a key, so the row below is offset by one column to the left.
      const dc = c2 - c + (r2 - r) * 0.5;
      if (Math.abs(r2 - r) <= 1 && Math.abs(dc) <= 1) neighbours += other;
    }
    out[ch] = neighbours;
  }
  return out;
})();

export function adjacentKeys(letter: string): string {
  return ADJACENT_KEYS[letter.toLowerCase()] ?? '';
}

/** One keyboard slip in the letters of `text`; digits and punctuation are left alone. */
export function applyTypo(text: string, kind: TypoKind, rng: Rng): string {
  const letters: number[] = [];
  for (let i = 0; i < text.length; i++) if (/[A-Za-z]/.test(text[i] as string)) letters.push(i);
  if (letters.length < 2) return text;
  const at = rng.pick(letters);
  const ch = text[at] as string;
  const sameCase = (c: string): string => (ch === ch.toUpperCase() ? c.toUpperCase() : c.toLowerCase());
  const neighbour = (): string => {
    const keys = adjacentKeys(ch);
    return keys.length > 0 ? sameCase(rng.pick([...keys])) : ch;
  };
  switch (kind) {
    case 'substitution':
      return text.slice(0, at) + neighbour() + text.slice(at + 1);
    case 'transposition': {
      // Swap with the next letter; if it is the same letter or not a letter, swap with the previous one.
      const next = text[at + 1];
      if (next !== undefined && /[A-Za-z]/.test(next) && next.toLowerCase() !== ch.toLowerCase()) {
        return text.slice(0, at) + caseLike(next, ch) + caseLike(ch, next) + text.slice(at + 2);
      }
      const prev = text[at - 1];
      if (prev !== undefined && /[A-Za-z]/.test(prev) && prev.toLowerCase() !== ch.toLowerCase()) {
        return text.slice(0, at - 1) + caseLike(ch, prev) + caseLike(prev, ch) + text.slice(at + 1);
      }
      return text.slice(0, at) + neighbour() + text.slice(at + 1);
    }
    case 'deletion':
      return text.slice(0, at) + text.slice(at + 1);
    case 'insertion': {
      // The extra letter takes the case of the letter it lands before, so "Robel" becomes "Rdobel", not "RDobel".
      const next = text[at + 1];
      const extra = neighbour();
      const cased = next !== undefined && /[A-Za-z]/.test(next) ? caseLike(extra, next) : extra;
      return text.slice(0, at + 1) + cased + text.slice(at + 1);
    }
  }
}

/** `letter` written in the case of `model` (so a swap keeps "Smith" capitalised at the front). */
function caseLike(letter: string, model: string): string {
  return model === model.toUpperCase() ? letter.toUpperCase() : letter.toLowerCase();
}

/** Changes one digit after the first (the 1/2 prefix stays), so the Luhn check of an NPI always fails. */
export function changeOneDigit(npi: string, rng: Rng): string {
  const at = rng.range(1, npi.length - 1);
  const old = Number(npi[at]);
  const replacement = (old + rng.range(1, 9)) % 10;
  return npi.slice(0, at) + String(replacement) + npi.slice(at + 1);
}

export function toTitleCase(text: string): string {
  return text.toLowerCase().replace(/(^|[\s'-])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

const FIELD_WEIGHTS: ReadonlyArray<readonly [TextField, number]> = [
  ['last_name', 4],
  ['first_name', 3],
  ['name', 4],
  ['address_line_1', 2],
  ['city', 1],
];

function pickableFields(d: RecordDraft): TextField[] {
  return FIELD_WEIGHTS.filter(([f]) => letterCount(d[TEXT_FIELDS[f]]) >= 3).map(([f]) => f);
}

function letterCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 32;
    if (c >= 97 && c <= 122) n++;
  }
  return n;
}

function pickField(rng: Rng, d: RecordDraft): TextField {
  const fields = pickableFields(d);
  const weights = FIELD_WEIGHTS.filter(([f]) => fields.includes(f));
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  let x = rng.next() * total;
  for (const [f, w] of weights) {
    x -= w;
    if (x < 0) return f;
  }
  return fields[fields.length - 1] as TextField;
}

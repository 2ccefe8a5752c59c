/**
 * Records encoded once for matching: every normalized value is interned into one dictionary shared by all fields
 * (so "given_name of A equals surname of B" is an integer comparison), and the derived features a comparison needs
 * (phonetic codes, nickname groups, parsed dates, tokens) are computed once per distinct value, never per pair.
 * Term frequencies are counted per field and kept current as records are added and removed.
 */
import { doubleMetaphone } from './comparators/double-metaphone.js';
import { soundex } from './comparators/soundex.js';
import type { Normalizer } from './model-schema.js';
import { loadNicknames, type NicknameTable } from './nicknames.js';

export type RawRecord = Readonly<Record<string, unknown>>;

const NONE: readonly number[] = [];

export class RecordStore {
  /** Interned normalized values; an id indexes every per-value array below. */
  readonly strings: string[] = [];
  private readonly lookup = new Map<string, number>();
  /** Per value: double metaphone primary / alternate code ids (-1 when none). */
  private readonly dmPrimary: number[] = [];
  private readonly dmAlternate: number[] = [];
  private readonly soundexIds: number[] = [];
  private readonly nickGroups: (readonly number[])[] = [];
  /** Per value: yyyymmdd as a number, -1 when not a date; -2 not yet computed. */
  private readonly dates: number[] = [];
  private readonly numbers: number[] = [];
  private readonly tokens: (readonly number[])[] = [];
  /** Code strings (phonetic keys) live in a dictionary of their own so they never collide with values. */
  private readonly codeLookup = new Map<string, number>();

  readonly fields: string[];
  readonly fieldIndex = new Map<string, number>();
  /** columns[f][record] = value id, or -1 when empty. */
  readonly columns: number[][];
  /** Record ids as given by the caller; record index -> id. */
  readonly ids: string[] = [];
  readonly sources: number[] = [];
  readonly alive: boolean[] = [];
  readonly indexOfId = new Map<string, number>();
  /** tfCounts[f][valueId] = number of live records with that value in field f. */
  readonly tfCounts: number[][];
  readonly nonNullCounts: number[];
  private readonly normalizers: (readonly Normalizer[])[];
  liveCount = 0;

  constructor(
    fields: readonly string[],
    normalize: Readonly<Record<string, readonly Normalizer[]>> = {},
    readonly nicknames: NicknameTable = loadNicknames(),
  ) {
    this.fields = [...fields];
    this.fields.forEach((f, i) => this.fieldIndex.set(f, i));
    this.columns = this.fields.map(() => []);
    this.tfCounts = this.fields.map(() => []);
    this.nonNullCounts = this.fields.map(() => 0);
    this.normalizers = this.fields.map((f) => normalize[f] ?? []);
  }

  get size(): number {
    return this.ids.length;
  }

  field(name: string): number {
    const f = this.fieldIndex.get(name);
    if (f === undefined) throw new Error(`unknown field "${name}"`);
    return f;
  }

  intern(value: string): number {
    let id = this.lookup.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.lookup.set(value, id);
    }
    return id;
  }

  /** Value id of an already normalized string, -1 when never seen. */
  idOf(value: string): number {
    return this.lookup.get(value) ?? -1;
  }

  normalizeValue(fieldIdx: number, raw: unknown): string {
    if (raw === null || raw === undefined) return '';
    let s = typeof raw === 'string' ? raw : String(raw as string | number);
    s = normalizeBasic(s);
    const extra = this.normalizers[fieldIdx];
    if (extra) for (const n of extra) s = applyNormalizer(n, s);
    return s;
  }

  /** Appends a record; returns its index. Ids must be unique among live records. */
  add(id: string, record: RawRecord, source = 0): number {
    if (this.indexOfId.has(id)) throw new Error(`duplicate record id "${id}"`);
    const index = this.ids.length;
    this.ids.push(id);
    this.sources.push(source);
    this.alive.push(true);
    this.indexOfId.set(id, index);
    for (let f = 0; f < this.fields.length; f++) {
      const v = this.normalizeValue(f, record[this.fields[f] as string]);
      const col = this.columns[f] as number[];
      if (v === '') {
        col.push(-1);
        continue;
      }
      const vid = this.intern(v);
      col.push(vid);
      const counts = this.tfCounts[f] as number[];
      while (counts.length <= vid) counts.push(0);
      counts[vid] = (counts[vid] as number) + 1;
      this.nonNullCounts[f] = (this.nonNullCounts[f] as number) + 1;
    }
    this.liveCount++;
    return index;
  }

  /** Marks a record removed (indexes stay stable); its values stop counting towards term frequencies. */
  remove(id: string): boolean {
    const index = this.indexOfId.get(id);
    if (index === undefined || !this.alive[index]) return false;
    this.alive[index] = false;
    this.indexOfId.delete(id);
    for (let f = 0; f < this.fields.length; f++) {
      const vid = (this.columns[f] as number[])[index] as number;
      if (vid < 0) continue;
      const counts = this.tfCounts[f] as number[];
      counts[vid] = (counts[vid] as number) - 1;
      this.nonNullCounts[f] = (this.nonNullCounts[f] as number) - 1;
    }
    this.liveCount--;
    return true;
  }

  /** Undoes the most recent add (the incremental matcher probes with a temporary record). */
  popLast(): void {
    const index = this.ids.length - 1;
    if (index < 0) return;
    if (this.alive[index]) this.remove(this.ids[index] as string);
    this.ids.pop();
    this.sources.pop();
    this.alive.pop();
    for (const col of this.columns) col.pop();
  }

  value(fieldIdx: number, record: number): number {
    return (this.columns[fieldIdx] as number[])[record] as number;
  }

  /** Relative frequency of a value in a field (0 when unknown). */
  termFrequency(fieldIdx: number, valueId: number): number {
    const n = this.nonNullCounts[fieldIdx] as number;
    if (n <= 0 || valueId < 0) return 0;
    return ((this.tfCounts[fieldIdx] as number[])[valueId] ?? 0) / n;
  }

  private code(s: string): number {
    if (s === '') return -1;
    let id = this.codeLookup.get(s);
    if (id === undefined) {
      id = this.codeLookup.size;
      this.codeLookup.set(s, id);
    }
    return id;
  }

  metaphonePrimary(vid: number): number {
    const v = this.dmPrimary[vid];
    if (v !== undefined) return v;
    const dm = doubleMetaphone(this.strings[vid] as string);
    this.dmAlternate[vid] = this.code(dm.alternate);
    return (this.dmPrimary[vid] = this.code(dm.primary));
  }

  metaphoneAlternate(vid: number): number {
    this.metaphonePrimary(vid);
    return this.dmAlternate[vid] as number;
  }

  /** Primary double metaphone as a string (for blocking keys). */
  metaphoneCode(vid: number): string {
    return doubleMetaphone(this.strings[vid] as string).primary;
  }

  soundex(vid: number): number {
    const v = this.soundexIds[vid];
    if (v !== undefined) return v;
    return (this.soundexIds[vid] = this.code(soundex(this.strings[vid] as string)));
  }

  nicknameGroups(vid: number): readonly number[] {
    const v = this.nickGroups[vid];
    if (v !== undefined) return v;
    return (this.nickGroups[vid] = this.nicknames.get(this.strings[vid] as string) ?? NONE);
  }

  /** yyyymmdd as a number, or -1 when the value is not a date. */
  date(vid: number): number {
    const v = this.dates[vid];
    if (v !== undefined) return v;
    return (this.dates[vid] = parseDate(this.strings[vid] as string));
  }

  numeric(vid: number): number {
    const v = this.numbers[vid];
    if (v !== undefined) return v;
    const n = Number((this.strings[vid] as string).replace(/[^0-9.+-]/g, ''));
    return (this.numbers[vid] = Number.isFinite(n) ? n : Number.NaN);
  }

  /** Distinct word token ids of a value, ascending. */
  tokenIds(vid: number): readonly number[] {
    const v = this.tokens[vid];
    if (v !== undefined) return v;
    const ids = [...new Set((this.strings[vid] as string).split(' ').filter((t) => t !== '').map((t) => this.code(`t:${t}`)))];
    ids.sort((x, y) => x - y);
    return (this.tokens[vid] = ids);
  }
}

/** trim, lower case, collapse inner whitespace. */
export function normalizeBasic(s: string): string {
  let out = s.trim().toLowerCase();
  if (out.includes('  ') || out.includes('\t')) out = out.replace(/\s+/g, ' ');
  return out;
}

export function applyNormalizer(n: Normalizer, s: string): string {
  switch (n) {
    case 'lower':
      return s.toLowerCase();
    case 'trim':
      return s.trim();
    case 'digits':
      return s.replace(/\D+/g, '');
    case 'alnum':
      return s.replace(/[^a-z0-9]+/gi, '');
    case 'letters':
      return s.replace(/[^a-z]+/gi, '');
    case 'collapse_spaces':
      return s.replace(/\s+/g, ' ').trim();
    case 'strip_punctuation':
      return s
        .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
        .replace(/\s+/g, ' ')
        .trim();
  }
}

/** Accepts yyyymmdd, yyyy-mm-dd, yyyy/mm/dd; returns yyyymmdd as a number or -1. Month/day 0 are tolerated (unknown). */
export function parseDate(s: string): number {
  let digits: string;
  if (s.length === 8) digits = s;
  else if (s.length === 10 && (s[4] === '-' || s[4] === '/') && (s[7] === '-' || s[7] === '/')) {
    digits = s.slice(0, 4) + s.slice(5, 7) + s.slice(8, 10);
  } else return -1;
  for (let i = 0; i < 8; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return Number(digits);
}

/**
 * Records encoded once for matching: every normalized value is interned into its field's dictionary (value ids are
 * unique across fields, so a value id says which field it came from; small per-field dictionaries keep interning a
 * million records fast), and the derived features a comparison needs (phonetic codes, nickname groups, parsed
 * dates, tokens) are computed once per distinct value, never per pair. Columns and counts are typed arrays.
 * Term frequencies are counted per field and kept current as records are added and removed.
 */
import { doubleMetaphone } from './comparators/double-metaphone.js';
import { soundex } from './comparators/soundex.js';
import type { Normalizer } from './model-schema.js';
import { loadNicknames, type NicknameTable } from './nicknames.js';

export type RawRecord = Readonly<Record<string, unknown>>;

const NONE: readonly number[] = [];

/** A growable Int32Array (doubling); `data` is replaced when it grows, so read it through the owner each time. */
export class IntColumn {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024, readonly fillValue = 0) {
    this.data = new Int32Array(capacity);
    if (fillValue !== 0) this.data.fill(fillValue);
  }

  ensure(size: number): void {
    if (size <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < size) cap *= 2;
    const next = new Int32Array(cap);
    next.set(this.data);
    if (this.fillValue !== 0) next.fill(this.fillValue, this.data.length);
    this.data = next;
  }

  push(v: number): void {
    if (this.length === this.data.length) this.ensure(this.length + 1);
    this.data[this.length++] = v;
  }
}

export class RecordStore {
  /** Interned normalized values; an id indexes every per-value array below. */
  readonly strings: string[] = [];
  /** Per field: normalized value -> value id. */
  private readonly lookup: Map<string, number>[];
  /** Per value: its index among its field's distinct values (dense per field, for per-field arrays). */
  private readonly localIds = new IntColumn(1024);
  /** Per value (index = value id, filled as needed, never sparse): derived features, undefined until computed. */
  private readonly dmPrimary: (number | undefined)[] = [];
  private readonly dmAlternate: (number | undefined)[] = [];
  private readonly soundexIds: (number | undefined)[] = [];
  private readonly nickGroups: (readonly number[] | undefined)[] = [];
  /** Per value: yyyymmdd as a number, -1 when not a date. */
  private readonly dates: (number | undefined)[] = [];
  private readonly numbers: (number | undefined)[] = [];
  private readonly tokens: (readonly number[] | undefined)[] = [];
  /** Code strings (phonetic keys) live in a dictionary of their own so they never collide with values. */
  private readonly codeLookup = new Map<string, number>();

  readonly fields: string[];
  readonly fieldIndex = new Map<string, number>();
  /** cols[f].data[record] = value id, or -1 when empty (typed, growable: read `columns[f]` afresh after adds). */
  private readonly cols: IntColumn[];
  /** Record ids as given by the caller; record index -> id. */
  readonly ids: string[] = [];
  readonly sources: number[] = [];
  readonly alive: boolean[] = [];
  readonly indexOfId = new Map<string, number>();
  /** counts[f].data[local id of a value] = number of live records with that value in field f. */
  private readonly counts: IntColumn[];
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
    this.lookup = this.fields.map(() => new Map<string, number>());
    this.cols = this.fields.map(() => new IntColumn());
    this.counts = this.fields.map(() => new IntColumn(64));
    this.nonNullCounts = this.fields.map(() => 0);
    this.normalizers = this.fields.map((f) => normalize[f] ?? []);
  }

  get size(): number {
    return this.ids.length;
  }

  /** columns[f][record] = value id, or -1 when empty. The arrays are replaced as the store grows. */
  get columns(): Int32Array[] {
    return this.cols.map((c) => c.data);
  }

  /** The value ids of field f (index by record); replaced as the store grows, so fetch it again after adds. */
  column(fieldIdx: number): Int32Array {
    return (this.cols[fieldIdx] as IntColumn).data;
  }

  /** tfCounts[f][i] = number of live records holding the i-th distinct value of field f (any order; 0 past the end). */
  get tfCounts(): Int32Array[] {
    return this.counts.map((c) => c.data);
  }

  /** Index of a value among its field's distinct values (dense per field). */
  localId(vid: number): number {
    return this.localIds.data[vid] as number;
  }

  /** Live records holding value id `vid` in field f. */
  count(fieldIdx: number, vid: number): number {
    if (vid < 0) return 0;
    const data = (this.counts[fieldIdx] as IntColumn).data;
    const local = this.localIds.data[vid] as number;
    return local < data.length ? (data[local] as number) : 0;
  }

  /** Reserves room for n records (bulk loads). */
  reserve(n: number): void {
    for (const c of this.cols) c.ensure(n);
  }

  field(name: string): number {
    const f = this.fieldIndex.get(name);
    if (f === undefined) throw new Error(`unknown field "${name}"`);
    return f;
  }

  /** Value id of a normalized value of field f, created when new. */
  intern(fieldIdx: number, value: string): number {
    const lookup = this.lookup[fieldIdx] as Map<string, number>;
    let id = lookup.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.localIds.push(lookup.size);
      lookup.set(value, id);
    }
    return id;
  }

  /** Value id of an already normalized value of field f, -1 when never seen. */
  idOf(fieldIdx: number, value: string): number {
    return (this.lookup[fieldIdx] as Map<string, number>).get(value) ?? -1;
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
    const index = this.append(id, record, source);
    this.indexOfId.set(id, index);
    return index;
  }

  /**
   * Appends a record that is not findable by id, to be taken back with `popLast` (the incremental matcher's probe).
   * It stays out of `indexOfId`: setting and deleting one key per probe on a Map of a million ids makes V8 rebuild
   * the Map's table over and over (measured at 25 us per probe on 1M ids, and milliseconds in a long-lived worker).
   */
  addTemporary(id: string, record: RawRecord, source = 0): number {
    return this.append(id, record, source);
  }

  private append(id: string, record: RawRecord, source: number): number {
    const index = this.ids.length;
    this.ids.push(id);
    this.sources.push(source);
    this.alive.push(true);
    for (let f = 0; f < this.fields.length; f++) {
      const v = this.normalizeValue(f, record[this.fields[f] as string]);
      const col = this.cols[f] as IntColumn;
      if (v === '') {
        col.push(-1);
        continue;
      }
      const vid = this.intern(f, v);
      col.push(vid);
      const counts = this.counts[f] as IntColumn;
      const local = this.localIds.data[vid] as number;
      if (local >= counts.data.length) counts.ensure(local + 1);
      counts.data[local] = (counts.data[local] as number) + 1;
      this.nonNullCounts[f] = (this.nonNullCounts[f] as number) + 1;
    }
    this.liveCount++;
    return index;
  }

  /** Marks a record removed (indexes stay stable); its values stop counting towards term frequencies. */
  remove(id: string): boolean {
    const index = this.indexOfId.get(id);
    if (index === undefined || !this.alive[index]) return false;
    this.indexOfId.delete(id);
    this.removeAt(index);
    return true;
  }

  private removeAt(index: number): void {
    this.alive[index] = false;
    for (let f = 0; f < this.fields.length; f++) {
      const vid = (this.cols[f] as IntColumn).data[index] as number;
      if (vid < 0) continue;
      const counts = (this.counts[f] as IntColumn).data;
      const local = this.localIds.data[vid] as number;
      counts[local] = (counts[local] as number) - 1;
      this.nonNullCounts[f] = (this.nonNullCounts[f] as number) - 1;
    }
    this.liveCount--;
  }

  /** Undoes the most recent `add` or `addTemporary`. */
  popLast(): void {
    const index = this.ids.length - 1;
    if (index < 0) return;
    const id = this.ids[index] as string;
    if (this.indexOfId.get(id) === index) this.indexOfId.delete(id);
    if (this.alive[index]) this.removeAt(index);
    this.ids.pop();
    this.sources.pop();
    this.alive.pop();
    for (const col of this.cols) col.length--;
  }

  value(fieldIdx: number, record: number): number {
    return (this.cols[fieldIdx] as IntColumn).data[record] as number;
  }

  /** Relative frequency of a value in a field (0 when unknown). */
  termFrequency(fieldIdx: number, valueId: number): number {
    const n = this.nonNullCounts[fieldIdx] as number;
    if (n <= 0 || valueId < 0) return 0;
    return this.count(fieldIdx, valueId) / n;
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

  /** Grows a per-value array to cover value id `vid` without holes (a sparse array would go slow in V8). */
  private static cover<T>(arr: (T | undefined)[], vid: number): void {
    while (arr.length <= vid) arr.push(undefined);
  }

  metaphonePrimary(vid: number): number {
    const v = this.dmPrimary[vid];
    if (v !== undefined) return v;
    const dm = doubleMetaphone(this.strings[vid] as string);
    RecordStore.cover(this.dmPrimary, vid);
    RecordStore.cover(this.dmAlternate, vid);
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
    RecordStore.cover(this.soundexIds, vid);
    return (this.soundexIds[vid] = this.code(soundex(this.strings[vid] as string)));
  }

  nicknameGroups(vid: number): readonly number[] {
    const v = this.nickGroups[vid];
    if (v !== undefined) return v;
    RecordStore.cover(this.nickGroups, vid);
    return (this.nickGroups[vid] = this.nicknames.get(this.strings[vid] as string) ?? NONE);
  }

  /** yyyymmdd as a number, or -1 when the value is not a date. */
  date(vid: number): number {
    const v = this.dates[vid];
    if (v !== undefined) return v;
    RecordStore.cover(this.dates, vid);
    return (this.dates[vid] = parseDate(this.strings[vid] as string));
  }

  numeric(vid: number): number {
    const v = this.numbers[vid];
    if (v !== undefined) return v;
    const n = Number((this.strings[vid] as string).replace(/[^0-9.+-]/g, ''));
    RecordStore.cover(this.numbers, vid);
    return (this.numbers[vid] = Number.isFinite(n) ? n : Number.NaN);
  }

  /** Distinct word token ids of a value, ascending. */
  tokenIds(vid: number): readonly number[] {
    const v = this.tokens[vid];
    if (v !== undefined) return v;
    const ids = [...new Set((this.strings[vid] as string).split(' ').filter((t) => t !== '').map((t) => this.code(`t:${t}`)))];
    ids.sort((x, y) => x - y);
    RecordStore.cover(this.tokens, vid);
    return (this.tokens[vid] = ids);
  }
}

/** trim, lower case, collapse inner whitespace. */
export function normalizeBasic(s: string): string {
  let out = s.trim().toLowerCase();
  if (out.includes('  ') || out.includes('\t')) out = out.replace(/\s+/g, ' ');
  return out;
}

// Cheap scans that let the common case (nothing to change) skip the regular expressions.
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLower = (c: number): boolean => c >= 97 && c <= 122;

function allChars(s: string, ok: (c: number) => boolean): boolean {
  for (let i = 0; i < s.length; i++) if (!ok(s.charCodeAt(i))) return false;
  return true;
}

/** Lower-case ASCII letters and digits separated by single spaces, no space at either end. */
function plainWords(s: string): boolean {
  let prevSpace = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return false;
      prevSpace = true;
    } else if (isLower(c) || isDigit(c)) prevSpace = false;
    else return false;
  }
  return !prevSpace || s.length === 0;
}

export function applyNormalizer(n: Normalizer, s: string): string {
  switch (n) {
    case 'lower':
      return s.toLowerCase();
    case 'trim':
      return s.trim();
    case 'digits':
      return allChars(s, isDigit) ? s : s.replace(/\D+/g, '');
    case 'alnum':
      return allChars(s, (c) => isDigit(c) || isLower(c) || (c >= 65 && c <= 90)) ? s : s.replace(/[^a-z0-9]+/gi, '');
    case 'letters':
      return allChars(s, (c) => isLower(c) || (c >= 65 && c <= 90)) ? s : s.replace(/[^a-z]+/gi, '');
    case 'collapse_spaces':
      return s.replace(/\s+/g, ' ').trim();
    case 'strip_punctuation':
      if (plainWords(s)) return s;
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

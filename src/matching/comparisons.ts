/**
 * Compiles a comparison's ordered levels into one function (recordA, recordB) -> level index.
 * The first level that applies wins; level 0 is always the null level (either value missing).
 * Everything per value (phonetic codes, nickname groups, dates, tokens) comes precomputed from the RecordStore;
 * the only per-pair work is the string similarity itself, computed at most once per pair and comparison.
 */
import { jaro, jaroWinkler, jaroWinklerUpperBound } from './comparators/jaro-winkler.js';
import { levenshteinWithin } from './comparators/levenshtein.js';
import type { Comparison, Level } from './model-schema.js';
import { sharesGroup } from './nicknames.js';
import type { RecordStore } from './record-store.js';

export const NULL_LEVEL = 0;

export interface CompiledComparison {
  readonly name: string;
  readonly field: string;
  readonly fieldIndex: number;
  readonly levels: readonly Level[];
  readonly labels: readonly string[];
  /** Fields this comparison reads (its own plus any swapped partner): blocking-aware training needs them. */
  readonly fieldsUsed: readonly string[];
  evaluate(a: number, b: number): number;
}

export function levelLabel(level: Level): string {
  if (level.label) return level.label;
  switch (level.type) {
    case 'jaro_winkler':
    case 'jaro':
    case 'token_overlap':
      return `${level.type} >= ${level.threshold}`;
    case 'levenshtein':
    case 'numeric':
      return `${level.type} <= ${level.max}`;
    case 'date_year':
      return level.max ? `date_year within ${level.max}` : 'date_year';
    case 'first_chars':
      return `first ${level.n} chars`;
    case 'swapped':
      return `swapped with ${level.with}`;
    default:
      return level.type;
  }
}

const enum T {
  Exact,
  Nickname,
  JaroWinkler,
  Jaro,
  Levenshtein,
  Metaphone,
  Soundex,
  FirstChars,
  Swapped,
  DateTypo,
  DateSwap,
  DateYearMonth,
  DateYear,
  Numeric,
  Tokens,
  Always,
}

function typeCode(level: Level): T {
  switch (level.type) {
    case 'exact':
      return T.Exact;
    case 'nickname':
      return T.Nickname;
    case 'jaro_winkler':
      return T.JaroWinkler;
    case 'jaro':
      return T.Jaro;
    case 'levenshtein':
      return T.Levenshtein;
    case 'double_metaphone':
      return T.Metaphone;
    case 'soundex':
      return T.Soundex;
    case 'first_chars':
      return T.FirstChars;
    case 'swapped':
      return T.Swapped;
    case 'date_typo':
      return T.DateTypo;
    case 'date_day_month_swap':
      return T.DateSwap;
    case 'date_year_month':
      return T.DateYearMonth;
    case 'date_year':
      return T.DateYear;
    case 'numeric':
      return T.Numeric;
    case 'token_overlap':
      return T.Tokens;
    case 'null':
    case 'else':
    case 'different':
      return T.Always;
  }
}

/** One-digit typo or one adjacent transposition between two strings of equal length. */
function oneTypo(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let first = -1;
  let diffs = 0;
  for (let i = 0; i < a.length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) {
      if (diffs === 0) first = i;
      diffs++;
      if (diffs > 2) return false;
    }
  }
  if (diffs <= 1) return true;
  return (
    a.charCodeAt(first) === b.charCodeAt(first + 1) &&
    a.charCodeAt(first + 1) === b.charCodeAt(first) &&
    first + 1 < a.length
  );
}

function jaccardAtLeast(x: readonly number[], y: readonly number[], threshold: number): boolean {
  if (x.length === 0 || y.length === 0) return false;
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < x.length && j < y.length) {
    const p = x[i] as number;
    const q = y[j] as number;
    if (p === q) {
      inter++;
      i++;
      j++;
    } else if (p < q) i++;
    else j++;
  }
  return inter / (x.length + y.length - inter) >= threshold;
}

export function compileComparison(comparison: Comparison, store: RecordStore): CompiledComparison {
  const fieldIndex = store.field(comparison.field);
  const strings = store.strings;
  const levels = comparison.levels;
  const n = levels.length;
  const types = levels.map(typeCode);
  const thresholds = levels.map((l) => l.threshold ?? 0);
  const maxes = levels.map((l) => l.max ?? 0);
  const ns = levels.map((l) => l.n ?? 1);
  const swapFields = levels.map((l) => (l.type === 'swapped' && l.with ? store.field(l.with) : fieldIndex));
  // Lowest similarity threshold of the comparison: below it no similarity level can apply, so a cheap upper bound
  // that falls short skips the exact computation.
  const minJw = Math.min(...levels.map((l) => (l.type === 'jaro_winkler' ? (l.threshold ?? 0) : 2)));
  const minJaro = Math.min(...levels.map((l) => (l.type === 'jaro' ? (l.threshold ?? 0) : 2)));
  const fieldsUsed = [comparison.field, ...levels.filter((l) => l.type === 'swapped' && l.with).map((l) => l.with as string)];

  const evaluate = (a: number, b: number): number => {
    // Read the column afresh: the store's typed columns are replaced as it grows.
    const col = store.column(fieldIndex);
    const va = col[a] as number;
    const vb = col[b] as number;
    if (va < 0 || vb < 0) return NULL_LEVEL;
    let jw = -1;
    let jr = -1;
    for (let l = 1; l < n; l++) {
      switch (types[l]) {
        case T.Exact:
          if (va === vb) return l;
          break;
        case T.Nickname:
          if (va === vb || sharesGroup(store.nicknameGroups(va), store.nicknameGroups(vb))) return l;
          break;
        case T.JaroWinkler:
          if (jw < 0) {
            const sa = strings[va] as string;
            const sb = strings[vb] as string;
            jw = va === vb ? 1 : jaroWinklerUpperBound(sa, sb) < minJw ? 0 : jaroWinkler(sa, sb);
          }
          if (jw >= (thresholds[l] as number)) return l;
          break;
        case T.Jaro:
          if (jr < 0) {
            const sa = strings[va] as string;
            const sb = strings[vb] as string;
            // Jaro is Jaro-Winkler without the prefix boost: the bound with prefix scale 0 applies.
            jr = va === vb ? 1 : jaroWinklerUpperBound(sa, sb, 0) < minJaro ? 0 : jaro(sa, sb);
          }
          if (jr >= (thresholds[l] as number)) return l;
          break;
        case T.Levenshtein:
          if (va === vb || levenshteinWithin(strings[va] as string, strings[vb] as string, maxes[l] as number)) return l;
          break;
        case T.Metaphone: {
          const pa = store.metaphonePrimary(va);
          const pb = store.metaphonePrimary(vb);
          if (pa >= 0 && (pa === pb || pa === store.metaphoneAlternate(vb) || store.metaphoneAlternate(va) === pb)) return l;
          break;
        }
        case T.Soundex: {
          const sa = store.soundex(va);
          if (sa >= 0 && sa === store.soundex(vb)) return l;
          break;
        }
        case T.FirstChars: {
          const sa = strings[va] as string;
          const sb = strings[vb] as string;
          const k = ns[l] as number;
          if (sa.length >= k && sb.length >= k && sa.startsWith(sb.slice(0, k))) return l;
          if ((sa.length < k || sb.length < k) && (sa.startsWith(sb) || sb.startsWith(sa))) return l;
          break;
        }
        case T.Swapped: {
          const other = store.column(swapFields[l] as number);
          const oa = other[a] as number;
          const ob = other[b] as number;
          // Value ids are per field, so values of two fields are compared as strings.
          if (oa >= 0 && ob >= 0 && va !== vb && strings[oa] === strings[vb] && strings[ob] === strings[va]) return l;
          break;
        }
        case T.DateTypo:
          if (va === vb || oneTypo(strings[va] as string, strings[vb] as string)) return l;
          break;
        case T.DateSwap: {
          const da = store.date(va);
          const db = store.date(vb);
          if (da >= 0 && db >= 0) {
            const ya = Math.floor(da / 10000);
            const yb = Math.floor(db / 10000);
            const ma = Math.floor(da / 100) % 100;
            const mb = Math.floor(db / 100) % 100;
            if (ya === yb && ma === db % 100 && mb === da % 100) return l;
          }
          break;
        }
        case T.DateYearMonth: {
          const da = store.date(va);
          const db = store.date(vb);
          if (da >= 0 && db >= 0 && Math.floor(da / 100) === Math.floor(db / 100)) return l;
          break;
        }
        case T.DateYear: {
          const da = store.date(va);
          const db = store.date(vb);
          if (da >= 0 && db >= 0 && Math.abs(Math.floor(da / 10000) - Math.floor(db / 10000)) <= (maxes[l] as number)) return l;
          break;
        }
        case T.Numeric: {
          const xa = store.numeric(va);
          const xb = store.numeric(vb);
          if (Math.abs(xa - xb) <= (maxes[l] as number)) return l;
          break;
        }
        case T.Tokens:
          if (va === vb || jaccardAtLeast(store.tokenIds(va), store.tokenIds(vb), thresholds[l] as number)) return l;
          break;
        case T.Always:
          return l;
      }
    }
    // No level applied and there is no else level: the last level is the catch-all by convention.
    return n - 1;
  };

  return {
    name: comparison.name,
    field: comparison.field,
    fieldIndex,
    levels,
    labels: levels.map(levelLabel),
    fieldsUsed,
    evaluate,
  };
}

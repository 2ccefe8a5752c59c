/**
 * X12 numeric (R/N) and date (DT) values, read from text or straight from the bytes of an element. The byte readers
 * give exactly what the text readers give for the same characters; they exist so that the hot path of a large file
 * does not cut a string for every number and date it reads.
 */

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
/** Up to 15 digits the digits as one integer are exact, and so is the division by a power of ten. */
const MAX_EXACT_DIGITS = 15;

/**
 * X12 numeric text to a number: `-5`, `+5`, `12.50`, `5.`, `.5`. Anything else (empty, `.`, `1e5`, `1,000`, spaces)
 * is undefined. The value is the one `Number(text)` gives.
 */
export function parseNumber(text: string): number | undefined {
  const len = text.length;
  let i = 0;
  let c = len > 0 ? text.charCodeAt(0) : 0;
  if (c === 0x2d || c === 0x2b) i = 1;
  let digits = 0;
  let dot = false;
  for (; i < len; i++) {
    c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c === 0x2e && !dot) dot = true;
    else return undefined;
  }
  return digits === 0 ? undefined : Number(text);
}

/**
 * `parseNumber` over `buf[from..to)`. `text`, when given, holds the same characters at the same offsets (a
 * single-byte decoding of `buf`) and is only used for numbers too long to compute exactly from the digits.
 */
export function parseNumberBytes(buf: Uint8Array, from: number, to: number, text: string | undefined): number | undefined {
  let i = from;
  let c = from < to ? (buf[from] as number) : 0;
  const negative = c === 0x2d;
  if (negative || c === 0x2b) i++;
  let value = 0;
  let digits = 0;
  let decimals = 0;
  let dot = false;
  for (; i < to; i++) {
    c = buf[i] as number;
    if (c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
      digits++;
      if (dot) decimals++;
    } else if (c === 0x2e && !dot) dot = true;
    else return undefined;
  }
  if (digits === 0) return undefined;
  if (digits > MAX_EXACT_DIGITS) return Number(text !== undefined ? text.slice(from, to) : Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('latin1'));
  // M / 10^k with both exact is one correctly rounded division: the same double Number() reads from the text.
  if (decimals > 0) value /= POW10[decimals] as number;
  return negative ? -value : value;
}

/** CCYYMMDD (or YYMMDD, read as 20YY) to ISO `YYYY-MM-DD`; undefined when it is not a real date. */
export function parseDate(text: string): string | undefined {
  const len = text.length;
  if (len !== 8 && len !== 6) return undefined;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  let y: number;
  let rest: string;
  if (len === 8) {
    y = Number(text.slice(0, 4));
    rest = text.slice(4);
  } else {
    y = 2000 + Number(text.slice(0, 2));
    rest = text.slice(2);
  }
  const m = Number(rest.slice(0, 2));
  const d = Number(rest.slice(2, 4));
  if (m < 1 || m > 12 || d < 1) return undefined;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return undefined;
  return `${String(y).padStart(4, '0')}-${rest.slice(0, 2)}-${rest.slice(2, 4)}`;
}

/** Dates repeat throughout a file (one invoice date for hundreds of lines): each distinct one is read once. */
const DATE_CACHE_LIMIT = 4096;
const dateCache = new Map<number, string | null>();

/** `parseDate` over `buf[from..to)` (six or eight ASCII digits), remembering recent answers. */
export function parseDateBytes(buf: Uint8Array, from: number, to: number): string | undefined {
  const len = to - from;
  if (len !== 8 && len !== 6) return undefined;
  let key = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i] as number;
    if (c < 0x30 || c > 0x39) return undefined;
    key = key * 10 + (c - 0x30);
  }
  // Six-digit dates get keys above every eight-digit one.
  if (len === 6) key += 100_000_000;
  const known = dateCache.get(key);
  if (known !== undefined) return known === null ? undefined : known;
  let text = '';
  for (let i = from; i < to; i++) text += String.fromCharCode(buf[i] as number);
  const date = parseDate(text);
  if (dateCache.size >= DATE_CACHE_LIMIT) dateCache.clear();
  dateCache.set(key, date ?? null);
  return date;
}

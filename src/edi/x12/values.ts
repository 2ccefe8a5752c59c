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

/** Days in month `m` (1-12) of year `y`, as `new Date(Date.UTC(y, m, 0))` gives them (years 0-99 are 1900-1999). */
function daysInMonth(y: number, m: number): number {
  if (m !== 2) return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  const year = y <= 99 ? y + 1900 : y;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** The number the `count` ASCII digits at `buf[at..]` spell. */
function digitsAt(buf: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) value = value * 10 + ((buf[i] as number) - 0x30);
  return value;
}

/** `parseDate` over `buf[from..to)` (six or eight ASCII digits), computed from the digits. */
export function parseDateBytes(buf: Uint8Array, from: number, to: number): string | undefined {
  const len = to - from;
  if (len !== 8 && len !== 6) return undefined;
  for (let i = from; i < to; i++) {
    const c = buf[i] as number;
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const r = from + len - 4;
  const y = len === 8 ? digitsAt(buf, from, 4) : 2000 + digitsAt(buf, from, 2);
  const m = digitsAt(buf, r, 2);
  const d = digitsAt(buf, r + 2, 2);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  // YYYY-MM-DD in one flat string: the four year digits as sent (or 20YY), then month and day.
  const y0 = len === 8 ? (buf[from] as number) : 0x32;
  const y1 = len === 8 ? (buf[from + 1] as number) : 0x30;
  const y2 = buf[r - 2] as number;
  const y3 = buf[r - 1] as number;
  return String.fromCharCode(y0, y1, y2, y3, 0x2d, buf[r] as number, buf[r + 1] as number, 0x2d, buf[r + 2] as number, buf[r + 3] as number);
}

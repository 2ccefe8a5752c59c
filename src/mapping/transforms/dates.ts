import { z } from 'zod';
import { invalid, valid } from '../../model/identifiers/result.js';
import { asText, defineTransform } from './registry.js';

/**
 * Date formats: `ISO` (2024-05-31, with or without a time), `YYYYMMDD`, `EXCEL` (a spreadsheet serial day number),
 * or a pattern of `YYYY`, `YY`, `MM`, `M`, `DD`, `D` and separators (`MM/DD/YYYY`, `M/D/YY`, `DD.MM.YYYY`).
 * Without formats, ISO, YYYYMMDD, MM/DD/YYYY and Excel serials are tried in that order.
 */
const DEFAULT_FORMATS = ['ISO', 'YYYYMMDD', 'M/D/YYYY', 'EXCEL'];

type DateParts = { year: number; month: number; day: number; time?: string };
type DateParser = (text: string) => DateParts | undefined;

const TOKENS: Record<string, string> = {
  YYYY: '(?<year>\\d{4})',
  YY: '(?<yy>\\d{2})',
  MM: '(?<month>\\d{2})',
  M: '(?<month>\\d{1,2})',
  DD: '(?<day>\\d{2})',
  D: '(?<day>\\d{1,2})',
};

function compilePattern(format: string): DateParser {
  let source = '';
  let rest = format;
  while (rest.length > 0) {
    const token = ['YYYY', 'YY', 'MM', 'DD', 'M', 'D'].find((t) => rest.startsWith(t));
    if (token) {
      source += TOKENS[token];
      rest = rest.slice(token.length);
    } else {
      source += (rest[0] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      rest = rest.slice(1);
    }
  }
  // A time after the date (`05/31/2024 00:00:00`) is tolerated and dropped.
  const regex = new RegExp(`^${source}(?:[ T].*)?$`);
  return (text) => {
    const groups = regex.exec(text)?.groups;
    if (!groups) return undefined;
    const year = groups.year !== undefined ? Number(groups.year) : pivotYear(Number(groups.yy));
    return { year, month: Number(groups.month ?? 1), day: Number(groups.day ?? 1) };
  };
}

/** Two-digit years: 00-49 are 20xx, 50-99 are 19xx (birth years and old enumeration dates). */
function pivotYear(yy: number): number {
  return yy < 50 ? 2000 + yy : 1900 + yy;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

function compileFormat(format: string): DateParser {
  switch (format.toUpperCase()) {
    case 'ISO':
      return (text) => {
        const m = ISO.exec(text);
        if (!m) return undefined;
        return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), ...(m[4] ? { time: text } : {}) };
      };
    case 'YYYYMMDD':
      return (text) => {
        const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
        return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
      };
    case 'EXCEL':
      return (text) => {
        if (!/^\d{1,5}(\.\d+)?$/.test(text)) return undefined;
        const serial = Math.floor(Number(text));
        if (serial < 1 || serial > 2958465) return undefined;
        // Excel counts 1900-02-29, which never existed; serials from 61 on are one day ahead of the calendar.
        const date = new Date(Date.UTC(1899, 11, serial < 61 ? 31 : 30) + serial * 86_400_000);
        return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
      };
    default:
      return compilePattern(format);
  }
}

function isRealDate({ year, month, day }: DateParts): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1800 && year <= 2200;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const FormatsArgs = z
  .union([
    z.string().min(1),
    z.array(z.string().min(1)).min(1),
    z.strictObject({ formats: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]) }).transform((a) => a.formats),
  ])
  .optional()
  .transform((formats) => (formats === undefined ? DEFAULT_FORMATS : Array.isArray(formats) ? formats : [formats]));

function createDateParser(formats: string[]): (value: unknown) => DateParts | { error: string } {
  const parsers = formats.map(compileFormat);
  return (value) => {
    if (value instanceof Date && !Number.isNaN(value.getTime())) {
      return { year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate(), time: value.toISOString() };
    }
    const text = asText(value);
    if (text === undefined) return { error: `a ${typeof value} is not a date` };
    for (const parse of parsers) {
      const parts = parse(text);
      if (parts && isRealDate(parts)) return parts;
      if (parts) return { error: `"${text}" is not a calendar date` };
    }
    return { error: `"${text}" matches none of the date formats ${formats.join(', ')}` };
  };
}

defineTransform({
  name: 'date',
  description: 'an ISO date (YYYY-MM-DD) from `{ date: "MM/DD/YYYY" }`, YYYYMMDD, ISO or EXCEL serials',
  args: FormatsArgs,
  create: (formats) => {
    const parse = createDateParser(formats);
    return (value) => {
      const parts = parse(value);
      if ('error' in parts) return invalid('date.format', `${parts.error}: correct the date or the mapping's date format`);
      return valid(`${parts.year}-${pad(parts.month)}-${pad(parts.day)}`);
    };
  },
});

defineTransform({
  name: 'datetime',
  description: 'an ISO instant (2024-05-31T12:00:00.000Z); a date without a time is taken as midnight UTC',
  args: FormatsArgs,
  create: (formats) => {
    const parse = createDateParser(formats);
    return (value) => {
      const parts = parse(value);
      if ('error' in parts) return invalid('date.format', `${parts.error}: correct the timestamp or the mapping's date format`);
      const instant = parts.time ? new Date(parts.time) : new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
      if (Number.isNaN(instant.getTime())) return invalid('date.format', `"${String(value)}" is not a valid timestamp`);
      return valid(instant.toISOString());
    };
  },
});

defineTransform({
  name: 'year',
  description: 'the year as a number, from a 4-digit year or a date in the given formats',
  args: FormatsArgs,
  create: (formats) => {
    const parse = createDateParser(formats);
    return (value) => {
      const text = asText(value);
      if (text !== undefined && /^\d{4}$/.test(text)) return valid(Number(text));
      const parts = parse(value);
      if ('error' in parts) return invalid('year.format', `${parts.error}: expected a 4-digit year or a date`);
      return valid(parts.year);
    };
  },
});

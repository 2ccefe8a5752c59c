import { z } from 'zod';

export const DATE_FORMATS = ['YYYYMMDD', 'YYYY-MM-DD', 'MM/DD/YYYY', 'MMDDYYYY', 'YYYYMM'] as const;

/** One column of a declared layout. Fixed-width columns have `start` (1-based byte position) and `length` (bytes). */
export const ColumnSchema = z.strictObject({
  name: z.string().min(1),
  start: z.number().int().min(1).optional(),
  length: z.number().int().min(1).optional(),
  /** `string` (trimmed), `number`, `integer`, `date` (to an ISO date; `YYYYMM` gives the month's last day). */
  type: z.enum(['string', 'number', 'integer', 'date']).default('string'),
  format: z.enum(DATE_FORMATS).optional(),
  /** Implied decimal places of a number written without a point (`0001250` with 2 is 12.50). */
  decimals: z.number().int().min(0).max(6).optional(),
});
export type Column = z.infer<typeof ColumnSchema>;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/**
 * Converts a text value to the column's type. Empty is no value. A value that does not fit its type is kept as
 * text, so the mapping's transform nulls it with a field issue and the rest of the row still maps.
 */
export function typeValue(text: string, column: Column | undefined): string | number | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  if (!column || column.type === 'string') return value;
  if (column.type === 'number' || column.type === 'integer') {
    // Mainframe extracts write the sign last (`125-`) and group digits with commas.
    let v = value.replace(/,/g, '');
    if (/^\d+(\.\d*)?-$/.test(v)) v = `-${v.slice(0, -1)}`;
    if (!NUMBER.test(v)) return value;
    let n = Number(v);
    if (column.decimals && !v.includes('.')) n = n / 10 ** column.decimals;
    if (column.type === 'integer' && !Number.isInteger(n)) return value;
    return n;
  }
  return toIsoDate(value, column.format ?? 'YYYY-MM-DD') ?? value;
}

function toIsoDate(value: string, format: (typeof DATE_FORMATS)[number]): string | undefined {
  let y: number;
  let m: number;
  let d: number | undefined;
  let match: RegExpMatchArray | null;
  switch (format) {
    case 'YYYYMMDD':
      match = value.match(/^(\d{4})(\d{2})(\d{2})$/);
      if (!match) return undefined;
      [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
      break;
    case 'YYYY-MM-DD':
      match = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
      if (!match) return undefined;
      [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
      break;
    case 'MM/DD/YYYY':
      match = value.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
      if (!match) return undefined;
      [m, d, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
      break;
    case 'MMDDYYYY':
      match = value.match(/^(\d{2})(\d{2})(\d{4})$/);
      if (!match) return undefined;
      [m, d, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
      break;
    case 'YYYYMM':
      match = value.match(/^(\d{4})-?(\d{2})$/);
      if (!match) return undefined;
      [y, m] = [Number(match[1]), Number(match[2])];
      break;
  }
  if (m < 1 || m > 12) return undefined;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const day = d ?? last;
  if (day < 1 || day > last) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The values of one fixed-width line: each column sliced by byte position, then decoded and typed. */
export function sliceFixedWidth(line: Buffer, columns: Column[], encoding: BufferEncoding): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const column of columns) {
    const from = (column.start ?? 1) - 1;
    if (from >= line.length) continue;
    const value = typeValue(line.subarray(from, from + (column.length ?? 0)).toString(encoding), column);
    if (value !== undefined) out[column.name] = value;
  }
  return out;
}

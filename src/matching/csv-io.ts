/**
 * CSV in and out for batch matching without a database. Headers are trimmed and snake_cased (FEBRL writes
 * "rec_id, given_name"), values trimmed; CRLF and LF both work.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { toFieldName } from './infer-model.js';

export interface CsvTable {
  columns: string[];
  /** Original header text per column. */
  headers: string[];
  rows: Record<string, string>[];
}

export function parseCsv(text: string): CsvTable {
  const records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  const header = records[0] ?? [];
  const columns = header.map(toFieldName);
  const rows: Record<string, string>[] = [];
  for (let r = 1; r < records.length; r++) {
    const rec = records[r] as string[];
    const row: Record<string, string> = {};
    for (let c = 0; c < columns.length; c++) row[columns[c] as string] = rec[c] ?? '';
    rows.push(row);
  }
  return { columns, headers: header, rows };
}

export function readCsv(file: string): CsvTable {
  return parseCsv(readFileSync(file, 'utf8'));
}

function escapeCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'number' ? formatNumber(v) : String(v as string);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : v < 0 ? '-inf' : '';
  return String(Number(v.toPrecision(6)));
}

export function toCsv(columns: readonly string[], rows: Iterable<readonly unknown[]>): string {
  const parts: string[] = [columns.map(escapeCell).join(',')];
  for (const row of rows) parts.push(row.map(escapeCell).join(','));
  return parts.join('\n') + '\n';
}

export function writeCsv(file: string, columns: readonly string[], rows: Iterable<readonly unknown[]>): void {
  writeFileSync(file, toCsv(columns, rows));
}

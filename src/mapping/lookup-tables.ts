import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';

/**
 * A reference table from `mappings/reference/<name>.yaml|.csv`. Keys are compared trimmed and uppercased so that
 * `207r00000x` and `207R00000X` meet.
 *
 * - CSV: a header row; the first column is the key, `column` chooses the value (the second column by default).
 * - YAML: a map of key to value, or `{ description, entries: { key: value } }`.
 */
export type LookupTable = {
  name: string;
  file: string;
  columns: string[];
  get(key: string, column?: string): string | undefined;
  size: number;
};

export function normalizeLookupKey(key: string): string {
  return key.trim().toUpperCase();
}

const TABLE_EXTENSIONS = ['.yaml', '.yml', '.csv'];

export class LookupTableError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.name = 'LookupTableError';
    this.file = file;
  }
}

/** Loads tables on first use and caches them; `names()` lists what the folder offers, for hints. */
export class LookupTableDirectory {
  private readonly cache = new Map<string, LookupTable>();
  private readonly files: Map<string, string>;

  constructor(readonly dir: string) {
    this.files = new Map();
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      const ext = extname(entry).toLowerCase();
      if (TABLE_EXTENSIONS.includes(ext)) this.files.set(basename(entry, extname(entry)), join(dir, entry));
    }
  }

  names(): string[] {
    return [...this.files.keys()].sort();
  }

  has(name: string): boolean {
    return this.files.has(name) || this.cache.has(name);
  }

  /** Undefined when no such table; throws LookupTableError when the file exists but cannot be read as a table. */
  get(name: string): LookupTable | undefined {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const file = this.files.get(name);
    if (!file) return undefined;
    const table = readLookupTable(name, file);
    this.cache.set(name, table);
    return table;
  }

  /** Registers an in-memory table (tests, programmatic use). */
  add(table: LookupTable): void {
    this.cache.set(table.name, table);
  }
}

export function readLookupTable(name: string, file: string): LookupTable {
  const text = readFileSync(file, 'utf8');
  return extname(file).toLowerCase() === '.csv' ? csvTable(name, file, text) : yamlTable(name, file, text);
}

/** Builds a table from plain entries; handy for tests and for code that owns its own reference data. */
export function createLookupTable(name: string, entries: Record<string, string>, file = `<${name}>`): LookupTable {
  const map = new Map<string, string>();
  for (const [key, value] of Object.entries(entries)) map.set(normalizeLookupKey(key), value);
  return {
    name,
    file,
    columns: ['key', 'value'],
    size: map.size,
    get: (key, column) => (column === undefined || column === 'value' ? map.get(normalizeLookupKey(key)) : undefined),
  };
}

function csvTable(name: string, file: string, text: string): LookupTable {
  let records: string[][];
  try {
    records = parseCsv(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, comment: '#' });
  } catch (error) {
    throw new LookupTableError(file, `cannot read ${file} as CSV: ${(error as Error).message}`);
  }
  const [header, ...rows] = records;
  if (!header || header.length < 2) {
    throw new LookupTableError(file, `${file} needs a header row with a key column and at least one value column`);
  }
  const columns = header.slice(1);
  const byColumn = new Map<string, Map<string, string>>(columns.map((column) => [column, new Map()]));
  for (const row of rows) {
    const key = row[0];
    if (key === undefined || key === '') continue;
    const normalized = normalizeLookupKey(key);
    columns.forEach((column, index) => {
      const value = row[index + 1];
      if (value !== undefined && value !== '') byColumn.get(column)?.set(normalized, value);
    });
  }
  const first = columns[0] as string;
  return {
    name,
    file,
    columns,
    size: rows.length,
    get: (key, column) => byColumn.get(column ?? first)?.get(normalizeLookupKey(key)),
  };
}

function yamlTable(name: string, file: string, text: string): LookupTable {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new LookupTableError(file, `cannot read ${file} as YAML: ${(error as Error).message}`);
  }
  const body =
    typeof doc === 'object' && doc !== null && 'entries' in doc ? (doc as { entries: unknown }).entries : doc;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new LookupTableError(file, `${file} must be a map of key: value (optionally under \`entries:\`)`);
  }
  const entries: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'object') {
      throw new LookupTableError(file, `${file}: the value of \`${key}\` must be text, not a list or a map`);
    }
    entries[key] = String(value);
  }
  return createLookupTable(name, entries, file);
}

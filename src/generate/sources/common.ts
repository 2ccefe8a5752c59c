/** What every source renderer shares: options, the row shape, and CSV/pipe line writers. */
import type { Organization, Physician, Population } from '../population.js';
import { hashSeed } from '../random.js';

export type SourceName = 'veeva-crm' | 'nppes' | 'xponent';
export const SOURCE_NAMES: readonly SourceName[] = ['veeva-crm', 'nppes', 'xponent'];

export interface SourceOptions {
  /** Share of physicians (and organizations, where the source has them) present in the source, 0..1. */
  readonly coverage?: number;
  /** Share of rows that receive at least one corruption operator, 0..1. */
  readonly corruptionRate?: number;
  /** Seed of the source's own choices (presence, corruptions); derived from the population seed when absent. */
  readonly seed?: number;
}

export interface ResolvedSourceOptions {
  readonly coverage: number;
  readonly corruptionRate: number;
  readonly seed: number;
}

export type EntityType = 'hcp' | 'hco';

/** One row of a source file, in the source's column order, with the ground truth it was rendered from. */
export interface SourceRow {
  readonly source: SourceName;
  /** The source's own stable key for the record (Salesforce Id, NPI, prescriber id). */
  readonly sourceId: string;
  readonly entityId: string;
  readonly entityType: EntityType;
  /** Corruption labels applied to the record (see corrupt.ts). */
  readonly corruptions: readonly string[];
  readonly values: readonly string[];
}

export interface SourceRenderer {
  readonly source: SourceName;
  /** The file name the writer gives the source's file. */
  readonly fileName: string;
  readonly columns: readonly string[];
  /** The header line, newline included. */
  readonly headerLine: string;
  formatLine(values: readonly string[]): string;
  organizationRows(organization: Organization): readonly SourceRow[];
  physicianRows(physician: Physician): readonly SourceRow[];
}

export function resolveSourceOptions(population: Population, source: SourceName, options: SourceOptions, defaultCoverage: number): ResolvedSourceOptions {
  const coverage = options.coverage ?? defaultCoverage;
  const corruptionRate = options.corruptionRate ?? 0.3;
  for (const [name, value] of [['coverage', coverage], ['corruptionRate', corruptionRate]] as const) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`${source}: ${name} must be between 0 and 1, got ${value}`);
  }
  return { coverage, corruptionRate, seed: options.seed ?? hashSeed(population.seed, 'source', source) };
}

/** All rows of a source: organizations first (where the source has them), then physicians, in entity order. */
export function* renderRows(population: Population, renderer: SourceRenderer): Generator<SourceRow> {
  for (const organization of population.organizations) yield* renderer.organizationRows(organization);
  for (let i = 0; i < population.physicianCount; i++) yield* renderer.physicianRows(population.physicianAt(i));
}

/** RFC 4180: quote only values holding a comma, quote, CR/LF or leading/trailing space. */
export function csvLineMinimal(values: readonly string[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as string;
    if (i > 0) line += ',';
    line += /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }
  return line + '\n';
}

/** Every value double-quoted, as NPPES writes its files. */
export function csvLineQuoted(values: readonly string[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as string;
    if (i > 0) line += ',';
    line += `"${v.includes('"') ? v.replace(/"/g, '""') : v}"`;
  }
  return line + '\n';
}

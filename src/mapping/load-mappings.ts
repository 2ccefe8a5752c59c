import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { displayPath, formatDocumentPath, formatFileIssues, locateYamlPath, yamlSyntaxIssues, type FileIssue } from '../diagnostics/yaml-location.js';
import { compileMappingDocument, type CompiledMapping, type DocumentPath } from './compile-mapping.js';
import { LookupTableDirectory, LookupTableError, type LookupTable } from './lookup-tables.js';
import type { TransformEnv } from './transforms/registry.js';

/**
 * Loads `mappings/sources/*.yaml`, the way Nango reads its config: every file is read, every problem in every
 * file is collected with its file, line, path and a hint, and nothing is thrown. A file with errors yields no
 * mapping; the others still load, so `crosswalk mappings check` shows the whole picture in one run.
 */

/** Codes such as `yaml.syntax`, `schema.unknown_key`, `field.unknown`, `transform.unknown`; paths such as `entities[0].fields.identifiers[1]`. */
export type MappingLoadError = FileIssue;

export type LoadedMapping = CompiledMapping & { file: string };

export type LoadMappingsOptions = {
  /** Folder of mapping files; default `mappings/sources` under the working directory. */
  dir?: string;
  /** Folder of lookup tables; default `../reference` next to `dir`. */
  referenceDir?: string;
  /** Extra in-memory lookup tables (tests, programmatic use). */
  tables?: LookupTable[];
};

export type LoadMappingsResult = { mappings: LoadedMapping[]; errors: MappingLoadError[] };

export const DEFAULT_MAPPINGS_DIR = 'mappings/sources';

export function loadMappings(options: LoadMappingsOptions = {}): LoadMappingsResult {
  const dir = resolve(options.dir ?? DEFAULT_MAPPINGS_DIR);
  const errors: MappingLoadError[] = [];
  const mappings: LoadedMapping[] = [];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return { mappings, errors: [{ code: 'dir.missing', file: displayPath(dir), path: '', message: `mapping folder ${displayPath(dir)} does not exist`, hint: 'pass --dir with the folder that holds <connector>.<stream>.yaml files' }] };
  }
  const env = createTransformEnv(options.referenceDir ?? join(dirname(dir), 'reference'), options.tables);
  const files = readdirSync(dir)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort();
  const bySource = new Map<string, string>();
  for (const name of files) {
    const file = join(dir, name);
    const result = loadMappingFile(file, { env });
    errors.push(...result.errors);
    if (!result.mapping) continue;
    const sourceKey = `${result.mapping.connector}\u0000${result.mapping.stream}`;
    const first = bySource.get(sourceKey);
    if (first !== undefined) {
      errors.push({
        code: 'mapping.duplicate_source',
        file: displayPath(file),
        ...(result.location(['source']) ?? {}),
        path: 'source',
        message: `connector \`${result.mapping.connector}\` stream \`${result.mapping.stream}\` is already mapped by ${first}`,
        hint: 'one mapping per (connector, stream): merge the two files or change `source.stream`',
      });
      continue;
    }
    bySource.set(sourceKey, displayPath(file));
    mappings.push(result.mapping);
  }
  return { mappings, errors };
}

export type LoadMappingFileResult = {
  mapping?: LoadedMapping;
  errors: MappingLoadError[];
  /** Line and column of a path inside this file, when it exists there. */
  location(path: DocumentPath): { line: number; column: number } | undefined;
};

/** Loads one mapping file. `env` defaults to the reference folder next to the file's folder. */
export function loadMappingFile(file: string, options: { env?: TransformEnv; referenceDir?: string; tables?: LookupTable[] } = {}): LoadMappingFileResult {
  const shown = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { errors: [{ code: 'file.read', file: shown, path: '', message: `cannot read ${shown}: ${(error as Error).message}` }], location: () => undefined };
  }
  const env = options.env ?? createTransformEnv(options.referenceDir ?? join(dirname(dirname(resolve(file))), 'reference'), options.tables);
  return parseMappingText(text, { file: shown, env });
}

/** Parses and compiles mapping YAML held in memory; `file` only labels the errors. */
export function parseMappingText(text: string, options: { file: string; env: TransformEnv }): LoadMappingFileResult {
  const { file, env } = options;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const location = (path: DocumentPath): { line: number; column: number } | undefined => locateYamlPath(doc, lineCounter, path);
  if (doc.errors.length > 0) {
    const errors = yamlSyntaxIssues(doc, file, lineCounter);
    return { errors, location };
  }
  const { mapping, errors } = compileMappingDocument(doc.toJS(), env);
  const located = errors.map((error): MappingLoadError => {
    const pos = location(error.path);
    return {
      code: error.code,
      file,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
      path: formatDocumentPath(error.path),
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
    };
  });
  located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { ...(mapping ? { mapping: { ...mapping, file } } : {}), errors: located, location };
}

export function createTransformEnv(referenceDir: string, extraTables: LookupTable[] = []): TransformEnv & { directory: LookupTableDirectory } {
  const directory = new LookupTableDirectory(resolve(referenceDir));
  for (const table of extraTables) directory.add(table);
  return {
    directory,
    getTable: (name) => {
      try {
        return directory.get(name);
      } catch (error) {
        // A table that exists but cannot be read is reported where the mapping uses it.
        if (error instanceof LookupTableError) throw new Error(error.message, { cause: error });
        throw error;
      }
    },
    tableNames: () => directory.names(),
  };
}

/**
 * One block per error, in the compiler style editors link to:
 *
 *     mappings/sources/veeva-crm.accounts.yaml:24:11  entities[0].fields.identifiers[0].value.transforms[0]
 *       unknown transform `nip`
 *       hint: did you mean `npi`?
 */
export function formatMappingErrors(errors: MappingLoadError[]): string {
  return formatFileIssues(errors, 'all mappings are valid');
}

import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { suggestClosest } from '../diagnostics/suggest.js';
import { displayPath, formatDocumentPath, formatFileIssues, locateYamlPath, yamlSyntaxIssues, type FileIssue } from '../diagnostics/yaml-location.js';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { MasterEntityType } from '../model/draft.js';
import { createSurvivorshipConfigSchema, knownConfigKeys, RULE_NAMES, type SurvivorshipConfig } from './config-schema.js';

/**
 * Reads a survivorship config the way the mapping loader reads mappings: every problem in the file is collected
 * with its path, line and a hint, and nothing is thrown, so one run shows the whole picture.
 */

/** Codes such as `yaml.syntax`, `file.read`, `schema.unknown_key`, `list.duplicate`; paths such as `attributes.firstName.rules[1]`. */
export type SurvivorshipConfigIssue = FileIssue;

export type SurvivorshipConfigResult =
  | { ok: true; config: SurvivorshipConfig; file: string }
  | { ok: false; errors: SurvivorshipConfigIssue[]; file: string };

/** Thrown by `requireSurvivorshipConfig`: a person must fix the file; `issues` lists every problem. */
export class SurvivorshipConfigError extends ConfigError {
  readonly issues: SurvivorshipConfigIssue[];
  constructor(issues: SurvivorshipConfigIssue[]) {
    super('survivorship.config_invalid', `survivorship config is invalid:\n${formatSurvivorshipConfigIssues(issues)}`, { path: issues[0]?.file });
    this.name = 'SurvivorshipConfigError';
    this.issues = issues;
  }
}

export function loadSurvivorshipConfig(file: string): SurvivorshipConfigResult {
  const shown = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, file: shown, errors: [{ code: 'file.read', file: shown, path: '', message: `cannot read ${shown}: ${(error as Error).message}` }] };
  }
  return parseSurvivorshipConfig(text, shown);
}

/** Loads a config or throws a `SurvivorshipConfigError` carrying every issue: for workers that cannot go on without one. */
export function requireSurvivorshipConfig(file: string): SurvivorshipConfig {
  const result = loadSurvivorshipConfig(file);
  if (!result.ok) throw new SurvivorshipConfigError(result.errors);
  return result.config;
}

/** Parses config YAML held in memory; `file` only labels the issues. */
export function parseSurvivorshipConfig(text: string, file: string): SurvivorshipConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const errors = yamlSyntaxIssues(doc, file, lineCounter);
    return { ok: false, file, errors };
  }
  const raw: unknown = doc.toJS();
  const entity = readEntity(raw);
  const parsed = createSurvivorshipConfigSchema(entity).safeParse(raw);
  if (parsed.success) return { ok: true, file, config: parsed.data as SurvivorshipConfig };
  const errors = parsed.error.issues.flatMap((issue) => describeIssue(issue, raw)).map((issue): SurvivorshipConfigIssue => {
    const pos = locateYamlPath(doc, lineCounter, issue.path);
    return { file, ...(pos ? { line: pos.line, column: pos.column } : {}), ...issue, path: formatDocumentPath(issue.path) };
  });
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { ok: false, file, errors };
}

function readEntity(raw: unknown): MasterEntityType | undefined {
  const entity = (raw as { entity?: unknown } | null)?.entity;
  return entity === 'hcp' || entity === 'hco' ? entity : undefined;
}

type DescribedIssue = { code: string; path: PropertyKey[]; message: string; hint?: string };

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): DescribedIssue[] {
  const path = [...issue.path];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const underAttributes = path.length === 1 && path[0] === 'attributes';
      return issue.keys.map((key) => {
        if (underAttributes) {
          const suggestion = suggestClosest(key, knownConfigKeys());
          return { code: 'attribute.unknown', path: [...path, key], message: `\`${key}\` is not an attribute of ${describeEntity(readEntity(raw))}`, ...(suggestion ? { hint: `did you mean \`${suggestion}\`?` } : {}) };
        }
        const misplaced = MISPLACED_KEY_HINTS[key];
        if (misplaced) return { code: 'schema.misplaced_key', path: [...path, key], message: `\`${key}\` is not allowed here`, hint: misplaced };
        const suggestion = suggestClosest(key, knownConfigKeys());
        return { code: 'schema.unknown_key', path: [...path, key], message: `unknown key \`${key}\``, ...(suggestion && suggestion !== key ? { hint: `did you mean \`${suggestion}\`?` } : {}) };
      });
    }
    case 'invalid_value': {
      const input = valueAt(raw, path);
      const suggestion = typeof input === 'string' ? suggestClosest(input, issue.values.filter((v): v is string => typeof v === 'string')) : undefined;
      return [{ code: 'schema.invalid_value', path, message: issue.message, ...(suggestion ? { hint: `did you mean \`${suggestion}\`?` } : ruleHint(input)) }];
    }
    case 'custom': {
      const code = (issue.params as { code?: unknown } | undefined)?.code;
      return [{ code: typeof code === 'string' ? code : 'schema.custom', path, message: issue.message }];
    }
    default:
      return [{ code: `schema.${issue.code}`, path, message: issue.message }];
  }
}

const MISPLACED_KEY_HINTS: Record<string, string> = {
  primary: 'only attributes merged by `union` take `primary` (identifiers, addresses, contactPoints, affiliations, and code lists with `rules: [union]`)',
  singleValuedTypes: 'only `identifiers` takes `singleValuedTypes`',
  sources: 'the trust order goes at the top level or inside one attribute',
};

function ruleHint(input: unknown): { hint?: string } {
  return typeof input === 'string' && (RULE_NAMES as readonly string[]).includes(input) ? { hint: 'see mappings/survivorship/README.md for the rules each attribute accepts' } : {};
}

function describeEntity(entity: MasterEntityType | undefined): string {
  if (entity === 'hcp') return 'a physician (hcp)';
  if (entity === 'hco') return 'an organization (hco)';
  return 'a physician or an organization';
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let node = raw;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  return node;
}


/** One block per issue, compiler style (`file:line:col  path`), then a count. */
export function formatSurvivorshipConfigIssues(issues: SurvivorshipConfigIssue[]): string {
  return formatFileIssues(issues, 'the survivorship config is valid');
}

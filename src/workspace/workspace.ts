import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { ConnectorDefinition, StreamSpec } from '../sdk/index.js';
import { decryptConfigSecrets } from '../secrets/config-secrets.js';
import { findConnectorType, listConnectorTypes } from './connector-registry.js';

const ScheduleSchema = z.union([
  z.object({ cron: z.string().min(1), tz: z.string().default('UTC') }),
  z.object({ everyMinutes: z.number().int().positive() }),
]);

const ConnectorEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and hyphens'),
  type: z.string(),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  schedule: ScheduleSchema.optional(),
  /**
   * `create`: this source's physicians and organizations become master records. `resolve`: they only attach to
   * masters other sources created (an Rx feed never creates a physician on its own).
   */
  masters: z.enum(['create', 'resolve']).default('create'),
  config: z.record(z.string(), z.unknown()).default({}),
});

const WorkspaceFileSchema = z.object({
  name: z.string().default('Crosswalk workspace'),
  /** Folder of source mappings, relative to the workspace file. */
  mappings: z.string().default('mappings/sources'),
  /** Matching models (physician.yaml, organization.yaml); default: `matching` beside the mappings folder. */
  matching: z.string().optional(),
  /** Survivorship rules; default: `survivorship` beside the mappings folder. */
  survivorship: z.string().optional(),
  connectors: z.array(ConnectorEntrySchema).default([]),
});

export type ConnectorInstance = {
  id: string;
  type: string;
  description?: string;
  enabled: boolean;
  masters: 'create' | 'resolve';
  schedule?: z.infer<typeof ScheduleSchema>;
  config: unknown;
  definition: ConnectorDefinition;
  streams: StreamSpec[];
};

export type Workspace = {
  name: string;
  dir: string;
  mappingsDir: string;
  matchingDir: string;
  survivorshipDir: string;
  connectors: ConnectorInstance[];
};

export const WORKSPACE_FILE = 'crosswalk.yaml';

/**
 * Reads `crosswalk.yaml`: which connectors exist, their settings and schedules. Every problem in the file is
 * reported at once, each with its path, before anything runs.
 */
export function loadWorkspace(dir: string): Workspace {
  const file = path.join(dir, WORKSPACE_FILE);
  if (!existsSync(file)) throw new ConfigError('workspace.missing', `No ${WORKSPACE_FILE} in ${dir}: set CROSSWALK_WORKSPACE to a folder that has one.`);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (doc.errors.length > 0) {
    throw new ConfigError('workspace.yaml', `${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
  }
  const parsed = WorkspaceFileSchema.safeParse(doc.toJS());
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError('workspace.invalid', `${file} has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  }

  const connectors: ConnectorInstance[] = [];
  const seen = new Set<string>();
  parsed.data.connectors.forEach((entry, i) => {
    const where = `connectors[${i}] (${entry.id})`;
    if (seen.has(entry.id)) problems.push(`${where}: the id is used twice`);
    seen.add(entry.id);
    const definition = findConnectorType(entry.type);
    if (!definition) {
      problems.push(`${where}.type: unknown connector type "${entry.type}"; known: ${listConnectorTypes().join(', ')}`);
      return;
    }
    // `enc:v1:` values (crosswalk secrets encrypt) are decrypted here; a missing or wrong key names the field.
    const secrets = decryptConfigSecrets(entry.config, where);
    if (secrets.problems.length > 0) {
      problems.push(...secrets.problems);
      return;
    }
    const config = definition.configSchema.safeParse(secrets.config);
    if (!config.success) {
      for (const issue of config.error.issues) problems.push(`${where}.config.${issue.path.join('.')}: ${issue.message}`);
      return;
    }
    connectors.push({ ...entry, config: config.data, definition, streams: definition.discover(config.data) });
  });
  if (problems.length > 0) throw new ConfigError('workspace.invalid', `${file} has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);

  const mappingsDir = path.resolve(dir, parsed.data.mappings);
  return {
    name: parsed.data.name,
    dir,
    mappingsDir,
    matchingDir: path.resolve(dir, parsed.data.matching ?? path.join(parsed.data.mappings, '..', 'matching')),
    survivorshipDir: path.resolve(dir, parsed.data.survivorship ?? path.join(parsed.data.mappings, '..', 'survivorship')),
    connectors,
  };
}

export function findConnector(workspace: Workspace, id: string): ConnectorInstance {
  const found = workspace.connectors.find((c) => c.id === id);
  if (!found) {
    throw new ConfigError('workspace.unknown_connector', `No connector "${id}" in ${workspace.dir}/${WORKSPACE_FILE}; known: ${workspace.connectors.map((c) => c.id).join(', ') || 'none'}.`);
  }
  return found;
}

import type { Logger } from 'pino';
import type { Settings } from './config.js';
import { createLogger } from './logger.js';
import { loadMappingCatalog } from './pipeline/load-mapping-catalog.js';
import type { MappingCatalog } from './pipeline/mapping-catalog.js';
import { loadMasterRules, type MasterRules } from './pipeline/resolve-masters.js';
import { openDatabase, type Database } from './store/database.js';
import { migrate } from './store/migrate.js';
import path from 'node:path';
import { loadWorkspace, type Workspace } from './workspace/workspace.js';

export type Hub = {
  settings: Settings;
  logger: Logger;
  db: Database;
  workspace: Workspace;
  mappings: MappingCatalog;
  masterRules: MasterRules;
  close(): Promise<void>;
};

/**
 * Opens what every long-running command needs, in the order that fails fastest on a mistake: the workspace
 * and its mappings (pure files) before the database.
 */
export async function openHub(settings: Settings, options: { logger?: Logger } = {}): Promise<Hub> {
  const logger = options.logger ?? createLogger({ level: settings.logLevel });
  const workspace = loadWorkspace(settings.workspaceDir);
  const mappings = loadMappingCatalog(workspace.mappingsDir);
  const masterRules = loadMasterRules(workspace.matchingDir, workspace.survivorshipDir);
  const db = await openStore(settings);
  await migrate(db);
  return {
    settings,
    logger,
    db,
    workspace,
    mappings,
    masterRules,
    close: () => db.close(),
  };
}

/** The master store the settings name: the server at DATABASE_URL, or embedded PGlite under the data folder. */
export function openStore(settings: Settings): Promise<Database> {
  return openDatabase(settings.databaseUrl ? { url: settings.databaseUrl } : { dataDir: path.join(settings.dataDir, 'pglite') });
}

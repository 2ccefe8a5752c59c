/**
 * The API as bench/api-load.ts serves it: built exactly as `crosswalk start` builds it (request logging off, rate
 * limit off), on the bench's store, in this process or in each forked API process (bench/lib/api-process.ts).
 */
import path from 'node:path';
import { pino } from 'pino';
import { buildApi, type Api } from '../../src/api/app.js';
import { loadSettings } from '../../src/config.js';
import type { Hub } from '../../src/hub.js';
import { startEngine, type Engine } from '../../src/pipeline/engine.js';
import { loadMappingCatalog } from '../../src/pipeline/load-mapping-catalog.js';
import { loadMasterRules } from '../../src/pipeline/resolve-masters.js';
import type { Database } from '../../src/store/database.js';
import { loadWorkspace } from '../../src/workspace/workspace.js';

export type BenchApi = { api: Api; engine: Engine; url: string; close(): Promise<void> };

/** Listens on `port` (0: any; forked processes given 0 share the first one's) once the search index is loaded. */
export async function serveBenchApi(db: Database, options: { queuePrefix: string; key: string; port: number }): Promise<BenchApi> {
  const settings = loadSettings({ CROSSWALK_QUEUE_PREFIX: options.queuePrefix, REDIS_URL: process.env.REDIS_URL, LOG_LEVEL: 'silent' });
  const workspace = loadWorkspace(path.resolve('examples/demo'));
  const hub: Hub = {
    settings,
    logger: pino({ level: 'silent' }),
    db,
    workspace,
    mappings: loadMappingCatalog(workspace.mappingsDir),
    masterRules: loadMasterRules(workspace.matchingDir, workspace.survivorshipDir),
    close: async () => undefined,
  };
  const engine = await startEngine(hub, { workers: false });
  const api = await buildApi(hub, engine, { logRequests: false, rateLimitPerMinute: 0 });
  // The first search waits for the search index, which starts loading from the store as the API is built.
  await api.inject({ method: 'GET', url: '/api/masters?name=a&limit=1', headers: { authorization: `Bearer ${options.key}` } });
  const url = await api.listen({ host: '127.0.0.1', port: options.port });
  return {
    api,
    engine,
    url,
    close: async () => {
      await api.close();
      await engine.close();
    },
  };
}

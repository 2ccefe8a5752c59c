import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pino } from 'pino';
import { buildApi, type Api } from '../../src/api/app.js';
import type { Role } from '../../src/auth/roles.js';
import { createUser, issueApiKey } from '../../src/auth/user.repository.js';
import { loadSettings } from '../../src/config.js';
import type { Hub } from '../../src/hub.js';
import { startEngine, type Engine } from '../../src/pipeline/engine.js';
import { loadMappingCatalog } from '../../src/pipeline/load-mapping-catalog.js';
import { loadMasterRules, resolveMasters } from '../../src/pipeline/resolve-masters.js';
import { syncStream } from '../../src/pipeline/sync-stream.js';
import type { Database } from '../../src/store/database.js';
import { createRun } from '../../src/store/sync-run.repository.js';
import { loadWorkspace } from '../../src/workspace/workspace.js';
import { openTestDatabase, type StoreKind } from '../helpers/database.js';
import { ingest, physician } from '../helpers/masters.js';

export const PASSWORD = 'correct horse battery';
export type TestHub = { hub: Hub; engine: Engine; api: Api; db: Database; keys: Record<Role, string>; resolve(): Promise<void>; close(): Promise<void> };

/**
 * A hub in-process on a fresh store: the demo workspace synced and resolved in this process (no queue workers:
 * the API's reads and the steward's merges need none; the queues are on Redis under a random prefix), an admin,
 * a steward and a viewer with the password above and an API key each, and extra uncertain pairs for the review
 * queue (same name, one record without NPI at another address: the physician model is unsure of those).
 */
export async function startTestHub(options: { kind?: StoreKind; seedDemo?: boolean; uncertainPairs?: number } = {}): Promise<TestHub> {
  const { db, dispose } = await openTestDatabase(options.kind ?? 'pglite');
  const workspace = loadWorkspace(path.resolve('examples/demo'));
  const mappings = loadMappingCatalog(workspace.mappingsDir);
  const masterRules = loadMasterRules(workspace.matchingDir, workspace.survivorshipDir);
  const logger = pino({ level: 'silent' });
  const resolveOnly = new Set(workspace.connectors.filter((c) => c.masters === 'resolve').map((c) => c.id));
  const resolve = async () => {
    for (const type of ['hco', 'hcp'] as const) await resolveMasters(db, masterRules, type, { resolveOnlyConnectors: resolveOnly });
  };
  if (options.seedDemo !== false) {
    for (const c of workspace.connectors) {
      for (const s of c.streams) {
        const run = await createRun(db, { connector: c.id, stream: s.name, trigger: 'test' });
        await syncStream({ db, workspace, mappings, logger }, { runId: run.id, connectorId: c.id, stream: s.name, batchSize: 2000 });
      }
    }
  }
  // The CRM's copy misspells the surname, has no NPI and another address in the same ZIP3 (so blocking pairs
  // them). With the demo's records around (term frequencies come from the whole master) the physician model is
  // unsure of both (probed); alone, it is not.
  const pairs: Array<[string, string, string, string]> = [
    ['William', 'Harrington', 'Harington', '1234567893'],
    ['Ada', 'Pennington', 'Penington', '1497758544'],
  ];
  const streets = ['OAK', 'ELM', 'PINE', 'MAPLE', 'CEDAR', 'BIRCH'];
  for (const [i, [first, last, typo, npi]] of pairs.slice(0, options.uncertainPairs ?? 2).entries()) {
    await ingest(db, 'nppes', `t-${last}`, physician({ firstName: first, lastName: last, npi, line1: `${10 + i} ${streets[i]} ST`, zip: `0${31 + i}16` }));
    await ingest(db, 'veeva-crm', `t-${last}`, physician({ firstName: first, lastName: typo, line1: `${200 + i} ${streets[5 - i]} AVE`, zip: `0${31 + i}18` }));
  }
  await resolve();

  const settings = loadSettings({ CROSSWALK_QUEUE_PREFIX: `cw-test-${randomBytes(4).toString('hex')}`, REDIS_URL: process.env.REDIS_URL, LOG_LEVEL: 'silent' });
  const hub: Hub = { settings, logger, db, workspace, mappings, masterRules, close: async () => undefined };
  const engine = await startEngine(hub, { workers: false });
  const api = await buildApi(hub, engine, { logRequests: false });
  const keys = {} as Record<Role, string>;
  for (const role of ['admin', 'steward', 'viewer'] as const) {
    await createUser(db, { name: `${role}1`, role, password: PASSWORD, actor: 'test' });
    keys[role] = (await issueApiKey(db, `${role}1`, { actor: 'test' })).key;
  }
  return {
    hub,
    engine,
    api,
    db,
    keys,
    resolve,
    async close() {
      await api.close();
      await engine.sync.queue.obliterate({ force: true }).catch(() => undefined);
      await engine.match.queue.obliterate({ force: true }).catch(() => undefined);
      await engine.close();
      await dispose();
    },
  };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

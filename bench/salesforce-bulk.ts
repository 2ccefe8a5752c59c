/**
 * Salesforce connector, bulk path end to end: N accounts (default 100,000) in the fake org, read over Bulk API 2.0
 * and stored through syncStream into an embedded PGlite master store, then an incremental rerun (overlap window
 * only). Prints records per second and the API calls each run cost.
 *
 *   npx tsx bench/salesforce-bulk.ts [accounts]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { salesforceConnector } from '../connectors/salesforce/connector.js';
import { loadMappingCatalog } from '../src/pipeline/load-mapping-catalog.js';
import { syncStream } from '../src/pipeline/sync-stream.js';
import type { ConnectorDefinition } from '../src/sdk/index.js';
import { openDatabase } from '../src/store/database.js';
import { migrate } from '../src/store/migrate.js';
import { createRun } from '../src/store/sync-run.repository.js';
import { startFakeOrg } from '../tests/fakes/salesforce/harness.js';

const accounts = Number(process.argv[2] ?? 100_000);
const seedStarted = Date.now();
const { org, config } = await startFakeOrg({ accounts });
const seedMs = Date.now() - seedStarted;
const dir = mkdtempSync(path.join(tmpdir(), 'crosswalk-sf-bench-'));
const db = await openDatabase({ dataDir: path.join(dir, 'pglite') });
await migrate(db);
const cfg = config({ bulkThreshold: 10_000, bulkPageSize: 50_000 });
const workspace = {
  name: 'bench',
  dir: process.cwd(),
  mappingsDir: path.resolve('mappings/sources'),
  matchingDir: path.resolve('mappings/matching'),
  survivorshipDir: path.resolve('mappings/survivorship'),
  connectors: [{ id: 'salesforce-veeva', type: 'salesforce', enabled: true, masters: 'create' as const, config: cfg, definition: salesforceConnector as ConnectorDefinition, streams: salesforceConnector.discover(cfg) }],
};
const deps = { db, workspace, mappings: loadMappingCatalog(path.resolve('mappings/sources')), logger: pino({ level: 'silent' }) };

type Row = { run: string; mode: string; records: number; new: number; changed: number; unchanged: number; seconds: number; perSecond: number; apiCalls: number; bulkJobs: number };
const rows: Row[] = [];
async function run(label: string): Promise<void> {
  const usedBefore = org.apiUsed;
  const jobsBefore = org.countRequests(/^POST .*\/jobs\/query$/);
  const started = performance.now();
  const r = await createRun(db, { connector: 'salesforce-veeva', stream: 'account', trigger: 'bench' });
  const counts = await syncStream(deps, { runId: r.id, connectorId: 'salesforce-veeva', stream: 'account', batchSize: 2_000 });
  const seconds = (performance.now() - started) / 1000;
  const bulkJobs = org.countRequests(/^POST .*\/jobs\/query$/) - jobsBefore;
  rows.push({ run: label, mode: bulkJobs ? 'bulk' : 'rest', records: counts.read, new: counts.new, changed: counts.changed, unchanged: counts.unchanged, seconds: Number(seconds.toFixed(1)), perSecond: Math.round(counts.read / seconds), apiCalls: org.apiUsed - usedBefore, bulkJobs });
}

try {
  await run('full load');
  for (let i = 0; i < 50; i++) org.update('Account', org.rows('Account')[i * 7]!.Id, { Phone: `(617) 555-${String(2000 + i)}` });
  await run('delta (50 edits + 5 min overlap)');
  console.log(`Salesforce bulk path: ${accounts.toLocaleString('en-US')} accounts (fake org seeded in ${(seedMs / 1000).toFixed(1)} s), syncStream into PGlite, batches of 2,000`);
  console.table(rows);
} finally {
  await org.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * One forked API process of bench/api-load.ts (`--api-processes N`): opens the bench's store (CW_BENCH_DB_URL,
 * CW_BENCH_SCHEMA), serves the API on the port the processes share and says so once its search index is loaded.
 */
import { serveAsApiProcess } from '../../src/api/processes.js';
import { openDatabase } from '../../src/store/database.js';
import { serveBenchApi } from './api-server.js';

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

await serveAsApiProcess(async () => {
  const db = await openDatabase({ url: env('CW_BENCH_DB_URL'), schema: env('CW_BENCH_SCHEMA'), maxConnections: 10 });
  const served = await serveBenchApi(db, { queuePrefix: env('CW_BENCH_QUEUE_PREFIX'), key: env('CW_BENCH_KEY'), port: 0 });
  const memory = process.memoryUsage();
  process.stderr.write(`[api-load] API process ${process.pid}: RSS ${Math.round(memory.rss / 2 ** 20)} MB, heap ${Math.round(memory.heapUsed / 2 ** 20)} MB\n`);
  process.once('SIGTERM', () => void served.close().then(() => db.close()).then(() => process.exit(0)));
  return served.url;
});

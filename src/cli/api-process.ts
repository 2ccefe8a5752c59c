/**
 * One of the processes serving the HTTP API on a shared port (`crosswalk start --api-processes N`, `crosswalk api
 * --processes N`): forked by src/api/processes.ts, which it tells when it listens or why it could not start.
 */
import { serveAsApiProcess } from '../api/processes.js';
import { loadSettings } from '../config.js';
import { serveApi } from './commands/start.js';

await serveAsApiProcess(async () => (await serveApi(loadSettings({ LOG_LEVEL: 'warn', ...process.env }))).url);

/**
 * One of the processes serving the HTTP API on a shared port (`crosswalk start --api-processes N`, `crosswalk api
 * --processes N`): forked by src/api/processes.ts, which it tells when it listens or why it could not start.
 */
import { announceFailure, announceListening } from '../api/processes.js';
import { loadSettings } from '../config.js';
import { serveApi } from './commands/start.js';

try {
  const { url } = await serveApi(loadSettings({ LOG_LEVEL: 'warn', ...process.env }));
  announceListening(url);
} catch (error) {
  await announceFailure(error);
  process.exit(1);
}

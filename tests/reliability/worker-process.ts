/**
 * A worker process for the reliability tests: exactly `crosswalk worker`, started as its own process so a test
 * can kill it (-9), stop it (SIGTERM) or cut its connections. Everything it needs comes from the environment
 * the test gives it (DATABASE_URL, CROSSWALK_WORKSPACE, CROSSWALK_QUEUE_PREFIX, lock timings ...).
 *
 *   node --import tsx tests/reliability/worker-process.ts [--queues sync|match|sync,match] [--concurrency n]
 */
import { Command } from 'commander';
import { registerStartCommands } from '../../src/cli/commands/start.js';

const program = new Command().name('worker-process');
registerStartCommands(program);
await program.parseAsync(['worker', ...process.argv.slice(2)], { from: 'user' });

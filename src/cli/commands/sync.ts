import type { Command } from 'commander';
import { loadSettings } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { openHub } from '../../hub.js';
import { startEngine } from '../../pipeline/engine.js';
import { listRuns } from '../../store/sync-run.repository.js';
import { findConnector } from '../../workspace/workspace.js';
import { action } from '../output.js';
import { printRunTable } from './start.js';

export function registerSyncCommands(program: Command): void {
  program
    .command('sync <connector>')
    .description('Run a sync of one connector (every stream, or one) now, and wait for it.')
    .option('--stream <name>', 'only this stream')
    .option('--since <date>', 'backfill: read records changed since this ISO date instead of from the checkpoint')
    .option('--json', 'print the run records as JSON')
    .action(
      action(async (connectorId: string, options: { stream?: string; since?: string; json?: boolean }) => {
        if (options.since && Number.isNaN(Date.parse(options.since))) throw new ConfigError('cli.since', `--since ${options.since} is not a date: use YYYY-MM-DD.`);
        const hub = await openHub(loadSettings());
        const engine = await startEngine(hub);
        try {
          const connector = findConnector(hub.workspace, connectorId);
          const streams = options.stream ? [options.stream] : connector.streams.map((s) => s.name);
          const requested = [];
          for (const stream of streams) requested.push(await engine.sync.request({ connectorId, stream, trigger: 'manual', since: options.since }));
          const runs = await Promise.all(requested.map(({ run }) => engine.sync.waitForRun(run.id)));
          if (options.json) console.log(JSON.stringify(runs, null, 2));
          else printRunTable(runs);
          if (runs.some((r) => r.status === 'failed')) process.exitCode = 1;
        } finally {
          await engine.close();
          await hub.close();
        }
      }),
    );

  program
    .command('runs')
    .description('List sync runs, newest first, with their counts and errors.')
    .option('--connector <id>', 'only this connector')
    .option('--limit <n>', 'how many', (v) => Number(v), 20)
    .option('--json', 'print JSON')
    .action(
      action(async (options: { connector?: string; limit: number; json?: boolean }) => {
        const hub = await openHub(loadSettings());
        try {
          const runs = await listRuns(hub.db, { connector: options.connector, limit: options.limit });
          if (options.json) console.log(JSON.stringify(runs, null, 2));
          else printRunTable(runs);
        } finally {
          await hub.close();
        }
      }),
    );
}

import type { Command } from 'commander';
import { loadSettings } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { openHub } from '../../hub.js';
import { startEngine } from '../../pipeline/engine.js';
import { listRuns, type SyncRun } from '../../store/sync-run.repository.js';
import { findConnector } from '../../workspace/workspace.js';
import { action } from '../output.js';
import { printRunTable } from './start.js';

type SyncOptions = { stream?: string; since?: string; json?: boolean; wait: boolean };

export function registerSyncCommands(program: Command): void {
  program
    .command('sync <connector>')
    .description('Run a sync of one connector (every stream, or one) now, and wait for it (a progress bar in a terminal).')
    .option('--stream <name>', 'only this stream')
    .option('--since <date>', 'backfill: read records changed since this ISO date instead of from the checkpoint')
    .option('--json', 'print the run records as JSON (no progress bar)')
    .option('--wait', 'wait for the runs to finish and print their summary (the default)', true)
    .option('--no-wait', 'only queue the runs and print their ids; a running hub or `npm run worker` does the work')
    .action(
      action(async (connectorId: string, options: SyncOptions) => {
        if (options.since && Number.isNaN(Date.parse(options.since))) throw new ConfigError('cli.since', `--since ${options.since} is not a date: use YYYY-MM-DD.`);
        const hub = await openHub(loadSettings());
        // Waiting needs workers; queueing only does not (someone else's workers will run it).
        const engine = await startEngine(hub, { workers: options.wait });
        try {
          const connector = findConnector(hub.workspace, connectorId);
          const streams = options.stream ? [options.stream] : connector.streams.map((s) => s.name);
          const requested = [];
          for (const stream of streams) requested.push(await engine.sync.request({ connectorId, stream, trigger: 'manual', since: options.since }));
          if (!options.wait) {
            if (options.json) console.log(JSON.stringify(requested.map(({ run, joined }) => ({ ...run, joined })), null, 2));
            else for (const { run, joined } of requested) console.log(`run ${run.id} ${joined ? 'already queued' : 'queued'}: ${run.connector}.${run.stream}`);
            return;
          }
          const bar = !options.json && process.stderr.isTTY ? createProgressBar(process.stderr) : undefined;
          const runs = await Promise.all(
            requested.map(({ run }) => engine.sync.waitForRun(run.id, { pollMs: 250, onProgress: (r) => bar?.update(r) })),
          );
          bar?.done();
          if (options.json) console.log(JSON.stringify(runs, null, 2));
          else printRunTable(runs);
          if (runs.some((r) => r.status === 'failed')) process.exitCode = 1;
        } finally {
          await engine.close();
          await hub.close();
        }
      }),
    );

  const runs = program.command('runs').description('Sync runs: list them, retry a failed one.');
  runs
    .command('list', { isDefault: true })
    .description('List sync runs, newest first, with their counts and errors.')
    .option('--connector <id>', 'only this connector')
    .option('--limit <n>', 'how many', (v) => Number(v), 20)
    .option('--json', 'print JSON')
    .action(
      action(async (options: { connector?: string; limit: number; json?: boolean }) => {
        const hub = await openHub(loadSettings());
        try {
          const list = await listRuns(hub.db, { connector: options.connector, limit: options.limit });
          if (options.json) console.log(JSON.stringify(list, null, 2));
          else printRunTable(list);
        } finally {
          await hub.close();
        }
      }),
    );
  runs
    .command('retry <id>')
    .description('Queue a failed run again: it resumes from its checkpoint, keeping what it stored.')
    .option('--no-wait', 'only queue it')
    .action(
      action(async (id: string, options: { wait: boolean }) => {
        const runId = Number(id);
        if (!Number.isInteger(runId) || runId <= 0) throw new ConfigError('cli.run_id', `"${id}" is not a run id: \`crosswalk runs\` lists them.`);
        const hub = await openHub(loadSettings());
        const engine = await startEngine(hub, { workers: options.wait });
        try {
          const run = await engine.sync.retry(runId);
          console.log(`run ${run.id} queued again: ${run.connector}.${run.stream}, resuming after ${run.counts.read} records`);
          if (!options.wait) return;
          const bar = process.stderr.isTTY ? createProgressBar(process.stderr) : undefined;
          const done = await engine.sync.waitForRun(run.id, { pollMs: 250, onProgress: (r) => bar?.update(r) });
          bar?.done();
          printRunTable([done]);
          if (done.status === 'failed') process.exitCode = 1;
        } finally {
          await engine.close();
          await hub.close();
        }
      }),
    );
}

/**
 * One line per run, redrawn in place: records read, percent when the connector knows how far it is, and the
 * rate since the bar appeared. Only for a terminal; pipes and --json get the summary alone.
 */
function createProgressBar(out: NodeJS.WriteStream) {
  const started = new Map<number, { at: number; read: number }>();
  const lines = new Map<number, string>();
  let drawn = 0;
  const render = () => {
    if (drawn > 0) out.write(`\x1b[${drawn}A`);
    for (const line of lines.values()) out.write(`\x1b[2K${line.slice(0, (out.columns || 100) - 1)}\n`);
    drawn = lines.size;
  };
  return {
    update(run: SyncRun) {
      const now = Date.now();
      const first = started.get(run.id) ?? { at: now, read: run.counts.read };
      started.set(run.id, first);
      const seconds = (now - first.at) / 1000;
      const rate = seconds > 0.5 ? Math.round((run.counts.read - first.read) / seconds) : 0;
      const fraction = run.status === 'succeeded' ? 1 : run.counts.progress;
      const width = 24;
      const bar = fraction === undefined ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '-')}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
      lines.set(run.id, `run ${run.id} ${run.connector}.${run.stream} ${bar}${run.counts.read.toLocaleString('en-US')} records${rate ? `, ${rate.toLocaleString('en-US')}/s` : ''} (${run.status})`);
      render();
    },
    done() {
      render();
    },
  };
}

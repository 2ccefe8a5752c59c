import type { Command } from 'commander';
import { loadSettings } from '../../config.js';
import { openHub } from '../../hub.js';
import { replayQuarantine } from '../../pipeline/replay-quarantine.js';
import { listQuarantine } from '../../store/quarantine.repository.js';
import { action, formatTable } from '../output.js';

export function registerQuarantineCommands(program: Command): void {
  const quarantine = program.command('quarantine').description('Records that could not be taken in, with their reason and raw payload.');

  quarantine
    .command('list')
    .description('List quarantined records that have not been replayed.')
    .option('--connector <id>', 'only this connector')
    .option('--json', 'print JSON, with payloads')
    .action(
      action(async (options: { connector?: string; json?: boolean }) => {
        const hub = await openHub(loadSettings());
        try {
          const items = await listQuarantine(hub.db, { connector: options.connector });
          if (options.json) console.log(JSON.stringify(items, null, 2));
          else console.log(formatTable(items.map((q) => ({ id: q.id, connector: q.connector, stream: q.stream, 'source id': q.sourceId ?? '', code: q.reasonCode, reason: q.reason }))));
        } finally {
          await hub.close();
        }
      }),
    );

  quarantine
    .command('replay')
    .description('Run quarantined records through the current mapping again (after fixing it). Records still failing stay quarantined.')
    .option('--connector <id>', 'only this connector')
    .option('--id <ids...>', 'only these quarantine ids')
    .action(
      action(async (options: { connector?: string; id?: string[] }) => {
        const hub = await openHub(loadSettings());
        try {
          const report = await replayQuarantine(hub, { connector: options.connector, ids: options.id?.map(Number) });
          console.log(`replayed ${report.replayed}, stored ${report.stored}, still quarantined ${report.stillFailing}, not replayable ${report.notReplayable}`);
          for (const note of report.notes) console.log(`  ${note}`);
        } finally {
          await hub.close();
        }
      }),
    );
}

import type { Command } from 'commander';
import { loadSettings } from '../../config.js';
import { openStore } from '../../hub.js';
import { migrate } from '../../store/migrate.js';
import { action } from '../output.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply the master store migrations that are not applied yet (forward only).')
    .action(
      action(async () => {
        const settings = loadSettings();
        const db = await openStore(settings);
        try {
          const report = await migrate(db);
          const where = db.kind === 'pglite' ? `embedded PostgreSQL at ${db.location}` : `PostgreSQL at ${db.location}`;
          if (report.applied.length === 0) console.log(`${where} is up to date (${report.alreadyApplied} migrations).`);
          for (const m of report.applied) console.log(`applied ${String(m.version).padStart(3, '0')}-${m.name} to ${where}`);
        } finally {
          await db.close();
        }
      }),
    );
}

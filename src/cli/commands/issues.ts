import type { Command } from 'commander';
import { loadSettings } from '../../config.js';
import { openHub } from '../../hub.js';
import { listFieldIssues } from '../../store/field-issue.queries.js';
import { action, formatTable } from '../output.js';

export function registerIssuesCommand(program: Command): void {
  program
    .command('issues')
    .description('Field-level issues found while normalizing: the field was nulled (or kept, for warnings) and the record went on.')
    .option('--connector <id>', 'only this connector')
    .option('--code <code>', 'only this issue code, e.g. npi.check_digit')
    .option('--summary', 'count issues by connector and code instead of listing them')
    .option('--limit <n>', 'how many', (v) => Number(v), 50)
    .option('--json', 'print JSON')
    .action(
      action(async (options: { connector?: string; code?: string; summary?: boolean; limit: number; json?: boolean }) => {
        const hub = await openHub(loadSettings());
        try {
          const rows = await listFieldIssues(hub.db, options);
          if (options.json) console.log(JSON.stringify(rows, null, 2));
          else console.log(formatTable(rows));
        } finally {
          await hub.close();
        }
      }),
    );
}

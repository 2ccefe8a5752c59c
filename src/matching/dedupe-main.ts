/**
 * Stand-alone entry for `crosswalk dedupe` until the main CLI wires it:
 *   npx tsx src/matching/dedupe-main.ts dedupe --in data.csv --out clusters.csv
 */
import { Command } from 'commander';
import { registerDedupeCommand } from '../cli/commands/dedupe.js';

const program = new Command('crosswalk');
registerDedupeCommand(program);
program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});

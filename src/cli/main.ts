import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

const program = new Command()
  .name('crosswalk')
  .description('Crosswalk: connectors, mappings, matching and golden records for pharmaceutical customer data.')
  .showHelpAfterError();

await registerCommands(program, process.argv[2]);
await program.parseAsync(process.argv);

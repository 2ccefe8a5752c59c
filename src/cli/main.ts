import { Command } from 'commander';
import { registerDedupeCommand } from './commands/dedupe.js';
import { registerEdiCommand } from './commands/edi.js';
import { registerGenerateCommand } from './commands/generate.js';
import { registerIssuesCommand } from './commands/issues.js';
import { registerMappingsCommand } from './commands/mappings.js';
import { registerMasterCommands } from './commands/masters.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerPrivacyCommands } from './commands/privacy.js';
import { registerQuarantineCommands } from './commands/quarantine.js';
import { registerRxCommands } from './commands/rx.js';
import { registerStartCommands } from './commands/start.js';
import { registerSyncCommands } from './commands/sync.js';
import { registerTrainCommand } from './commands/train.js';
import { registerUserCommands } from './commands/users.js';

const program = new Command()
  .name('crosswalk')
  .description('Crosswalk: connectors, mappings, matching and golden records for pharmaceutical customer data.')
  .showHelpAfterError();

registerStartCommands(program);
registerMigrateCommand(program);
registerSyncCommands(program);
registerQuarantineCommands(program);
registerIssuesCommand(program);
registerMappingsCommand(program);
registerMasterCommands(program);
registerDedupeCommand(program);
registerTrainCommand(program);
registerGenerateCommand(program);
registerEdiCommand(program);
registerRxCommands(program);
registerPrivacyCommands(program);
registerUserCommands(program);

await program.parseAsync(process.argv);

import type { Command } from 'commander';

/**
 * The CLI's commands, in the order `crosswalk --help` lists them, each with the top-level command names its module
 * registers. `main.ts` loads only the module of the command being run: the modules behind `start` and `issues` pull
 * in the API server, the queues and the store, which cost about two seconds to load that `crosswalk edi parse` does
 * not need. A test holds these names to what each module registers.
 */
export const COMMAND_MODULES: ReadonlyArray<{ names: readonly string[]; load: () => Promise<(program: Command) => void> }> = [
  { names: ['start', 'api', 'worker'], load: async () => (await import('./start.js')).registerStartCommands },
  { names: ['migrate'], load: async () => (await import('./migrate.js')).registerMigrateCommand },
  { names: ['sync', 'runs'], load: async () => (await import('./sync.js')).registerSyncCommands },
  { names: ['quarantine'], load: async () => (await import('./quarantine.js')).registerQuarantineCommands },
  { names: ['issues'], load: async () => (await import('./issues.js')).registerIssuesCommand },
  { names: ['mappings'], load: async () => (await import('./mappings.js')).registerMappingsCommand },
  { names: ['golden', 'merge', 'unmerge', 'review'], load: async () => (await import('./masters.js')).registerMasterCommands },
  { names: ['dedupe'], load: async () => (await import('./dedupe.js')).registerDedupeCommand },
  { names: ['train'], load: async () => (await import('./train.js')).registerTrainCommand },
  { names: ['generate'], load: async () => (await import('./generate.js')).registerGenerateCommand },
  { names: ['edi'], load: async () => (await import('./edi.js')).registerEdiCommand },
  { names: ['rx'], load: async () => (await import('./rx.js')).registerRxCommands },
  { names: ['privacy', 'secrets'], load: async () => (await import('./privacy.js')).registerPrivacyCommands },
  { names: ['users'], load: async () => (await import('./users.js')).registerUserCommands },
];

/** Registers the module of `command` (the first argument), or every module for help, no command or an unknown one. */
export async function registerCommands(program: Command, command: string | undefined): Promise<void> {
  const only = COMMAND_MODULES.find((m) => command !== undefined && m.names.includes(command));
  for (const module of only ? [only] : COMMAND_MODULES) (await module.load())(program);
}

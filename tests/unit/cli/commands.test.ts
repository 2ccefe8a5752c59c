import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, registerCommands } from '../../../src/cli/commands/index.js';

const namesOf = (program: Command): string[] => program.commands.flatMap((c) => [c.name(), ...c.aliases()]);

describe('the CLI command table', () => {
  it('names exactly the top-level commands (and aliases) each module registers, none twice', async () => {
    const seen = new Set<string>();
    for (const module of COMMAND_MODULES) {
      const program = new Command();
      (await module.load())(program);
      expect(namesOf(program).sort()).toEqual([...module.names].sort());
      for (const name of module.names) {
        expect(seen.has(name), `${name} is in two modules`).toBe(false);
        seen.add(name);
      }
    }
  });

  it('loads only the module of the command being run, and every module for help or an unknown command', async () => {
    const edi = new Command();
    await registerCommands(edi, 'edi');
    expect(namesOf(edi)).toEqual(['edi']);
    const review = new Command();
    await registerCommands(review, 'review');
    expect(namesOf(review)).toEqual(['golden', 'merge', 'unmerge', 'review']);
    for (const first of [undefined, '--help', 'no-such-command']) {
      const all = new Command();
      await registerCommands(all, first);
      expect(namesOf(all)).toEqual(COMMAND_MODULES.flatMap((m) => m.names));
    }
  });
});

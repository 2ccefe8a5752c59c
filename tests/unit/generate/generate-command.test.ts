import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerGenerateCommand } from '../../../src/cli/commands/generate.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('crosswalk generate', () => {
  it('writes one file per chosen source and truth.csv where it is told', async () => {
    const out = await mkdtemp(join(tmpdir(), 'crosswalk-generate-cli-'));
    const truthOut = join(out, 'truth');
    dirs.push(out);
    const program = new Command().exitOverride();
    registerGenerateCommand(program);
    const log = console.log;
    const printed: string[] = [];
    console.log = (...args: unknown[]) => printed.push(args.join(' '));
    try {
      await program.parseAsync(
        ['generate', '--physicians', '120', '--organizations', '12', '--sources', 'veeva-crm,xponent', '--coverage', 'veeva-crm=0.85,xponent=0.7', '--corruption', '0.2', '--seed', '42', '--out', out, '--truth-out', truthOut],
        { from: 'user' },
      );
    } finally {
      console.log = log;
    }
    expect((await readdir(out)).sort()).toEqual(['truth', 'veeva-crm.accounts.csv', 'xponent.rx.txt']);
    expect(await readdir(truthOut)).toEqual(['truth.csv']);
    expect(printed.join('\n')).toMatch(/veeva-crm: \d+ rows/);
  });
});

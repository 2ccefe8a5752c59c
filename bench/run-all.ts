/**
 * Runs every benchmark in turn, each in a fresh process so one's memory does not colour the next's figures.
 * `npm run bench` for the quick sizes; `npm run bench -- --full` for the sizes the README's table quotes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const full = process.argv.includes('--full');
const benches: Array<{ file: string; quick: string[]; full: string[] }> = [
  { file: 'bench/febrl.ts', quick: [], full: [] },
  { file: 'bench/master-pipeline.ts', quick: [], full: ['--physicians', '20000'] },
  { file: 'bench/generate.ts', quick: ['20000'], full: ['1000000'] },
  { file: 'bench/match-one.ts', quick: ['100000'], full: ['1000000'] },
  { file: 'bench/cms-part-d.ts', quick: [], full: ['--mb', '1024'] },
  { file: 'bench/api-load.ts', quick: [], full: [] },
  { file: 'bench/scale-dedupe.ts', quick: ['--records', '100000'], full: ['--records', '1000000'] },
  { file: 'bench/sync-queues.ts', quick: ['--records', '20000'], full: ['--records', '1000000'] },
  { file: 'bench/x12-throughput.ts', quick: ['--sizes', '20', '--runs', '1'], full: [] },
  { file: 'bench/salesforce-bulk.ts', quick: ['10000'], full: ['100000'] },
];

let failed = 0;
for (const b of benches) {
  if (!existsSync(b.file)) continue;
  const args = full ? b.full : b.quick;
  console.log(`\n=== ${b.file} ${args.join(' ')}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', b.file, ...args], { stdio: 'inherit' });
  if (run.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);

#!/usr/bin/env node
// `npm test`: the type checker, the linter, then the vitest suite. Ends with the one summary line CI reads:
// `N passed, N failed` (the tests of the suite; a failed type check or lint counts as one failure each).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const report = '.vitest.json';
const extra = process.argv.slice(2);
let checkFailures = 0;

// With file arguments (`npm test -- tests/unit/x.test.ts`) only those tests run, without the checks.
if (extra.length === 0) {
  for (const [name, args] of [
    ['typecheck', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
    ['lint', ['eslint', '.', '--max-warnings', '0']],
  ]) {
    const r = spawnSync('npx', args, { stdio: 'inherit' });
    if (r.status !== 0) {
      checkFailures += 1;
      console.error(`\n${name} failed (npx ${args.join(' ')})\n`);
    }
  }
}

rmSync(report, { force: true });
const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra], { stdio: 'inherit' });

if (!existsSync(report)) {
  console.error('vitest wrote no report: it did not run to the end.');
  console.log(`0 passed, ${checkFailures + 1} failed`);
  process.exit(1);
}
const result = JSON.parse(readFileSync(report, 'utf8'));
// A test file that fails to load (a syntax error, a failing beforeAll) has no failed tests of its own:
// count it once so the summary never reads as green while a file did not run.
const brokenFiles = result.testResults.filter((s) => s.status === 'failed' && !s.assertionResults.some((a) => a.status === 'failed')).length;
const failed = result.numFailedTests + brokenFiles + checkFailures;
console.log(`${result.numPassedTests} passed, ${failed} failed`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);

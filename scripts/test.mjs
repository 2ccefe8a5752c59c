#!/usr/bin/env node
// Runs the whole vitest suite and ends with the one summary line CI reads: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const report = '.vitest.json';
rmSync(report, { force: true });
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: 'inherit' });

if (!existsSync(report)) {
  console.log('0 passed, 1 failed');
  console.error('vitest wrote no report: it did not run to the end.');
  process.exit(run.status || 1);
}
const result = JSON.parse(readFileSync(report, 'utf8'));
const failed = result.numFailedTests + (result.numFailedTestSuites ?? 0) - countSuitesWithFailedTests(result);
console.log(`${result.numPassedTests} passed, ${failed} failed`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);

// A suite that fails to load (a syntax error, a failing beforeAll) has no failed tests of its own:
// count it once so the summary never reads as green while a file did not run.
function countSuitesWithFailedTests(r) {
  return r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.some((a) => a.status === 'failed')).length;
}

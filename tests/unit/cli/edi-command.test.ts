import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EdiFileReport } from '../../../src/cli/commands/edi.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = (name: string): string => path.join('tests/fixtures/edi', name);

/** Runs `crosswalk <args>` as a user does, through bin/crosswalk.js. */
function crosswalk(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/crosswalk.js', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('crosswalk edi', () => {
  it('parse prints each interchange, group and set with its status and records, and exits 0 for a clean file', () => {
    const run = crosswalk('edi', 'parse', fixture('867-basic.x12'));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('1 interchange(s), 0 error(s), 0 warning(s)');
    expect(run.stdout).toMatch(/interchange 000000101 ZZ:CARDINALHLTH -> ZZ:ACMEPHARMA ISA12 00401 \(element "\*" component ">" segment "~"\) accepted/);
    expect(run.stdout).toMatch(/group PT 1001 004010 1 set\(s\) accepted/);
    expect(run.stdout).toMatch(/set 867 0001 41 segments accepted: 2 customer, 3 sales-line/);
  });

  it('parse --json gives every issue with its byte offset, segment number and line, and exits 1 when there are errors', () => {
    const run = crosswalk('edi', 'parse', fixture('867-wrong-se-count.x12'), '--json');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as EdiFileReport;
    expect(report.errors).toBe(1);
    const sets = report.interchanges[0]!.groups[0]!.sets;
    expect(sets.map((s) => [s.header.controlNumber, s.status])).toEqual([
      ['0001', 'rejected'],
      ['0002', 'accepted'],
    ]);
    expect(sets[0]!.issues).toEqual([expect.objectContaining({ code: 'se.count_mismatch', severity: 'error', position: { offset: 1044, segment: 43, line: 43 } })]);
    // The good set's records are still counted: a bad set costs only itself.
    expect(Object.values(report.records)).toEqual([
      { customer: 2, 'sales-line': 3 },
      { customer: 2, 'sales-line': 3 },
    ]);
  });

  it('ack prints a 997 for a 004010 group, the rejected set with its segment error and the accepted one', () => {
    const run = crosswalk('edi', 'ack', fixture('867-wrong-se-count.x12'));
    expect(run.status).toBe(0);
    const segments = run.stdout.split('~\n').filter(Boolean);
    expect(segments.filter((s) => /^(ST|AK1|AK2|AK3|AK4|AK5|AK9)\*/.test(s))).toEqual(['ST*997*0001', 'AK1*PT*6001', 'AK2*867*0001', 'AK3*SE*41**8', 'AK4*1**7*7', 'AK5*R*4', 'AK2*867*0002', 'AK5*A', 'AK9*P*2*2*1']);
  });

  it('ack prints a 999 for a 005010 group', () => {
    const run = crosswalk('edi', 'ack', fixture('867-005010.x12'));
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/ST\*999\*0001\*005010X231A1~/);
    expect(run.stdout).toMatch(/AK1\*PT\*1301\*005010~/);
  });

  it('names a missing file in one line and exits 2, without a stack trace', () => {
    const run = crosswalk('edi', 'parse', fixture('no-such-file.x12'));
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(`crosswalk: ${fixture('no-such-file.x12')} does not exist. [edi.file_missing]`);
  });
});

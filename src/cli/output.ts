import { describeError } from '../errors.js';

/** Prints an error the way a person can act on it, and exits: no stack trace for expected failures. */
export function exitWithError(error: unknown): never {
  const e = describeError(error);
  process.stderr.write(`crosswalk: ${e.message}${e.failureType === 'system' ? '' : ` [${e.code}]`}\n`);
  if (e.failureType === 'system' && error instanceof Error && process.env.CROSSWALK_DEBUG) process.stderr.write(`${error.stack}\n`);
  process.exit(e.failureType === 'config' ? 2 : 1);
}

/** Runs a command action, turning any failure into one clear line and an exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      exitWithError(error);
    }
  };
}

export function formatTable(rows: Array<Record<string, unknown>>): string {
  if (rows.length === 0) return '(none)';
  const columns = Object.keys(rows[0]!);
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

import { closeSync, openSync, readSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse } from 'csv-parse';
import { applyMapping } from '../../mapping/apply-mapping.js';
import { DEFAULT_MAPPINGS_DIR, formatMappingErrors, loadMappingFile, loadMappings } from '../../mapping/load-mappings.js';
import { action } from '../output.js';

/**
 * `crosswalk mappings check` validates every mapping file and prints every error at once (exit code 1 when any);
 * `crosswalk mappings preview` runs one mapping over the first rows of a file so its author sees the drafts and
 * issues it produces before a sync does.
 */
export function registerMappingsCommand(program: Command): void {
  const mappings = program.command('mappings').description('check and preview source mappings (mappings/sources/*.yaml)');

  mappings
    .command('check')
    .description('validate every mapping file and report every error with file, line and a hint')
    .option('--dir <dir>', 'folder of mapping files', DEFAULT_MAPPINGS_DIR)
    .option('--reference-dir <dir>', 'folder of lookup tables (default: ../reference next to --dir)')
    .action((options: { dir: string; referenceDir?: string }) => {
      const { mappings: loaded, errors } = loadMappings({ dir: options.dir, ...(options.referenceDir ? { referenceDir: options.referenceDir } : {}) });
      if (errors.length > 0) {
        process.stderr.write(`${formatMappingErrors(errors)}\n`);
        process.exitCode = 1;
        return;
      }
      for (const mapping of loaded) {
        process.stdout.write(`ok  ${mapping.file}  (${mapping.connector}.${mapping.stream}: ${mapping.entityKeys.join(', ')})\n`);
      }
      process.stdout.write(`${loaded.length} mapping${loaded.length === 1 ? '' : 's'} valid\n`);
    });

  mappings
    .command('preview')
    .description('apply a mapping to the first rows of a CSV or delimited file and print drafts and issues as JSON')
    .argument('<mapping-file>', 'the mapping YAML')
    .argument('<csv-file>', 'a CSV (or pipe / tab delimited) file with a header row')
    .option('--limit <n>', 'number of rows', (value) => Number.parseInt(value, 10), 5)
    .option('--delimiter <char>', 'column delimiter (default: detected from the header line)')
    .option('--reference-dir <dir>', 'folder of lookup tables (default: ../reference next to the mapping folder)')
    .action(
      action(async (mappingFile: string, csvFile: string, options: { limit: number; delimiter?: string; referenceDir?: string }) => {
      const file = resolve(mappingFile);
      const referenceDir = options.referenceDir ?? join(dirname(dirname(file)), 'reference');
      const { mapping, errors } = loadMappingFile(file, { referenceDir });
      if (!mapping) {
        process.stderr.write(`${formatMappingErrors(errors)}\n`);
        process.exitCode = 1;
        return;
      }
      const limit = Number.isFinite(options.limit) && options.limit > 0 ? options.limit : 5;
      const delimiter = options.delimiter ?? detectDelimiter(csvFile);
      const parser = createReadStream(csvFile).pipe(
        parse({ columns: true, bom: true, delimiter, relax_column_count: true, relax_quotes: true, to_line: limit + 1 }),
      );
      const out: unknown[] = [];
      let line = 1;
      for await (const row of parser as AsyncIterable<Record<string, string>>) {
        line++;
        out.push({ line, ...applyMapping(mapping, row) });
        if (out.length >= limit) break;
      }
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      }),
    );
}

/** The most frequent of comma, pipe, tab and semicolon in the header line. */
function detectDelimiter(file: string): string {
  const buffer = Buffer.alloc(8192);
  const fd = openSync(file, 'r');
  let header: string;
  try {
    const bytes = readSync(fd, buffer, 0, buffer.length, 0);
    header = buffer.subarray(0, bytes).toString('utf8').split(/\r?\n/)[0] ?? '';
  } finally {
    closeSync(fd);
  }
  const counts = [',', '|', '\t', ';'].map((d) => [d, header.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  const best = counts[0];
  return best && best[1] > 0 ? best[0] : ',';
}

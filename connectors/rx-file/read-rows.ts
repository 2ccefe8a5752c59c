import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import type { FileCursor, FileInfo, FileItem } from '../../src/sdk/file-source.js';
import { dataYearOf, explainCmsHeader, normalizeCmsHeader } from './cms-part-d.js';
import { sliceFixedWidth, typeValue, type Column } from './columns.js';
import type { RxFileConfig } from './config.js';
import { readLines } from './line-reader.js';

type Rejected = Extract<FileItem, { rejected: unknown }>['rejected'];
/** What a resumed run needs besides the offset: the header as read, and the delimiter found. */
type ReaderState = { header?: string[]; delimiter?: string };

const RAW_LIMIT = 1000;
const clip = (text: string): string => (text.length > RAW_LIMIT ? `${text.slice(0, RAW_LIMIT)}...` : text);

/**
 * One Rx file as records, in file order, each with the cursor to resume after it. Nothing is held but the current
 * line. Every record's payload gets `_file` and `_line`; `_dataYear` (CMS) and `_periodGrain` when known.
 */
export async function* readRxRows(config: RxFileConfig, file: FileInfo, resume: FileCursor | undefined, signal: AbortSignal): AsyncGenerator<FileItem> {
  const extra: Record<string, string | number> = { _file: file.name };
  if (config.period) extra._periodGrain = config.period.grain;
  if (config.layout === 'cms-part-d') {
    const year = dataYearOf(file.name, config.dataYear);
    if (year === undefined) {
      yield { unusable: { code: 'rx.data_year_unknown', reason: `the CMS file carries no year column and none was found in the name "${file.name}": set the connector's dataYear, or name the file like CMS does (..._DY22_...).` } };
      return;
    }
    extra._dataYear = year;
  }
  if (config.layout === 'fixed-width') yield* readFixedWidth(config, file, resume, extra, signal);
  else yield* readDelimited(config, file, resume, extra, signal);
}

async function* readFixedWidth(config: RxFileConfig, file: FileInfo, resume: FileCursor | undefined, extra: Record<string, string | number>, signal: AbortSignal): AsyncGenerator<FileItem> {
  const skip = config.skipPattern ? new RegExp(config.skipPattern) : undefined;
  let rows = resume?.rows ?? 0;
  let skipHeader = resume ? 0 : config.skipLines;
  const firstLineNumber = (resume?.state?.line as number | undefined) ?? 1;
  for await (const line of readLines(file.path, { start: resume?.offset ?? 0, maxLineLength: config.maxLineLength, firstLineNumber })) {
    if (signal.aborted) return;
    const cursor = (): FileCursor => ({ offset: line.end, rows, state: { line: line.lineNumber + 1 } });
    if (skipHeader > 0) {
      skipHeader -= 1;
      continue;
    }
    if ('tooLong' in line) {
      yield { rejected: lineRejected('rx.line_too_long', `Line ${line.lineNumber} of ${file.name} is longer than ${config.maxLineLength} bytes: skipped.`, line.head.toString(config.encoding)), cursor: cursor() };
      continue;
    }
    const text = line.bytes.toString(config.encoding);
    if (text.trim() === '' || (skip && skip.test(text))) continue;
    rows += 1;
    const payload = { ...sliceFixedWidth(line.bytes, config.columns, config.encoding), ...extra, _line: line.lineNumber };
    yield { record: { payload }, cursor: cursor() };
  }
}

function lineRejected(reasonCode: string, reason: string, raw: string): Rejected {
  return { reasonCode, reason, raw: clip(raw) };
}

/** The delimiter of a CMS file: a tab in the header line means the 2013-2019 layout. */
async function sniffDelimiter(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    const text = buffer.subarray(0, bytesRead).toString('latin1');
    const firstLine = text.split('\n', 1)[0] ?? '';
    return firstLine.includes('\t') ? '\t' : firstLine.includes('|') && !firstLine.includes(',') ? '|' : ',';
  } finally {
    await handle.close();
  }
}

async function* readDelimited(config: RxFileConfig, file: FileInfo, resume: FileCursor | undefined, extra: Record<string, string | number>, signal: AbortSignal): AsyncGenerator<FileItem> {
  const state = (resume?.state ?? {}) as ReaderState;
  const startOffset = resume?.offset ?? 0;
  const delimiter = state.delimiter ?? config.delimiter ?? (config.layout === 'cms-part-d' ? await sniffDelimiter(file.path) : ',');
  const typed = new Map(config.columns.map((c) => [c.name, c]));
  let header = state.header ?? (config.header ? undefined : config.columns.map((c) => c.name));
  let rows = resume?.rows ?? 0;
  let headerProblem: string | undefined;
  const rejected: Rejected[] = [];
  let stoppedBy: string | undefined;

  const parser = createReadStream(file.path, { start: startOffset }).pipe(
    parse({
      encoding: config.encoding,
      delimiter,
      quote: config.quote || null,
      bom: startOffset === 0,
      columns: header
        ? header
        : (raw: string[]) => {
            const names = config.layout === 'cms-part-d' ? normalizeCmsHeader(raw).columns : raw.map((c) => c.trim());
            if (config.layout === 'cms-part-d') headerProblem = explainCmsHeader(names);
            header = names;
            return names;
          },
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: config.maxLineLength,
      info: true,
      raw: true,
      on_skip: (error, raw) => {
        const code = (error as { code?: string } | undefined)?.code;
        if (code === 'CSV_MAX_RECORD_SIZE' || code === 'CSV_QUOTE_NOT_CLOSED') stoppedBy = code;
        rejected.push(
          lineRejected(
            code === 'CSV_RECORD_INCONSISTENT_COLUMNS' ? 'rx.column_count' : code === 'CSV_MAX_RECORD_SIZE' ? 'rx.line_too_long' : 'rx.malformed_line',
            `${error?.message ?? 'Malformed line'} (${file.name}, line ${(error as { lines?: number } | undefined)?.lines ?? '?'})`,
            raw ?? '',
          ),
        );
        return undefined;
      },
    }),
  );

  let offset = startOffset;
  const at = (): FileCursor => ({ offset, rows, state: { header, delimiter } satisfies ReaderState });
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { bytes: number } }>) {
      if (signal.aborted) return;
      if (headerProblem) {
        yield { unusable: { code: 'rx.unknown_layout', reason: headerProblem } };
        return;
      }
      for (const r of rejected.splice(0)) yield { rejected: r, cursor: at() };
      offset = startOffset + item.info.bytes;
      rows += 1;
      const payload: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(item.record)) {
        const v = typeValue(value, typed.get(name) as Column | undefined);
        if (v !== undefined) payload[name] = v;
      }
      Object.assign(payload, extra);
      payload._line = rows + (config.header ? 1 : 0);
      yield { record: { payload }, cursor: at() };
    }
  } catch (error) {
    // csv-parse gives up on some inputs (a BOM mid-file, an invalid option value met late): say so, keep what was read.
    rejected.push(lineRejected('rx.parse_stopped', `${file.name} could not be parsed past byte ${offset}: ${(error as Error).message}`, ''));
    stoppedBy ??= 'error';
  }
  if (headerProblem) {
    yield { unusable: { code: 'rx.unknown_layout', reason: headerProblem } };
    return;
  }
  if (stoppedBy && stoppedBy !== 'error' && offset < file.size) {
    rejected.push(lineRejected('rx.parse_stopped', `${file.name}: reading stopped at byte ${offset} of ${file.size} after ${stoppedBy === 'CSV_QUOTE_NOT_CLOSED' ? 'a quote that is never closed' : 'a line longer than maxLineLength'}; the rest of the file was not read. Fix the file and deliver it again.`, ''));
  }
  for (const r of rejected.splice(0)) yield { rejected: r, cursor: at() };
}

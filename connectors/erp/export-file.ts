import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { parse } from 'csv-parse';
import type { FileCursor, FileInfo, FileItem } from '../../src/sdk/file-source.js';

const clip = (text: string): string => (text.length > 1000 ? `${text.slice(0, 1000)}...` : text);

/**
 * A customer export from the ERP as CSV (header row) or JSON (an array of objects, or one object per line).
 * Fields keep the export's names; every record gets `system` (the ERP system/client, the identifier issuer).
 */
export async function* readCsvExport(file: FileInfo, options: { delimiter: string; encoding: BufferEncoding; system: string; resume: FileCursor | undefined; signal: AbortSignal; maxLineLength: number }): AsyncGenerator<FileItem> {
  const start = options.resume?.offset ?? 0;
  const header = options.resume?.state?.header as string[] | undefined;
  let columns = header;
  let rows = options.resume?.rows ?? 0;
  const rejected: Array<Extract<FileItem, { rejected: unknown }>['rejected']> = [];
  const parser = createReadStream(file.path, { start }).pipe(
    parse({
      encoding: options.encoding,
      delimiter: options.delimiter,
      bom: start === 0,
      columns: header ?? ((h: string[]) => (columns = h.map((c) => c.trim()))),
      relax_quotes: true,
      trim: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: options.maxLineLength,
      info: true,
      raw: true,
      on_skip: (error, raw) => {
        rejected.push({ reasonCode: 'erp.malformed_line', reason: `${error?.message ?? 'Malformed line'} (${file.name})`, raw: clip(raw ?? '') });
        return undefined;
      },
    }),
  );
  let offset = start;
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { bytes: number } }>) {
      if (options.signal.aborted) return;
      const cursor = (): FileCursor => ({ offset, rows, state: { header: columns } });
      for (const r of rejected.splice(0)) yield { rejected: r, cursor: cursor() };
      offset = start + item.info.bytes;
      rows += 1;
      yield { record: { payload: { ...item.record, system: options.system } }, cursor: cursor() };
    }
  } catch (error) {
    rejected.push({ reasonCode: 'erp.parse_stopped', reason: `${file.name} could not be parsed past byte ${offset}: ${(error as Error).message}`, raw: '' });
  }
  for (const r of rejected.splice(0)) yield { rejected: r, cursor: { offset, rows, state: { header: columns } } };
}

/** JSON: a whole array (up to `maxBytes`), or JSON lines read one at a time however large the file. */
export async function* readJsonExport(file: FileInfo, options: { system: string; resume: FileCursor | undefined; signal: AbortSignal; maxBytes: number; recordsPath?: string | undefined }): AsyncGenerator<FileItem> {
  const handle = await open(file.path, 'r');
  let head: string;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    head = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  } finally {
    await handle.close();
  }
  const skip = options.resume?.rows ?? 0;
  if (head.startsWith('[') || (head.startsWith('{') && options.recordsPath)) {
    if (file.size > options.maxBytes) {
      yield { unusable: { code: 'erp.json_too_large', reason: `a ${file.size}-byte JSON document is larger than maxBytes (${options.maxBytes}): export JSON lines (one customer per line) instead, which are read as a stream.` } };
      return;
    }
    let doc: unknown;
    try {
      doc = JSON.parse((await readFile(file.path, 'utf8')).replace(/^\uFEFF/, ''));
    } catch (error) {
      yield { unusable: { code: 'erp.json_malformed', reason: `not valid JSON: ${(error as Error).message}` } };
      return;
    }
    for (const key of options.recordsPath?.split('.') ?? []) doc = (doc as Record<string, unknown> | undefined)?.[key];
    if (!Array.isArray(doc)) {
      yield { unusable: { code: 'erp.json_shape', reason: `expected an array of customers${options.recordsPath ? ` at ${options.recordsPath}` : ''}.` } };
      return;
    }
    let rows = 0;
    for (const item of doc) {
      rows += 1;
      if (rows <= skip) continue;
      if (options.signal.aborted) return;
      const cursor = { offset: 0, rows };
      if (item && typeof item === 'object' && !Array.isArray(item)) yield { record: { payload: { ...(item as Record<string, unknown>), system: options.system } }, cursor };
      else yield { rejected: { reasonCode: 'erp.json_item', reason: `item ${rows} of ${file.name} is not an object.`, raw: item as unknown }, cursor };
    }
    return;
  }
  let rows = 0;
  let lineNumber = 0;
  let pending = '';
  const handleLine = (line: string): FileItem | undefined => {
    lineNumber += 1;
    if (line.trim() === '') return undefined;
    rows += 1;
    if (rows <= skip) return undefined;
    const cursor = { offset: 0, rows };
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) return { record: { payload: { ...(value as Record<string, unknown>), system: options.system } }, cursor };
      return { rejected: { reasonCode: 'erp.json_item', reason: `line ${lineNumber} of ${file.name} is not a JSON object.`, raw: clip(line) }, cursor };
    } catch (error) {
      return { rejected: { reasonCode: 'erp.json_malformed', reason: `line ${lineNumber} of ${file.name}: ${(error as Error).message}`, raw: clip(line) }, cursor };
    }
  };
  for await (const chunk of createReadStream(file.path, { encoding: 'utf8' })) {
    if (options.signal.aborted) return;
    pending += (chunk as string).replace(/^\uFEFF/, '');
    let nl: number;
    while ((nl = pending.indexOf('\n')) !== -1) {
      const item = handleLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      if (item) yield item;
    }
    if (pending.length > options.maxBytes) {
      yield { rejected: { reasonCode: 'erp.line_too_long', reason: `a JSON line of ${file.name} is longer than maxBytes: the rest of the file was not read.`, raw: clip(pending) }, cursor: { offset: 0, rows } };
      return;
    }
  }
  const last = handleLine(pending);
  if (last) yield last;
}

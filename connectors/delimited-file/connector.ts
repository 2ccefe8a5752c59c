import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { ConfigError, defineConnector, type Batch, type RawRecord } from '../../src/sdk/index.js';

const ConfigSchema = z.object({
  /** The file, relative to the workspace folder. */
  path: z.string().min(1),
  stream: z.string().min(1).default('records'),
  delimiter: z.string().min(1).max(2).default(','),
  quote: z.string().max(1).default('"'),
  encoding: z.enum(['utf8', 'latin1']).default('utf8'),
  /** Trim spaces around values (FEBRL-style files put a space after each comma). */
  trim: z.boolean().default(true),
});
export type DelimitedFileConfig = z.infer<typeof ConfigSchema>;

type FileCheckpoint = { fingerprint: string; header: string[]; offset: number; rows: number; complete: boolean };

/**
 * A delimited text file (CSV, pipe, tab) read as a stream. The checkpoint is the byte offset after the last
 * stored batch, with the header, so a resumed run seeks straight there however large the file. A file read
 * to the end starts over on the next run: a snapshot file is re-read whole, and unchanged records cost a
 * hash comparison, nothing more. A line that does not parse is rejected with its line number and the
 * rest of the file goes on.
 */
export const delimitedFileConnector = defineConnector({
  type: 'delimited-file',
  description: 'A CSV, pipe- or tab-delimited file with a header row, read as a stream.',
  configSchema: ConfigSchema,
  discover: (config) => [{ name: config.stream }],
  async check(config, { workspaceDir }) {
    const file = path.resolve(workspaceDir, config.path);
    try {
      const stat = statSync(file);
      return stat.isFile() ? { ok: true, message: `${file} (${stat.size} bytes)` } : { ok: false, code: 'file.not_a_file', message: `${file} is not a file.` };
    } catch {
      return { ok: false, code: 'file.missing', message: `${file} does not exist: check the connector's path.` };
    }
  },
  async *read(config, context): AsyncIterable<Batch> {
    const file = path.resolve(context.workspaceDir, config.path);
    let stat;
    try {
      stat = statSync(file);
    } catch {
      throw new ConfigError('file.missing', `${file} does not exist: check the connector's path (relative to ${context.workspaceDir}).`);
    }
    const fingerprint = `${stat.size}:${stat.mtimeMs}`;
    const previous = context.checkpoint as FileCheckpoint | undefined;
    const resume = previous && !previous.complete && previous.fingerprint === fingerprint ? previous : undefined;
    const startOffset = resume?.offset ?? 0;
    let header = resume?.header;
    let rows = resume?.rows ?? 0;

    // Decided from the head of the file, the same way on every read, so a resumed read parses exactly as a read
    // from the start would: a UTF-8 byte-order mark makes the file UTF-8 whatever the configuration says, and the
    // first line end (outside quotes) is the line end of the whole file.
    const head = readHead(file);
    const utf8Bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    const encoding = utf8Bom ? 'utf8' : config.encoding;
    const recordDelimiter = detectLineEnd(head, config.quote);

    const rejected: NonNullable<Batch['rejected']> = [];
    const parser = createReadStream(file, { start: startOffset }).pipe(
      parse({
        // Buffers in, so `info.bytes` counts bytes and the checkpoint offset can seek.
        encoding,
        ...(recordDelimiter ? { record_delimiter: recordDelimiter } : {}),
        delimiter: config.delimiter,
        quote: config.quote || null,
        bom: startOffset === 0,
        columns: header ? header : (h: string[]) => h.map((c) => c.trim()),
        trim: config.trim,
        relax_quotes: true,
        skip_empty_lines: true,
        skip_records_with_error: true,
        info: true,
        raw: true,
        on_skip: (error, raw) => {
          rejected.push({
            reasonCode: 'file.malformed_line',
            reason: `${error?.message ?? 'Malformed line'} (${path.basename(file)}, line ${error?.lines ?? '?'})`,
            raw: raw ?? null,
          });
          return undefined;
        },
      }),
    );

    let records: RawRecord[] = [];
    let offset = startOffset;
    const emit = (complete: boolean): Batch => {
      const batch: Batch = {
        records,
        checkpoint: { fingerprint, header: header ?? [], offset, rows, complete } satisfies FileCheckpoint,
        rejected: rejected.splice(0),
        progress: stat.size > 0 ? offset / stat.size : 1,
      };
      records = [];
      return batch;
    };

    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { bytes: number; columns: Array<{ name: string }> | false } }>) {
      if (context.signal.aborted) break;
      if (!header && Array.isArray(item.info.columns)) header = item.info.columns.map((c) => c.name);
      rows += 1;
      records.push({ payload: item.record });
      offset = startOffset + item.info.bytes;
      if (records.length >= context.batchSize) yield emit(false);
    }
    if (context.signal.aborted) {
      if (records.length > 0) yield emit(false);
      return;
    }
    offset = stat.size;
    yield emit(true);
  },
});

export default delimitedFileConnector;

const HEAD_BYTES = 64 * 1024;

function readHead(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    return buffer.subarray(0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

/** The first line end outside a quoted value: `\r\n`, `\n` or `\r`; undefined when the head has none. */
function detectLineEnd(head: Buffer, quote: string): string | undefined {
  const q = quote ? quote.charCodeAt(0) : -1;
  let quoted = false;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c === q) quoted = !quoted;
    else if (!quoted && c === 0x0a) return '\n';
    else if (!quoted && c === 0x0d) return head[i + 1] === 0x0a ? '\r\n' : i + 1 < head.length ? '\r' : undefined;
  }
  return undefined;
}

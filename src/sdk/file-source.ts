import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { Batch, Checkpoint, RawRecord, ReadContext } from './connector.js';
import { hashFile, isInside, listInbox, moveInto, prepareInbox, writeErrorReport } from './file-inbox.js';
import { checkSftp, pickUpFromSftp, settleSftpPickups, type SftpPickupConfig } from './sftp-pickup.js';

/**
 * The two ways a file-fed connector gets its files, shared by the file connectors (rx-file, erp):
 *
 * - `path`: one file, a snapshot re-read whole on every run (unchanged records cost a hash comparison). An
 *   interrupted run resumes at the byte offset of the last stored batch while the file is unchanged.
 * - `folder`: a file inbox (`src/sdk/file-inbox.ts`): every delivered file is read once, recognised by its content
 *   hash whatever its name, then moved to `archive/`; an unusable file goes to `error/` with a `.report.json`.
 *
 * A `folder` inbox may be fed by SFTP (`sftp:`, src/sdk/sftp-pickup.ts): new remote files are downloaded into it
 * before each run, and deleted or moved on the server once their content is in this stream's checkpoint.
 *
 * The connector supplies a reader that turns one file into records, each with the cursor to resume after it.
 */
export type FileSourceConfig = { path?: string | undefined; folder?: string | undefined; sftp?: SftpPickupConfig | undefined };

/** Where a reader got to in one file: a byte offset and whatever it needs to resume there (a header). */
export type FileCursor = { offset: number; rows: number; state?: Record<string, unknown> };

export type FileItem =
  | { record: RawRecord; cursor: FileCursor }
  | { rejected: NonNullable<Batch['rejected']>[number]; cursor: FileCursor }
  /** The file cannot be read at all (unknown layout): `path` mode fails the run, `folder` mode moves it to error/. */
  | { unusable: { code: string; reason: string } };

export type FileInfo = { path: string; name: string; size: number };
export type FileReader = (file: FileInfo, resume: FileCursor | undefined, signal: AbortSignal) => AsyncIterable<FileItem>;

type PathCheckpoint = { mode: 'path'; fingerprint: string; cursor: FileCursor; complete: boolean };
type FolderCheckpoint = { mode: 'folder'; processed: string[]; current?: { hash: string; cursor: FileCursor } };

export function requireOneSource(config: FileSourceConfig, ctx: { addIssue: (issue: { code: 'custom'; message: string; path: string[] }) => void }): void {
  if ((config.path === undefined) === (config.folder === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'give exactly one of `path` (one file, re-read as a snapshot) or `folder` (an inbox of delivered files)', path: ['path'] });
  }
  if (config.sftp && config.folder === undefined) {
    ctx.addIssue({ code: 'custom', message: '`sftp` downloads into an inbox: give `folder` (not `path`)', path: ['sftp'] });
  }
}

export async function checkFileSource(config: FileSourceConfig, workspaceDir: string): Promise<{ ok: true; message: string } | { ok: false; code: string; message: string }> {
  if (config.folder !== undefined) {
    const root = path.resolve(workspaceDir, config.folder);
    try {
      const dirs = await prepareInbox(root);
      if (config.sftp) {
        const sftp = await checkSftp(config.sftp);
        return sftp.ok ? { ok: true, message: `inbox ${dirs.inbox}, picking up from ${sftp.message}` } : sftp;
      }
      return { ok: true, message: `inbox ${dirs.inbox}` };
    } catch (error) {
      return { ok: false, code: 'file.folder', message: `Cannot use ${root} as the inbox folder (${(error as Error).message}): check the connector's folder and its permissions.` };
    }
  }
  const file = path.resolve(workspaceDir, config.path ?? '');
  try {
    const info = await stat(file);
    return info.isFile() ? { ok: true, message: `${file} (${info.size} bytes)` } : { ok: false, code: 'file.not_a_file', message: `${file} is not a file.` };
  } catch {
    return { ok: false, code: 'file.missing', message: `${file} does not exist: check the connector's path (relative to ${workspaceDir}).` };
  }
}

export async function* readFileSource(config: FileSourceConfig, context: ReadContext, reader: FileReader): AsyncIterable<Batch> {
  if (config.folder !== undefined) yield* readFolder(path.resolve(context.workspaceDir, config.folder), context, reader, config.sftp);
  else yield* readPath(path.resolve(context.workspaceDir, config.path ?? ''), context, reader);
}

async function* readPath(file: string, context: ReadContext, reader: FileReader): AsyncIterable<Batch> {
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new ConfigError('file.missing', `${file} does not exist: check the connector's path (relative to ${context.workspaceDir}).`);
  }
  const fingerprint = `${info.size}:${info.mtimeMs}`;
  const previous = context.checkpoint as Partial<PathCheckpoint> | undefined;
  const resume = previous?.mode === 'path' && !previous.complete && previous.fingerprint === fingerprint ? previous.cursor : undefined;
  let cursor: FileCursor = resume ?? { offset: 0, rows: 0 };
  let records: RawRecord[] = [];
  let rejected: NonNullable<Batch['rejected']> = [];
  const emit = (complete: boolean): Batch => {
    const batch: Batch = {
      records,
      rejected,
      checkpoint: { mode: 'path', fingerprint, cursor, complete } satisfies PathCheckpoint,
      progress: complete ? 1 : info.size > 0 ? Math.min(1, cursor.offset / info.size) : 1,
    };
    records = [];
    rejected = [];
    return batch;
  };
  for await (const item of reader({ path: file, name: path.basename(file), size: info.size }, resume, context.signal)) {
    if ('unusable' in item) throw new ConfigError(item.unusable.code, `${file}: ${item.unusable.reason}`);
    if ('record' in item) records.push(item.record);
    else rejected.push(item.rejected);
    cursor = item.cursor;
    if (records.length + rejected.length >= context.batchSize) {
      yield emit(false);
      if (context.signal.aborted) return;
    }
  }
  if (context.signal.aborted) {
    if (records.length + rejected.length > 0) yield emit(false);
    return;
  }
  cursor = { ...cursor, offset: info.size };
  yield emit(true);
}

async function* readFolder(root: string, context: ReadContext, reader: FileReader, sftp: SftpPickupConfig | undefined): AsyncIterable<Batch> {
  const dirs = await prepareInbox(root);
  const raw = (context.checkpoint ?? {}) as Partial<FolderCheckpoint>;
  const checkpoint: FolderCheckpoint = { mode: 'folder', processed: Array.isArray(raw.processed) ? raw.processed.filter((h) => typeof h === 'string') : [] };
  if (raw.mode === 'folder' && raw.current && typeof raw.current.hash === 'string') checkpoint.current = raw.current;
  const isCommitted = (hash: string): boolean => checkpoint.processed.includes(hash);
  if (sftp) await pickUpFromSftp(sftp, dirs, { isCommitted, logger: context.logger, signal: context.signal });
  const entries = await listInbox(dirs);
  let records: RawRecord[] = [];
  let rejected: NonNullable<Batch['rejected']> = [];
  let yielded = false;
  const flush = (progress: number): Batch => {
    const batch: Batch = { records, rejected, checkpoint: structuredClone(checkpoint) as Checkpoint, progress };
    records = [];
    rejected = [];
    yielded = true;
    return batch;
  };
  const remember = (hash: string) => {
    if (!checkpoint.processed.includes(hash)) checkpoint.processed.push(hash);
    // Enough to recognise any re-sent delivery of the last few years; older ones are in archive/.
    if (checkpoint.processed.length > 10_000) checkpoint.processed.splice(0, checkpoint.processed.length - 10_000);
  };

  for (const [index, entry] of entries.entries()) {
    if (context.signal.aborted) break;
    const progress = (index + 1) / entries.length;
    if ('refused' in entry) {
      if (isInside(dirs.inbox, entry.path)) {
        const moved = await moveInto(entry.path, dirs.error, 'refused0').catch(() => undefined);
        if (moved) {
          await writeErrorReport(moved, { file: entry.name, code: 'file.path_refused', reason: entry.refused, at: new Date().toISOString() });
          rejected.push({ reasonCode: 'file.path_refused', reason: entry.refused, raw: { file: entry.name } });
        }
      }
      continue;
    }
    let hash: string;
    try {
      hash = await hashFile(entry.path);
    } catch {
      continue; // moved meanwhile
    }
    if (checkpoint.processed.includes(hash)) {
      // Read before (or re-sent with the same content): only the archiving is left.
      await moveInto(entry.path, dirs.archive, hash).catch(() => undefined);
      continue;
    }
    const resume = checkpoint.current?.hash === hash ? checkpoint.current.cursor : undefined;
    checkpoint.current = { hash, cursor: resume ?? { offset: 0, rows: 0 } };
    let unusable: { code: string; reason: string } | undefined;
    for await (const item of reader({ path: entry.path, name: entry.name, size: entry.size }, resume, context.signal)) {
      if ('unusable' in item) {
        unusable = item.unusable;
        break;
      }
      if ('record' in item) records.push(item.record);
      else rejected.push(item.rejected);
      checkpoint.current = { hash, cursor: item.cursor };
      if (records.length + rejected.length >= context.batchSize) {
        yield flush(Math.min(progress, (index + (entry.size > 0 ? item.cursor.offset / entry.size : 1)) / entries.length));
        if (context.signal.aborted) return;
      }
    }
    if (context.signal.aborted) {
      if (records.length + rejected.length > 0) yield flush(progress);
      return;
    }
    delete checkpoint.current;
    remember(hash);
    if (unusable) {
      const moved = await moveInto(entry.path, dirs.error, hash).catch(() => undefined);
      if (moved) await writeErrorReport(moved, { file: entry.name, hash, code: unusable.code, reason: unusable.reason, at: new Date().toISOString() });
      rejected.push({ reasonCode: unusable.code, reason: `${entry.name}: ${unusable.reason}`, raw: { file: entry.name, hash } });
      yield flush(progress);
      continue;
    }
    yield flush(progress);
    // The engine asks for the next batch only after storing this one: the file is safely taken in.
    await moveInto(entry.path, dirs.archive, hash).catch(() => undefined);
  }
  if (!yielded || records.length + rejected.length > 0) yield flush(1);
  // After the engine stored the last batch: what this run took in may now leave the server.
  if (sftp && !context.signal.aborted) await settleSftpPickups(sftp, dirs, { isCommitted, logger: context.logger });
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readdir, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The connector's folder: `inbox/` (partners or a transfer job drop files here), `archive/` (read), `error/`
 * (unusable, each with a `.report.json`), `outbox/` (acknowledgements to send back) and `.state/` (which streams
 * have read which file content). Everything here stays inside the folder: names are taken from `readdir` (never
 * from file contents), links that point outside the inbox are refused, and moves never overwrite.
 */
export type InboxDirs = { root: string; inbox: string; archive: string; error: string; outbox: string; state: string };

export async function prepareInbox(root: string): Promise<InboxDirs> {
  const dirs: InboxDirs = {
    root,
    inbox: path.join(root, 'inbox'),
    archive: path.join(root, 'archive'),
    error: path.join(root, 'error'),
    outbox: path.join(root, 'outbox'),
    state: path.join(root, '.state'),
  };
  for (const dir of [dirs.inbox, dirs.archive, dirs.error, dirs.outbox, dirs.state]) await mkdir(dir, { recursive: true });
  return dirs;
}

export type InboxEntry = { name: string; path: string; size: number } | { name: string; path: string; refused: string };

/** Names still being written by convention (`.part`, `.tmp`, hidden files) are left alone until renamed. */
function isInProgress(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.part') || name.endsWith('.tmp') || name.endsWith('.filepart');
}

/** Regular files of the inbox in name order; links resolving outside the inbox come back `refused`. */
export async function listInbox(dirs: InboxDirs): Promise<InboxEntry[]> {
  const inboxReal = await realpath(dirs.inbox);
  const names = (await readdir(dirs.inbox)).filter((n) => !isInProgress(n)).sort();
  const out: InboxEntry[] = [];
  for (const name of names) {
    const full = path.join(dirs.inbox, name);
    if (!isInside(dirs.inbox, full)) {
      out.push({ name, path: full, refused: `"${name}" resolves outside the inbox.` });
      continue;
    }
    let info;
    try {
      info = await lstat(full);
    } catch {
      continue; // removed meanwhile
    }
    if (info.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(full);
      } catch {
        out.push({ name, path: full, refused: `"${name}" is a broken link.` });
        continue;
      }
      if (!isInside(inboxReal, target)) {
        out.push({ name, path: full, refused: `"${name}" is a link to ${target}, outside the inbox: only files inside the inbox are read.` });
        continue;
      }
      info = await stat(target);
    }
    if (!info.isFile()) continue;
    out.push({ name, path: full, size: info.size });
  }
  return out;
}

/** True when `candidate` is `dir` itself or below it, after resolving `..`. */
export function isInside(dir: string, candidate: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(candidate));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Moves a file into `dir` under its own name, or `name.<hash8>` (then `.2`, `.3` ...) when that name is taken. */
export async function moveInto(file: string, dir: string, hash: string): Promise<string> {
  const base = path.basename(file);
  const candidates = [base, `${base}.${hash.slice(0, 8)}`];
  for (let i = 2; i < 1000; i++) candidates.push(`${base}.${hash.slice(0, 8)}.${i}`);
  for (const name of candidates) {
    const target = path.join(dir, name);
    if (await exists(target)) continue;
    await rename(file, target);
    return target;
  }
  throw new Error(`Cannot find a free name for ${base} in ${dir}`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

/** Which streams have stored everything of one file content. Lives beside the files, keyed by content hash. */
export type Ledger = { file: string; streams: string[]; finalized?: string };

export async function readLedger(dirs: InboxDirs, hash: string): Promise<Ledger | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dirs.state, `${hash}.json`), 'utf8')) as Ledger;
  } catch {
    return undefined;
  }
}

export async function writeLedger(dirs: InboxDirs, hash: string, ledger: Ledger): Promise<void> {
  const file = path.join(dirs.state, `${hash}.json`);
  await writeFile(`${file}.tmp`, JSON.stringify(ledger));
  await rename(`${file}.tmp`, file);
}

export async function writeErrorReport(movedTo: string, report: Record<string, unknown>): Promise<void> {
  await writeFile(`${movedTo}.report.json`, `${JSON.stringify(report, null, 2)}\n`);
}

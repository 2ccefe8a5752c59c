import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import SftpClient from 'ssh2-sftp-client';
import { z } from 'zod';
import { ConfigError, CrosswalkError, TransientError } from '../errors.js';
import { hashFile, isInside, type InboxDirs } from './file-inbox.js';

/**
 * SFTP pickup for a file inbox: before a run reads its inbox, the files of a remote folder are downloaded into it,
 * each once, atomically (a hidden `.name.<random>.part` the inbox ignores, renamed when complete), and after their
 * content was stored they are optionally deleted or moved on the server.
 *
 * Once means: a remote file is known by name, size and modification time in `.state/sftp-pickup.json`, so it is not
 * downloaded again while it is unchanged; a file re-uploaded with the same content under another name is downloaded
 * and then recognised by the inbox's content hash, like any re-sent delivery. Errors say what kind they are: a wrong
 * password, host key or folder is a configuration error; a refused, reset or timed-out connection is transient, and
 * the run is retried from its checkpoint (a half-downloaded file is removed, never left in the inbox).
 */
export const SftpPickupSchema = z
  .strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).default(22),
    username: z.string().min(1),
    /** A password, or an `enc:v1:` value (decrypted when the workspace loads); prefer `passwordEnv`. */
    password: z.string().min(1).optional(),
    /** The environment variable holding the password. */
    passwordEnv: z.string().min(1).optional(),
    /** An OpenSSH or PEM private key (or `enc:v1:`); prefer `privateKeyEnv`. */
    privateKey: z.string().min(1).optional(),
    privateKeyEnv: z.string().min(1).optional(),
    passphrase: z.string().min(1).optional(),
    passphraseEnv: z.string().min(1).optional(),
    /** The server's host key fingerprint as `ssh-keygen -lf` prints it: `SHA256:<base64>`. */
    hostKeySha256: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'a fingerprint as `ssh-keygen -lf` prints it: SHA256:<43 base64 characters>').optional(),
    /** Accept any host key (a test server): without `hostKeySha256` this must be said explicitly. */
    acceptAnyHostKey: z.boolean().default(false),
    /** The remote folder to pick files up from. */
    remoteDir: z.string().min(1),
    /** Which names to pick up: a glob (`*.x12`, `867_*.edi`); `*` and `?` only, matched against the whole name. */
    pattern: z.string().min(1).default('*'),
    /** What to do on the server once a file's content is stored: keep it, delete it, or move it into `moveTo`. */
    afterPickup: z.enum(['keep', 'delete', 'move']).default('keep'),
    moveTo: z.string().min(1).optional(),
    /** Files downloaded at most per run (the rest come next run). */
    maxFiles: z.number().int().min(1).default(1000),
    readyTimeoutMs: z.number().int().min(1000).max(600_000).default(20_000),
  })
  .superRefine((c, ctx) => {
    if (!c.password && !c.passwordEnv && !c.privateKey && !c.privateKeyEnv) {
      ctx.addIssue({ code: 'custom', message: 'give a password (`password` or `passwordEnv`) or a private key (`privateKey` or `privateKeyEnv`)', path: ['password'] });
    }
    if (!c.hostKeySha256 && !c.acceptAnyHostKey) {
      ctx.addIssue({ code: 'custom', message: 'give the server\'s host key fingerprint (`ssh-keygen -lf`, SHA256:...) so a machine in the middle cannot take the credentials, or set acceptAnyHostKey: true', path: ['hostKeySha256'] });
    }
    if (c.afterPickup === 'move' && !c.moveTo) ctx.addIssue({ code: 'custom', message: 'afterPickup: move needs `moveTo`, the remote folder to move picked-up files into', path: ['moveTo'] });
  });
export type SftpPickupConfig = z.infer<typeof SftpPickupSchema>;

type LedgerEntry = { size: number; mtime: number; localName: string; hash: string; pickedAt: string; settledAt?: string };
type PickupLedger = { version: 1; files: Record<string, LedgerEntry> };

export type PickupOptions = {
  /** True once everything of this content was stored (the connector's checkpoint or archive says so). */
  isCommitted: (hash: string) => boolean | Promise<boolean>;
  logger?: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };
  signal?: AbortSignal;
};

export type PickupReport = { downloaded: string[]; settled: string[]; skipped?: string };

const LEDGER = 'sftp-pickup.json';
const LOCK = 'sftp-pickup.lock';
/** A lock older than this was left by a process that died. */
const STALE_LOCK_MS = 30 * 60_000;

/** Downloads the new remote files into the inbox, after settling (delete / move) the ones whose content was stored. */
export async function pickUpFromSftp(config: SftpPickupConfig, dirs: InboxDirs, options: PickupOptions): Promise<PickupReport> {
  const release = await lock(dirs);
  if (!release) return { downloaded: [], settled: [], skipped: 'another stream of this connector is picking up files' };
  try {
    const ledger = await readLedger(dirs);
    const client = await connect(config);
    try {
      const settled = await settle(client, config, ledger, dirs, options);
      const downloaded = await download(client, config, ledger, dirs, options);
      if (downloaded.length > 0 || settled.length > 0) options.logger?.info({ host: config.host, downloaded: downloaded.length, settled: settled.length }, 'sftp pickup');
      return { downloaded, settled };
    } finally {
      await client.end().catch(() => undefined);
    }
  } finally {
    await release();
  }
}

/**
 * Deletes or moves on the server the picked-up files whose content was stored since. Connects only when there is
 * such a file, so calling it at the end of every run costs nothing when there is nothing to do.
 */
export async function settleSftpPickups(config: SftpPickupConfig, dirs: InboxDirs, options: PickupOptions): Promise<string[]> {
  if (config.afterPickup === 'keep') return [];
  const ledger = await readLedger(dirs);
  const due: string[] = [];
  for (const [name, entry] of Object.entries(ledger.files)) if (!entry.settledAt && (await options.isCommitted(entry.hash))) due.push(name);
  if (due.length === 0) return [];
  const release = await lock(dirs);
  if (!release) return [];
  try {
    const client = await connect(config);
    try {
      return await settle(client, config, await readLedger(dirs), dirs, options);
    } finally {
      await client.end().catch(() => undefined);
    }
  } finally {
    await release();
  }
}

function secret(value: string | undefined, env: string | undefined, what: string): string | undefined {
  if (value) return value;
  if (!env) return undefined;
  const fromEnv = process.env[env];
  if (!fromEnv) throw new ConfigError('sftp.secret_missing', `The SFTP ${what} is read from the environment variable ${env}, which is not set.`);
  return fromEnv;
}

async function connect(config: SftpPickupConfig): Promise<SftpClient> {
  const client = new SftpClient('crosswalk-sftp-pickup');
  let hostKeyRejected: string | undefined;
  const password = secret(config.password, config.passwordEnv, 'password');
  const privateKey = secret(config.privateKey, config.privateKeyEnv, 'private key');
  const passphrase = secret(config.passphrase, config.passphraseEnv, 'key passphrase');
  try {
    await client.connect({
      host: config.host,
      port: config.port,
      username: config.username,
      ...(password ? { password } : {}),
      ...(privateKey ? { privateKey } : {}),
      ...(passphrase ? { passphrase } : {}),
      readyTimeout: config.readyTimeoutMs,
      // The library's own reconnect loop would hide a failure from the run's retry with backoff.
      retries: 0,
      hostHash: 'sha256',
      hostVerifier: (digest: string) => {
        if (!config.hostKeySha256) return true;
        const got = `SHA256:${Buffer.from(digest, 'hex').toString('base64').replace(/=+$/, '')}`;
        if (got === config.hostKeySha256.replace(/=+$/, '')) return true;
        hostKeyRejected = got;
        return false;
      },
    } as SftpClient.ConnectOptions);
  } catch (error) {
    await client.end().catch(() => undefined);
    if (hostKeyRejected) {
      throw new ConfigError('sftp.host_key', `The SFTP server ${config.host}:${config.port} presented host key ${hostKeyRejected}, not the configured ${config.hostKeySha256}: if the server's key really changed, update hostKeySha256; otherwise something is in the way.`);
    }
    throw classify(error, config, 'connect');
  }
  return client;
}

const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED', 'ERR_NOT_CONNECTED']);

/** Turns a library or socket error into the project's error kinds: what a person must fix, or what passes by itself. */
export function classify(error: unknown, config: Pick<SftpPickupConfig, 'host' | 'port' | 'remoteDir'>, doing: string): CrosswalkError {
  if (error instanceof CrosswalkError) return error;
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const where = `${config.host}:${config.port}`;
  if (/authentication methods failed|auth.*fail/i.test(message) || code === 'ERR_BAD_AUTH') {
    return new ConfigError('sftp.auth', `The SFTP server ${where} refused the credentials: check the connector's sftp username and password or private key.`, { cause: error });
  }
  if (code === 'ENOTFOUND') return new ConfigError('sftp.host', `The SFTP host ${config.host} does not resolve: check the connector's sftp host.`, { cause: error });
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ERR_BAD_PATH' || /no such file/i.test(message)) {
    return new ConfigError('sftp.remote_dir', `${doing}: ${message}. Check the connector's sftp remoteDir (${config.remoteDir}) and moveTo.`, { cause: error });
  }
  if (code === 'EACCES' || /permission denied/i.test(message)) {
    return new ConfigError('sftp.permission', `${doing}: the SFTP server ${where} denied it (${message}): the account needs to list, read${doing === 'settle' ? ', delete and rename' : ''} in ${config.remoteDir}.`, { cause: error });
  }
  if (TRANSIENT.has(code) || /timed out|timeout|reset|refused|closed|not connected|no sftp connection|end of stream/i.test(message)) {
    return new TransientError('sftp.unreachable', `SFTP ${doing} on ${where} failed (${message}); the run is retried.`, { cause: error });
  }
  // Anything else mid-transfer is most likely the connection too: retried, with the message kept.
  return new TransientError('sftp.failed', `SFTP ${doing} on ${where} failed: ${message}`, { cause: error });
}

/** `*` any run of characters, `?` one; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** A name a server sent that is safe to use as a file name in the inbox, and not a file still being uploaded. */
function isPickable(name: string): boolean {
  if (!name || name === '.' || name === '..' || name.startsWith('.')) return false;
  if (/[/\\\0]/.test(name)) return false;
  return !(name.endsWith('.part') || name.endsWith('.tmp') || name.endsWith('.filepart'));
}

const remoteJoin = (dir: string, name: string): string => `${dir.replace(/\/+$/, '')}/${name}`;

async function download(client: SftpClient, config: SftpPickupConfig, ledger: PickupLedger, dirs: InboxDirs, options: PickupOptions): Promise<string[]> {
  let listing: SftpClient.FileInfo[];
  try {
    listing = await client.list(config.remoteDir);
  } catch (error) {
    throw classify(error, config, 'list');
  }
  const pattern = globToRegExp(config.pattern);
  const files = listing.filter((f) => f.type === '-' && isPickable(f.name) && pattern.test(f.name)).sort((a, b) => a.name.localeCompare(b.name));
  // Names no longer on the server need no memory: whatever comes under that name later is new.
  const present = new Set(listing.map((f) => f.name));
  for (const name of Object.keys(ledger.files)) if (!present.has(name)) delete ledger.files[name];

  const downloaded: string[] = [];
  for (const file of files) {
    if (options.signal?.aborted || downloaded.length >= config.maxFiles) break;
    const known = ledger.files[file.name];
    if (known && known.size === file.size && known.mtime === file.modifyTime) continue;
    const tmp = path.join(dirs.inbox, `.${file.name}.${randomBytes(4).toString('hex')}.part`);
    if (!isInside(dirs.inbox, tmp)) continue;
    const writer = createWriteStream(tmp, { flags: 'wx' });
    try {
      // The library resolves when the remote stream ends; the file is complete once the writer has finished too.
      await client.get(remoteJoin(config.remoteDir, file.name), writer);
      await finished(writer);
      const got = (await stat(tmp)).size;
      if (got !== file.size) throw new TransientError('sftp.short_read', `Downloaded ${got} of ${file.size} bytes of ${file.name}; the run is retried.`);
      await syncFile(tmp);
    } catch (error) {
      writer.destroy();
      await finished(writer).catch(() => undefined);
      await rm(tmp, { force: true });
      throw classify(error, config, `download ${file.name}`);
    }
    const hash = await hashFile(tmp);
    const localName = await freeName(dirs.inbox, file.name, hash);
    await rename(tmp, path.join(dirs.inbox, localName));
    ledger.files[file.name] = { size: file.size, mtime: file.modifyTime, localName, hash, pickedAt: new Date().toISOString() };
    await writeLedger(dirs, ledger);
    downloaded.push(localName);
  }
  await writeLedger(dirs, ledger);
  return downloaded;
}

async function settle(client: SftpClient, config: SftpPickupConfig, ledger: PickupLedger, dirs: InboxDirs, options: PickupOptions): Promise<string[]> {
  if (config.afterPickup === 'keep') return [];
  const settled: string[] = [];
  for (const [name, entry] of Object.entries(ledger.files)) {
    if (entry.settledAt || !(await options.isCommitted(entry.hash))) continue;
    const from = remoteJoin(config.remoteDir, name);
    try {
      if (config.afterPickup === 'delete') {
        await client.delete(from, true);
      } else {
        const target = remoteJoin(config.moveTo!, name);
        const taken = await client.exists(target);
        await client.rename(from, taken ? `${target}.${entry.hash.slice(0, 8)}.${Date.now()}` : target);
      }
    } catch (error) {
      const e = classify(error, config, 'settle');
      // A file someone else removed meanwhile is settled too; any other failure is not.
      const gone = e.code === 'sftp.remote_dir' && (await client.exists(from).catch(() => 'unknown')) === false;
      if (!gone) throw e;
    }
    // The file left the remote folder: forget it, so a new file under the same name is picked up.
    delete ledger.files[name];
    await writeLedger(dirs, ledger);
    settled.push(name);
    options.logger?.info({ file: name, action: config.afterPickup }, 'sftp file settled on the server');
  }
  return settled;
}

/** The name in the inbox: the remote name, or `name.<hash8>` (then `.2` ...) when a file of that name waits there. */
async function freeName(dir: string, name: string, hash: string): Promise<string> {
  const candidates = [name, `${name}.${hash.slice(0, 8)}`];
  for (let i = 2; i < 1000; i++) candidates.push(`${name}.${hash.slice(0, 8)}.${i}`);
  for (const candidate of candidates) {
    try {
      await lstat(path.join(dir, candidate));
    } catch {
      return candidate;
    }
  }
  throw new ConfigError('sftp.inbox_full', `The inbox ${dir} holds 1000 files named like ${name}: archive or remove them.`);
}

/** Flushes a downloaded file to disk before it is renamed into the inbox, so a crash cannot leave a torn file there. */
async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readLedger(dirs: InboxDirs): Promise<PickupLedger> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dirs.state, LEDGER), 'utf8')) as Partial<PickupLedger>;
    return { version: 1, files: parsed.files && typeof parsed.files === 'object' ? parsed.files : {} };
  } catch {
    return { version: 1, files: {} };
  }
}

async function writeLedger(dirs: InboxDirs, ledger: PickupLedger): Promise<void> {
  const file = path.join(dirs.state, LEDGER);
  await writeFile(`${file}.tmp`, JSON.stringify(ledger));
  await rename(`${file}.tmp`, file);
}

/**
 * One pickup at a time per inbox (streams of one connector may run together): an exclusive lock file. A lock left
 * by a dead process is taken over after STALE_LOCK_MS. Undefined when another pickup holds it.
 */
async function lock(dirs: InboxDirs): Promise<(() => Promise<void>) | undefined> {
  const file = path.join(dirs.state, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, `${process.pid} ${new Date().toISOString()}`, { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(file).then((s) => s.mtimeMs).catch(() => Date.now()));
      if (age < STALE_LOCK_MS) return undefined;
      await rm(file, { force: true });
    }
  }
  return undefined;
}

/** Test connection for a connector's `check`: logs in and lists the remote folder. */
export async function checkSftp(config: SftpPickupConfig): Promise<{ ok: true; message: string } | { ok: false; code: string; message: string }> {
  try {
    const client = await connect(config);
    try {
      const listing = await client.list(config.remoteDir).catch((error: unknown) => {
        throw classify(error, config, 'list');
      });
      const pattern = globToRegExp(config.pattern);
      const waiting = listing.filter((f) => f.type === '-' && isPickable(f.name) && pattern.test(f.name)).length;
      return { ok: true, message: `sftp://${config.username}@${config.host}:${config.port}${remoteJoin(config.remoteDir, '')} (${waiting} file(s) matching ${config.pattern})` };
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (error) {
    const e = classify(error, config, 'connect');
    return { ok: false, code: e.code, message: e.message };
  }
}

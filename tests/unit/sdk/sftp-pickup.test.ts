import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import ssh2 from 'ssh2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { distributorEdiConnector as connector, type EdiStream } from '../../../connectors/distributor-edi/connector.js';
import { rxFileConnector } from '../../../connectors/rx-file/connector.js';
import { CrosswalkError } from '../../../src/errors.js';
import { prepareInbox } from '../../../src/sdk/file-inbox.js';
import type { Batch, Checkpoint } from '../../../src/sdk/index.js';
import { pickUpFromSftp, SftpPickupSchema, type SftpPickupConfig } from '../../../src/sdk/sftp-pickup.js';
import { decryptConfigSecrets } from '../../../src/secrets/config-secrets.js';
import { encryptSecret, generateSecretKey, parseSecretKey } from '../../../src/secrets/secret-box.js';
import { startFakeSftpServer, type FakeSftpServer } from '../../fakes/sftp/server.js';

const FIXTURES = path.resolve('tests/fixtures/edi');
const logger = pino({ level: 'silent' });
const clientKey = ssh2.utils.generateKeyPairSync('ed25519');

let remote: string;
let workspace: string;
let server: FakeSftpServer;

beforeAll(async () => {
  remote = mkdtempSync(path.join(os.tmpdir(), 'sftp-remote-'));
  server = await startFakeSftpServer({ root: remote, username: 'wholesaler', password: 'hunter2-but-longer', authorizedKey: clientKey.public });
});
afterAll(async () => {
  await server?.close();
  rmSync(remote, { recursive: true, force: true });
});
beforeEach(() => {
  for (const name of readdirSync(remote)) rmSync(path.join(remote, name), { recursive: true, force: true });
  mkdirSync(path.join(remote, 'outgoing'));
  workspace = mkdtempSync(path.join(os.tmpdir(), 'sftp-inbox-'));
  process.env.TEST_SFTP_PASSWORD = 'hunter2-but-longer';
});
afterEach(() => {
  rmSync(workspace, { recursive: true, force: true });
  delete process.env.TEST_SFTP_PASSWORD;
});

const sftpConfig = (extra: Record<string, unknown> = {}): SftpPickupConfig =>
  SftpPickupSchema.parse({ host: '127.0.0.1', port: server.port, username: 'wholesaler', passwordEnv: 'TEST_SFTP_PASSWORD', hostKeySha256: server.hostKeySha256, remoteDir: '/outgoing', pattern: '*.x12', ...extra });
const upload = (fixture: string, as = fixture): void => copyFileSync(path.join(FIXTURES, fixture), path.join(remote, 'outgoing', as));
const remoteFiles = (dir = 'outgoing'): string[] => readdirSync(path.join(remote, dir)).sort();
const inbox = (): string[] => readdirSync(path.join(workspace, 'edi', 'inbox')).sort();

async function run(stream: EdiStream, config: Record<string, unknown>, checkpoint?: Checkpoint) {
  const parsed = connector.configSchema.parse({ folder: 'edi', streams: ['customers', 'sales'], ...config });
  const batches: Batch[] = [];
  for await (const batch of connector.read(parsed, { stream, checkpoint, batchSize: 1000, logger, signal: new AbortController().signal, workspaceDir: workspace })) batches.push(batch);
  return { records: batches.flatMap((b) => b.records), checkpoint: batches.at(-1)?.checkpoint };
}

async function failure(promise: Promise<unknown>): Promise<CrosswalkError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CrosswalkError);
  return error as CrosswalkError;
}

describe('SFTP pickup into a file inbox', () => {
  it('downloads matching files into the inbox, reads them, and deletes them on the server once every stream stored them', async () => {
    upload('867-basic.x12');
    writeFileSync(path.join(remote, 'outgoing', 'notes.txt'), 'not for us');
    writeFileSync(path.join(remote, 'outgoing', 'upload-in-progress.x12.part'), 'ISA*...');
    writeFileSync(path.join(remote, 'outgoing', '.hidden.x12'), 'ISA*...');
    const config = { sftp: sftpConfig({ afterPickup: 'delete' }) };

    const customers = await run('customers', config);
    expect(customers.records.length).toBeGreaterThan(0);
    // Sales has not read the file yet: it is not archived, so it stays on the server.
    expect(remoteFiles()).toEqual(['.hidden.x12', '867-basic.x12', 'notes.txt', 'upload-in-progress.x12.part']);
    expect(inbox()).toEqual(['867-basic.x12']);

    const sales = await run('sales', config);
    expect(sales.records).toHaveLength(3);
    expect(readdirSync(path.join(workspace, 'edi', 'archive'))).toEqual(['867-basic.x12']);
    expect(remoteFiles()).toEqual(['.hidden.x12', 'notes.txt', 'upload-in-progress.x12.part']);
    // Nothing half-written was ever left in the inbox, and nothing is downloaded twice.
    expect(inbox()).toEqual([]);
    expect((await run('sales', config, sales.checkpoint)).records).toEqual([]);
  });

  it('picks each remote file up once by name, size and time, and a re-upload of the same content under another name is recognised by content', async () => {
    upload('867-basic.x12');
    const config = { archive: false, streams: ['sales'], sftp: sftpConfig() };
    const first = await run('sales', config);
    expect(first.records).toHaveLength(3);
    expect(remoteFiles()).toEqual(['867-basic.x12']); // afterPickup: keep

    // Unchanged on the server: not downloaded again, even though the inbox copy is gone.
    rmSync(path.join(workspace, 'edi', 'inbox', '867-basic.x12'));
    const dirs = await prepareInbox(path.join(workspace, 'edi'));
    expect((await pickUpFromSftp(config.sftp, dirs, { isCommitted: () => false })).downloaded).toEqual([]);

    // The same bytes under a new name are downloaded, then not read again: the checkpoint knows the content.
    upload('867-basic.x12', 'resent.x12');
    const again = await run('sales', config, first.checkpoint);
    expect(inbox()).toEqual(['resent.x12']);
    expect(again.records).toEqual([]);

    // The same name re-uploaded with new content (another size and time) is a new delivery.
    upload('867-replace.x12', '867-basic.x12');
    utimesSync(path.join(remote, 'outgoing', '867-basic.x12'), new Date(), new Date(Date.now() + 60_000));
    expect((await pickUpFromSftp(config.sftp, dirs, { isCommitted: () => false })).downloaded).toEqual(['867-basic.x12']);
    expect(readFileSync(path.join(workspace, 'edi', 'inbox', '867-basic.x12'))).toEqual(readFileSync(path.join(FIXTURES, '867-replace.x12')));
  });

  it('moves picked-up files into another remote folder when told to, and logs in with a private key', async () => {
    mkdirSync(path.join(remote, 'done'));
    upload('867-basic.x12');
    const config = { archive: false, streams: ['sales'], sftp: sftpConfig({ passwordEnv: undefined, privateKey: clientKey.private, afterPickup: 'move', moveTo: '/done' }) };
    const { records } = await run('sales', config);
    expect(records).toHaveLength(3);
    expect(remoteFiles()).toEqual([]);
    expect(remoteFiles('done')).toEqual(['867-basic.x12']);
  });

  it('takes its password from an enc:v1: value in the workspace file', async () => {
    upload('867-basic.x12');
    const key = parseSecretKey(generateSecretKey(), 'CROSSWALK_SECRET_KEY');
    const raw = { folder: 'edi', archive: false, streams: ['sales'], sftp: { ...sftpConfig(), passwordEnv: undefined, password: encryptSecret('hunter2-but-longer', key) } };
    const { config, problems } = decryptConfigSecrets(raw, 'connectors[0] (edi)', { current: key, previous: [] });
    expect(problems).toEqual([]);
    const { records } = await run('sales', config as Record<string, unknown>);
    expect(records).toHaveLength(3);
  });

  it('says what a person must fix: wrong password, wrong host key, missing folder (not retried)', async () => {
    const dirs = await prepareInbox(path.join(workspace, 'edi'));
    const commit = { isCommitted: () => false };
    process.env.TEST_SFTP_PASSWORD = 'wrong';
    const auth = await failure(pickUpFromSftp(sftpConfig(), dirs, commit));
    expect([auth.code, auth.failureType]).toEqual(['sftp.auth', 'config']);
    process.env.TEST_SFTP_PASSWORD = 'hunter2-but-longer';
    const hostKey = await failure(pickUpFromSftp(sftpConfig({ hostKeySha256: `SHA256:${'A'.repeat(43)}` }), dirs, commit));
    expect([hostKey.code, hostKey.failureType]).toEqual(['sftp.host_key', 'config']);
    expect(hostKey.message).toContain(server.hostKeySha256);
    const folder = await failure(pickUpFromSftp(sftpConfig({ remoteDir: '/nowhere' }), dirs, commit));
    expect([folder.code, folder.failureType]).toEqual(['sftp.remote_dir', 'config']);
    expect(() => SftpPickupSchema.parse({ host: 'h', username: 'u', password: 'p', remoteDir: '/' })).toThrow(/host key fingerprint/);
  });

  it('makes network failures retryable and leaves no partial file: a refused connection, and one dropped mid-download', async () => {
    const dirs = await prepareInbox(path.join(workspace, 'edi'));
    const commit = { isCommitted: () => false };
    // A file larger than one read, so the connection drops in the middle of it.
    writeFileSync(path.join(remote, 'outgoing', 'big.x12'), readFileSync(path.join(FIXTURES, '867-basic.x12'), 'utf8').repeat(200));
    server.breakNextRead();
    const dropped = await failure(pickUpFromSftp(sftpConfig(), dirs, commit));
    expect(dropped.failureType).toBe('transient');
    expect(readdirSync(dirs.inbox)).toEqual([]);
    // The retry downloads it whole.
    expect((await pickUpFromSftp(sftpConfig(), dirs, commit)).downloaded).toEqual(['big.x12']);
    expect(readFileSync(path.join(dirs.inbox, 'big.x12'))).toEqual(readFileSync(path.join(remote, 'outgoing', 'big.x12')));

    const closed = await startFakeSftpServer({ root: remote, username: 'x', password: 'y' });
    const port = closed.port;
    await closed.close();
    const refused = await failure(pickUpFromSftp(sftpConfig({ port }), dirs, commit));
    expect([refused.code, refused.failureType]).toEqual(['sftp.unreachable', 'transient']);
    expect(existsSync(path.join(dirs.state, 'sftp-pickup.lock'))).toBe(false);
  });

  it('feeds the folder inbox of the file connectors too (rx-file): read, archived, then deleted on the server', async () => {
    copyFileSync(path.resolve('tests/fixtures/rx/MUP_DPR_RY24_P04_V10_DY22_NPIBN.csv'), path.join(remote, 'outgoing', 'MUP_DPR_RY24_P04_V10_DY22_NPIBN.csv'));
    const config = rxFileConnector.configSchema.parse({ folder: 'cms', layout: 'cms-part-d', stream: 'prescriber-drug', sftp: sftpConfig({ pattern: 'MUP_DPR_*.csv', afterPickup: 'delete' }) });
    const batches: Batch[] = [];
    for await (const batch of rxFileConnector.read(config, { stream: 'prescriber-drug', checkpoint: undefined, batchSize: 1000, logger, signal: new AbortController().signal, workspaceDir: workspace })) batches.push(batch);
    expect(batches.flatMap((b) => b.records).length).toBeGreaterThan(0);
    expect(readdirSync(path.join(workspace, 'cms', 'archive'))).toEqual(['MUP_DPR_RY24_P04_V10_DY22_NPIBN.csv']);
    expect(remoteFiles()).toEqual([]);
    expect(() => rxFileConnector.configSchema.parse({ path: 'x.csv', layout: 'cms-part-d', sftp: sftpConfig() })).toThrow(/`sftp` downloads into an inbox/);
  });
});

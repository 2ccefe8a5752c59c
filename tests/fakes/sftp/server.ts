import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, renameSync, statSync, unlinkSync, type Stats } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ssh2 from 'ssh2';

const { Server, utils } = ssh2;
const { STATUS_CODE, OPEN_MODE } = utils.sftp;

/**
 * A real SFTP server (the ssh2 package's Server speaking the SSH and SFTP wire protocols) over a local folder, for
 * tests: password or public-key login, listing, reading, deleting and renaming files; writing is refused. Paths are
 * virtual (`/` is the folder) and never leave it. `breakNextRead()` drops the connection in the middle of the next
 * download, like a network failure.
 */
export type FakeSftpServer = {
  port: number;
  /** SHA256:<base64>, as `ssh-keygen -lf` prints the host key's fingerprint. */
  hostKeySha256: string;
  /** Connections accepted (after login) since start. */
  logins: () => number;
  breakNextRead: () => void;
  close: () => Promise<void>;
};

export type FakeSftpOptions = {
  root: string;
  username: string;
  password?: string;
  /** An OpenSSH public key line (`ssh-ed25519 AAAA...`) allowed to log in. */
  authorizedKey?: string;
};

export async function startFakeSftpServer(options: FakeSftpOptions): Promise<FakeSftpServer> {
  const hostKey = utils.generateKeyPairSync('ed25519');
  const hostPublic = utils.parseKey(hostKey.public);
  if (hostPublic instanceof Error) throw hostPublic;
  const hostKeySha256 = `SHA256:${createHash('sha256').update(hostPublic.getPublicSSH()).digest('base64').replace(/=+$/, '')}`;
  const allowedKey = options.authorizedKey ? utils.parseKey(options.authorizedKey) : undefined;
  if (allowedKey instanceof Error) throw allowedKey;
  let logins = 0;
  let breakRead = false;
  const clients = new Set<ssh2.Connection>();

  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.username !== options.username) return ctx.reject();
      if (ctx.method === 'password' && options.password !== undefined && ctx.password === options.password) return ctx.accept();
      if (ctx.method === 'publickey' && allowedKey && ctx.key.algo === allowedKey.type && ctx.key.data.equals(allowedKey.getPublicSSH())) {
        if (!ctx.signature) return ctx.accept(); // the client asks whether the key would do; it signs next
        if (ctx.blob && allowedKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      }
      return ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      logins++;
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('sftp', (acceptSftp) => serveSftp(acceptSftp(), client));
      });
    });
  });

  /** The local path of a virtual one, or undefined when it would leave the root. */
  const local = (virtual: string): string | undefined => {
    const full = path.resolve(options.root, `.${path.posix.resolve('/', virtual)}`);
    const rel = path.relative(options.root, full);
    return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : full;
  };
  const attrsOf = (s: Stats) => ({ mode: s.mode, uid: 0, gid: 0, size: s.size, atime: Math.floor(s.atimeMs / 1000), mtime: Math.floor(s.mtimeMs / 1000) });
  const longname = (name: string, s: Stats): string => `${s.isDirectory() ? 'd' : '-'}rw-r--r-- 1 crosswalk crosswalk ${s.size} Jan 01 00:00 ${name}`;

  function serveSftp(sftp: ssh2.SFTPWrapper, client: ssh2.Connection): void {
    const handles = new Map<number, { kind: 'file'; fd: number; path: string } | { kind: 'dir'; path: string; listed: boolean }>();
    let next = 1;
    const handleOf = (buf: Buffer) => handles.get(buf.readUInt32BE(0));
    const newHandle = (h: Parameters<typeof handles.set>[1]): Buffer => {
      const id = next++;
      handles.set(id, h);
      const buf = Buffer.alloc(4);
      buf.writeUInt32BE(id);
      return buf;
    };
    const fail = (reqid: number, error: unknown) => {
      const code = (error as { code?: string }).code;
      sftp.status(reqid, code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : code === 'EACCES' ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE, String((error as Error).message ?? error));
    };
    const withPath = (reqid: number, virtual: string, fn: (p: string) => void) => {
      const p = local(virtual);
      if (!p) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, 'outside the root');
      try {
        fn(p);
      } catch (error) {
        fail(reqid, error);
      }
    };

    sftp.on('REALPATH', (reqid, virtual) => {
      const normalized = path.posix.resolve('/', virtual);
      sftp.name(reqid, [{ filename: normalized, longname: normalized, attrs: {} as ssh2.Attributes }]);
    });
    const onStat = (reqid: number, virtual: string) => withPath(reqid, virtual, (p) => sftp.attrs(reqid, attrsOf(statSync(p))));
    sftp.on('STAT', onStat);
    sftp.on('LSTAT', onStat);
    sftp.on('OPENDIR', (reqid, virtual) =>
      withPath(reqid, virtual, (p) => {
        if (!statSync(p).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOENT' });
        sftp.handle(reqid, newHandle({ kind: 'dir', path: p, listed: false }));
      }),
    );
    sftp.on('READDIR', (reqid, handle) => {
      const h = handleOf(handle);
      if (!h || h.kind !== 'dir') return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
      if (h.listed) return sftp.status(reqid, STATUS_CODE.EOF);
      h.listed = true;
      const entries = readdirSync(h.path).map((name) => {
        const s = statSync(path.join(h.path, name));
        return { filename: name, longname: longname(name, s), attrs: attrsOf(s) };
      });
      sftp.name(reqid, entries);
    });
    sftp.on('OPEN', (reqid, virtual, flags) => {
      if (flags & (OPEN_MODE.WRITE | OPEN_MODE.CREAT | OPEN_MODE.APPEND | OPEN_MODE.TRUNC)) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, 'read-only server');
      withPath(reqid, virtual, (p) => sftp.handle(reqid, newHandle({ kind: 'file', fd: openSync(p, 'r'), path: p })));
    });
    sftp.on('FSTAT', (reqid, handle) => {
      const h = handleOf(handle);
      if (!h) return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
      sftp.attrs(reqid, attrsOf(statSync(h.path)));
    });
    sftp.on('READ', (reqid, handle, offset, length) => {
      const h = handleOf(handle);
      if (!h || h.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
      if (breakRead && offset > 0) {
        breakRead = false;
        client.end();
        return;
      }
      const buf = Buffer.alloc(Math.min(length, 32 * 1024));
      const n = readSync(h.fd, buf, 0, buf.length, offset);
      if (n === 0) return sftp.status(reqid, STATUS_CODE.EOF);
      sftp.data(reqid, buf.subarray(0, n));
    });
    sftp.on('CLOSE', (reqid, handle) => {
      const h = handleOf(handle);
      if (h?.kind === 'file') closeSync(h.fd);
      handles.delete(handle.readUInt32BE(0));
      sftp.status(reqid, STATUS_CODE.OK);
    });
    sftp.on('REMOVE', (reqid, virtual) =>
      withPath(reqid, virtual, (p) => {
        unlinkSync(p);
        sftp.status(reqid, STATUS_CODE.OK);
      }),
    );
    sftp.on('RENAME', (reqid, from, to) => {
      const a = local(from);
      const b = local(to);
      if (!a || !b) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, 'outside the root');
      try {
        renameSync(a, b);
        sftp.status(reqid, STATUS_CODE.OK);
      } catch (error) {
        fail(reqid, error);
      }
    });
    for (const refused of ['WRITE', 'SETSTAT', 'FSETSTAT', 'MKDIR', 'RMDIR', 'SYMLINK', 'READLINK'] as const) {
      sftp.on(refused, (reqid: number) => sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED, `${refused} is not supported by the fake`));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hostKeySha256,
    logins: () => logins,
    breakNextRead: () => {
      breakRead = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}

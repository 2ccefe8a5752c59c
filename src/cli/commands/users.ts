import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { RoleSchema, type Role } from '../../auth/roles.js';
import { createUser, issueApiKey, listApiKeys, listUsers, revokeApiKey, updateUser } from '../../auth/user.repository.js';
import { loadSettings } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { openStore } from '../../hub.js';
import { migrate } from '../../store/migrate.js';
import type { Database } from '../../store/database.js';
import { action, formatTable } from '../output.js';

async function withStore(fn: (db: Database) => Promise<void>): Promise<void> {
  const db = await openStore(loadSettings());
  try {
    await migrate(db);
    await fn(db);
  } finally {
    await db.close();
  }
}

/** Who ran the command, for the audit log: the operating-system user. */
function cliActor(): string {
  return `cli:${process.env.USER ?? process.env.USERNAME ?? 'unknown'}`;
}

function parseRole(value: string): Role {
  const parsed = RoleSchema.safeParse(value);
  if (!parsed.success) throw new ConfigError('user.role', `--role must be admin, steward or viewer, not "${value}".`);
  return parsed.data;
}

/** Reads a password: the first line of stdin (--password-stdin), or a prompt that does not echo. */
async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
      output._writeToOutput = (s: string) => {
        if (s.includes(question)) output.output.write(s);
      };
      rl.question(question, (answer) => {
        rl.close();
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password: ');
  const second = await ask('Again: ');
  if (first !== second) throw new ConfigError('user.password', 'The two passwords differ.');
  return first;
}

export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('People and service accounts of the API and console: roles admin, steward, viewer.');
  users
    .command('add <name>')
    .description('Create a user (the first one: `crosswalk users add you --role admin`). Prompts for a password.')
    .requiredOption('--role <role>', 'admin (connectors, schedules, users), steward (review, merge, pins) or viewer (read)')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .option('--no-password', 'a service account: no console sign-in, API keys only')
    .action(
      action((name: string, options: { role: string; passwordStdin?: boolean; password: boolean }) =>
        withStore(async (db) => {
          const role = parseRole(options.role);
          const password = options.password ? await readPassword(options.passwordStdin === true) : undefined;
          const user = await createUser(db, { name, role, password, actor: cliActor() });
          console.log(`user ${user.name} (${user.role}) created${password === undefined ? ' without a password: issue it a key with `crosswalk users key ' + user.name + '`' : ''}`);
        }),
      ),
    );
  users
    .command('list')
    .description('Users with their role, status and number of active API keys.')
    .option('--json', 'print JSON')
    .action(
      action((options: { json?: boolean }) =>
        withStore(async (db) => {
          const list = await listUsers(db);
          if (options.json) console.log(JSON.stringify(list, null, 2));
          else console.log(formatTable(list.map((u) => ({ name: u.name, role: u.role, password: u.hasPassword ? 'yes' : 'no', 'api keys': u.activeKeys, status: u.disabledAt ? `disabled ${u.disabledAt}` : 'active', created: u.createdAt }))));
        }),
      ),
    );
  users
    .command('key <name>')
    .description('Issue an API key for a user (printed once; only its hash is stored). Use it as `Authorization: Bearer <key>`.')
    .option('--label <text>', 'what the key is for', '')
    .option('--list', 'list the user\'s keys instead (prefixes only)')
    .option('--revoke <id>', 'revoke the key with this id instead', (v) => Number(v))
    .action(
      action((name: string, options: { label: string; list?: boolean; revoke?: number }) =>
        withStore(async (db) => {
          if (options.list) {
            console.log(formatTable((await listApiKeys(db, name)).map((k) => ({ id: k.id, prefix: `${k.prefix}...`, label: k.label, created: k.createdAt, 'last used': k.lastUsedAt ?? '', revoked: k.revokedAt ?? '' }))));
            return;
          }
          if (options.revoke !== undefined) {
            await revokeApiKey(db, options.revoke, cliActor());
            console.log(`key ${options.revoke} revoked (a running hub may accept it for up to 10 more seconds)`);
            return;
          }
          const { key, info } = await issueApiKey(db, name, { label: options.label, actor: cliActor() });
          console.error(`API key ${info.id} for ${name} (shown once; keep it secret):`);
          console.log(key);
        }),
      ),
    );
  users
    .command('set <name>')
    .description('Change a user: --role, --disable / --enable, --password-stdin (ends their sessions).')
    .option('--role <role>', 'new role')
    .option('--disable', 'disable the user (sessions end, keys stop working)')
    .option('--enable', 'enable the user again')
    .option('--password-stdin', 'set a new password read from standard input')
    .action(
      action((name: string, options: { role?: string; disable?: boolean; enable?: boolean; passwordStdin?: boolean }) =>
        withStore(async (db) => {
          const password = options.passwordStdin ? await readPassword(true) : undefined;
          const user = await updateUser(
            db,
            name,
            { ...(options.role ? { role: parseRole(options.role) } : {}), ...(options.disable ? { disabled: true } : options.enable ? { disabled: false } : {}), ...(password !== undefined ? { password } : {}) },
            cliActor(),
          );
          console.log(`user ${user.name}: ${user.role}, ${user.disabledAt ? 'disabled' : 'active'}`);
        }),
      ),
    );
}

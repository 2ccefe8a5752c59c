import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Queryable } from '../store/database.js';
import { countUsers, createUser } from './user.repository.js';

export type DemoLogin = { name: string; role: 'admin' | 'steward'; password: string };

const FILE = 'demo-logins.txt';

/**
 * The demo's logins. On the first start (no user at all) it creates `demo-admin` and `demo-steward` with random
 * passwords and keeps them in `<data dir>/demo-logins.txt` (mode 0600) so every later start can print them again.
 * Only for the demo workspace: a real one starts with `crosswalk users add <name> --role admin`. Returns nothing
 * when users exist that this function did not create (someone set the hub up properly).
 */
export async function prepareDemoLogins(db: Queryable, dataDir: string): Promise<DemoLogin[] | undefined> {
  const file = path.join(dataDir, FILE);
  if ((await countUsers(db)) > 0) {
    if (!existsSync(file)) return undefined;
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .map((line) => {
        const [name = '', role = 'steward', password = ''] = line.split(' ');
        return { name, role: role as DemoLogin['role'], password };
      });
  }
  const made: DemoLogin[] = [];
  for (const [name, role] of [
    ['demo-admin', 'admin'],
    ['demo-steward', 'steward'],
  ] as const) {
    const password = randomBytes(12).toString('base64url');
    await createUser(db, { name, role, password, actor: 'system (demo first start)' });
    made.push({ name, role, password });
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `# Demo logins created on the first start (name role password). Delete this file once you have real users.\n${made.map((m) => `${m.name} ${m.role} ${m.password}`).join('\n')}\n`, { mode: 0o600 });
  return made;
}

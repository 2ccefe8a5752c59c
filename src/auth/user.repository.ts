import { ConfigError } from '../errors.js';
import type { Queryable } from '../store/database.js';
import { appendAudit } from '../store/master.repository.js';
import type { Role } from './roles.js';
import { decoyHash, hashPassword, newApiKey, newToken, sha256, validatePassword, verifyPassword } from './secrets.js';

/** Users, API keys and sessions (tables in migration 009). Secrets go in as hashes and never come back out. */

export type User = { id: number; name: string; role: Role; hasPassword: boolean; createdAt: string; createdBy: string; disabledAt: string | null; activeKeys: number };

/** Who is calling: the user, and how they proved it. */
export type Principal = { userId: number; name: string; role: Role; via: 'api_key' | 'session'; csrfToken?: string; sessionHash?: string };

export const SESSION_TTL_HOURS = 12;

type UserRow = { id: number; name: string; role: Role; password_hash: string | null; created_at: Date; created_by: string; disabled_at: Date | null; active_keys?: number };

function toUser(r: UserRow): User {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    hasPassword: r.password_hash !== null,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    disabledAt: r.disabled_at?.toISOString() ?? null,
    activeKeys: r.active_keys ?? 0,
  };
}

const USER_SELECT = `SELECT u.*, (SELECT count(*) FROM api_key k WHERE k.user_id = u.id AND k.revoked_at IS NULL)::int AS active_keys FROM app_user u`;

export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user');
  return rows[0]!.n;
}

export async function listUsers(db: Queryable): Promise<User[]> {
  const { rows } = await db.query<UserRow>(`${USER_SELECT} ORDER BY u.name`);
  return rows.map(toUser);
}

export async function findUser(db: Queryable, name: string): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(`${USER_SELECT} WHERE u.name = $1`, [name]);
  return rows[0] ? toUser(rows[0]) : undefined;
}

async function requireUser(db: Queryable, name: string): Promise<User> {
  const user = await findUser(db, name);
  if (!user) throw new ConfigError('user.not_found', `No user "${name}": \`crosswalk users list\` shows them.`);
  return user;
}

export async function createUser(db: Queryable, input: { name: string; role: Role; password?: string; actor: string }): Promise<User> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(input.name)) {
    throw new ConfigError('user.name', `"${input.name}" is not a user name: letters, digits and . _ @ - (up to 64), starting with a letter or digit.`);
  }
  if (input.password !== undefined) {
    const problem = validatePassword(input.password);
    if (problem) throw new ConfigError('user.password', `Password refused: ${problem}.`);
  }
  if (await findUser(db, input.name)) throw new ConfigError('user.exists', `A user "${input.name}" already exists.`);
  const hash = input.password !== undefined ? await hashPassword(input.password) : null;
  const { rows } = await db.query<UserRow>(`INSERT INTO app_user (name, role, password_hash, created_by) VALUES ($1, $2, $3, $4) RETURNING *, 0 AS active_keys`, [
    input.name,
    input.role,
    hash,
    input.actor,
  ]);
  const user = toUser(rows[0]!);
  await appendAudit(db, { actor: input.actor, action: 'user.create', entityType: 'user', entityId: user.name, after: { role: user.role, hasPassword: user.hasPassword } });
  return user;
}

export async function updateUser(db: Queryable, name: string, change: { role?: Role; disabled?: boolean; password?: string }, actor: string): Promise<User> {
  const before = await requireUser(db, name);
  if (change.password !== undefined) {
    const problem = validatePassword(change.password);
    if (problem) throw new ConfigError('user.password', `Password refused: ${problem}.`);
  }
  const hash = change.password !== undefined ? await hashPassword(change.password) : undefined;
  await db.query(
    `UPDATE app_user SET role = COALESCE($2, role), password_hash = COALESCE($3, password_hash),
            disabled_at = CASE WHEN $4::boolean IS NULL THEN disabled_at WHEN $4 THEN COALESCE(disabled_at, now()) ELSE NULL END
      WHERE id = $1`,
    [before.id, change.role ?? null, hash ?? null, change.disabled ?? null],
  );
  // A disabled user, a new password or a lower role ends the user's sessions.
  if (change.disabled || change.password !== undefined || change.role !== undefined) await db.query('DELETE FROM user_session WHERE user_id = $1', [before.id]);
  const after = await requireUser(db, name);
  await appendAudit(db, {
    actor,
    action: 'user.update',
    entityType: 'user',
    entityId: name,
    before: { role: before.role, disabled: before.disabledAt !== null },
    after: { role: after.role, disabled: after.disabledAt !== null, ...(change.password !== undefined ? { passwordChanged: true } : {}) },
  });
  return after;
}

export type ApiKeyInfo = { id: number; user: string; prefix: string; label: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

/** Issues an API key. The key itself is returned once, here, and stored only as a hash. */
export async function issueApiKey(db: Queryable, name: string, input: { label?: string; actor: string }): Promise<{ key: string; info: ApiKeyInfo }> {
  const user = await requireUser(db, name);
  if (user.disabledAt) throw new ConfigError('user.disabled', `User "${name}" is disabled: enable it before issuing a key.`);
  const key = newApiKey();
  const prefix = key.slice(0, 10);
  const { rows } = await db.query<{ id: number; created_at: Date }>('INSERT INTO api_key (user_id, key_hash, prefix, label) VALUES ($1, $2, $3, $4) RETURNING id, created_at', [
    user.id,
    sha256(key),
    prefix,
    input.label ?? '',
  ]);
  await appendAudit(db, { actor: input.actor, action: 'user.key_issued', entityType: 'user', entityId: name, after: { keyId: rows[0]!.id, prefix, label: input.label ?? '' } });
  return { key, info: { id: rows[0]!.id, user: name, prefix, label: input.label ?? '', createdAt: rows[0]!.created_at.toISOString(), lastUsedAt: null, revokedAt: null } };
}

export async function listApiKeys(db: Queryable, name?: string): Promise<ApiKeyInfo[]> {
  const { rows } = await db.query<{ id: number; name: string; prefix: string; label: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }>(
    `SELECT k.id, u.name, k.prefix, k.label, k.created_at, k.last_used_at, k.revoked_at FROM api_key k JOIN app_user u ON u.id = k.user_id
      WHERE ($1::text IS NULL OR u.name = $1) ORDER BY k.id`,
    [name ?? null],
  );
  return rows.map((r) => ({ id: r.id, user: r.name, prefix: r.prefix, label: r.label, createdAt: r.created_at.toISOString(), lastUsedAt: r.last_used_at?.toISOString() ?? null, revokedAt: r.revoked_at?.toISOString() ?? null }));
}

export async function revokeApiKey(db: Queryable, id: number, actor: string): Promise<void> {
  const { rows } = await db.query<{ name: string; prefix: string }>(
    `UPDATE api_key k SET revoked_at = now() FROM app_user u WHERE k.id = $1 AND u.id = k.user_id AND k.revoked_at IS NULL RETURNING u.name, k.prefix`,
    [id],
  );
  if (!rows[0]) throw new ConfigError('api_key.not_found', `No active API key ${id}.`);
  await appendAudit(db, { actor, action: 'user.key_revoked', entityType: 'user', entityId: rows[0].name, after: { keyId: id, prefix: rows[0].prefix } });
}

export async function authenticateApiKey(db: Queryable, key: string): Promise<Principal | undefined> {
  const { rows } = await db.query<{ key_id: number; id: number; name: string; role: Role }>(
    `SELECT k.id AS key_id, u.id, u.name, u.role FROM api_key k JOIN app_user u ON u.id = k.user_id
      WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.disabled_at IS NULL`,
    [sha256(key)],
  );
  const r = rows[0];
  if (!r) return undefined;
  // At most one write a minute per key, not one per request.
  await db.query(`UPDATE api_key SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [r.key_id]);
  return { userId: r.id, name: r.name, role: r.role, via: 'api_key' };
}

/** Checks a name and password; the same work is done for an unknown name, so timing does not tell names apart. */
export async function checkPassword(db: Queryable, name: string, password: string): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(`${USER_SELECT} WHERE u.name = $1 AND u.disabled_at IS NULL`, [name]);
  const r = rows[0];
  const ok = await verifyPassword(r?.password_hash ?? (await decoyHash()), password);
  return ok && r?.password_hash ? toUser(r) : undefined;
}

export async function createSession(db: Queryable, userId: number): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = newToken();
  const csrfToken = newToken();
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO user_session (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING expires_at`,
    [sha256(token), userId, csrfToken, SESSION_TTL_HOURS],
  );
  await db.query('DELETE FROM user_session WHERE expires_at < now()');
  return { token, csrfToken, expiresAt: rows[0]!.expires_at };
}

export async function findSession(db: Queryable, token: string): Promise<Principal | undefined> {
  const hash = sha256(token);
  const { rows } = await db.query<{ id: number; name: string; role: Role; csrf_token: string }>(
    `SELECT u.id, u.name, u.role, s.csrf_token FROM user_session s JOIN app_user u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [hash],
  );
  const r = rows[0];
  return r ? { userId: r.id, name: r.name, role: r.role, via: 'session', csrfToken: r.csrf_token, sessionHash: hash } : undefined;
}

export async function deleteSession(db: Queryable, sessionHash: string): Promise<void> {
  await db.query('DELETE FROM user_session WHERE token_hash = $1', [sessionHash]);
}

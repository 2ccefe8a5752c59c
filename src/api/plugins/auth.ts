import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasRole, type Role } from '../../auth/roles.js';
import { sameSecret, sha256 } from '../../auth/secrets.js';
import { authenticateApiKey, findSession, type Principal } from '../../auth/user.repository.js';
import type { Queryable } from '../../store/database.js';

/**
 * Who may call a route. Every route says it in `config.access`; a route that does not (a plugin's own routes)
 * is admin-only unless a path prefix below says otherwise: access fails closed.
 */
export type Access = 'public' | Role;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyInstance {
    /** Every route with the access it requires, in registration order (the security test walks it). */
    routeCatalog: Array<{ method: string; url: string; access: Access }>;
    /** Forgets cached API keys and sessions (after a key is revoked or a user changed). */
    forgetCachedKeys(): void;
    /** Forgets one cached session (after sign-out). */
    forgetCachedSession(sessionHash: string): void;
  }
}

export const SESSION_COOKIE = 'cw_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Routes registered by plugins, which cannot carry our config: the API docs are for any user, bull-board for admins. */
const ACCESS_BY_PREFIX: Array<[string, Access]> = [
  ['/docs', 'viewer'],
  ['/admin/queues', 'admin'],
];
/** Cookie requests to these skip the CSRF token (their UI cannot send it) but still must come from our origin. */
const ORIGIN_CHECK_ONLY = ['/admin/queues'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const KEY_CACHE_MS = 10_000;
/** Sessions are cached for less: signing out through the API forgets at once, a user disabled from the CLI within this. */
const SESSION_CACHE_MS = 5_000;

export function accessOf(url: string, declared: Access | undefined): Access {
  if (declared) return declared;
  return ACCESS_BY_PREFIX.find(([prefix]) => url === prefix || url.startsWith(`${prefix}/`))?.[1] ?? 'admin';
}

function deny(reply: FastifyReply, status: 401 | 403, code: string, message: string) {
  return reply.status(status).send({ error: { code, message } });
}

/**
 * Authentication (an API key in `Authorization: Bearer`, or the console's session cookie) and role checks, on
 * every request before anything else runs. Cookie-authenticated requests that change state must carry the
 * session's CSRF token in `x-csrf-token` and, when the browser says where they come from, our own origin.
 */
async function authPlugin(app: FastifyInstance, options: { db: Queryable }): Promise<void> {
  await app.register(fastifyCookie);
  const catalog: FastifyInstance['routeCatalog'] = [];
  app.decorate('routeCatalog', catalog);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) catalog.push({ method, url: route.url, access: accessOf(route.url, route.config?.access) });
  });

  const keyCache = new Map<string, { principal: Principal; until: number }>();
  const sessionCache = new Map<string, { principal: Principal; until: number }>();
  app.decorate('forgetCachedKeys', () => {
    keyCache.clear();
    sessionCache.clear();
  });
  app.decorate('forgetCachedSession', (sessionHash: string) => sessionCache.delete(sessionHash));
  // Every request of a signed-in console would otherwise read its session and user from the store.
  const fromSession = async (token: string): Promise<Principal | undefined> => {
    const hash = sha256(token);
    const cached = sessionCache.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const principal = await findSession(options.db, token);
    if (principal) {
      if (sessionCache.size > 10_000) sessionCache.clear();
      sessionCache.set(hash, { principal, until: Date.now() + SESSION_CACHE_MS });
    } else sessionCache.delete(hash);
    return principal;
  };
  const fromKey = async (key: string): Promise<Principal | undefined> => {
    const hash = sha256(key);
    const cached = keyCache.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const principal = await authenticateApiKey(options.db, key);
    if (principal) {
      if (keyCache.size > 10_000) keyCache.clear();
      keyCache.set(hash, { principal, until: Date.now() + KEY_CACHE_MS });
    } else keyCache.delete(hash);
    return principal;
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.is404) return;
    const url = request.routeOptions.url ?? request.url;
    const access = accessOf(url, request.routeOptions.config?.access);
    if (access === 'public') return;

    const header = request.headers.authorization;
    let principal: Principal | undefined;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) return deny(reply, 401, 'auth.malformed', 'The Authorization header must be `Bearer <api key>`.');
      principal = await fromKey(match[1]!);
      if (!principal) return deny(reply, 401, 'auth.invalid_key', 'This API key is unknown, revoked, or its user is disabled.');
    } else {
      const token = request.cookies[SESSION_COOKIE];
      if (token) principal = await fromSession(token);
      if (!principal) return deny(reply, 401, 'auth.required', 'Sign in (console) or send `Authorization: Bearer <api key>`.');
      if (!SAFE_METHODS.has(request.method)) {
        const origin = request.headers.origin;
        if (origin && origin !== `${request.protocol}://${request.host}`) return deny(reply, 403, 'auth.origin', 'Cross-origin request refused.');
        const onlyOrigin = ORIGIN_CHECK_ONLY.some((p) => url.startsWith(p));
        const sent = request.headers[CSRF_HEADER];
        if (!onlyOrigin && (typeof sent !== 'string' || !principal.csrfToken || !sameSecret(sent, principal.csrfToken))) {
          return deny(reply, 403, 'auth.csrf', `A request that changes something needs the session's CSRF token in the ${CSRF_HEADER} header.`);
        }
      }
    }
    if (!hasRole(principal.role, access)) {
      return deny(reply, 403, 'auth.forbidden', `This needs the ${access} role; ${principal.name} is ${principal.role === 'admin' ? 'an' : 'a'} ${principal.role}.`);
    }
    request.principal = principal;
  });
}

export default fp(authPlugin, { name: 'auth' });

/** The signed-in user's name for the audit log; routes behind auth always have one. */
export function actorOf(request: FastifyRequest): string {
  if (!request.principal) throw new Error('actorOf called on a route without authentication');
  return request.principal.name;
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoleSchema } from '../../auth/roles.js';
import { checkPassword, createSession, deleteSession, SESSION_TTL_HOURS } from '../../auth/user.repository.js';
import { ApiError, ErrorEnvelopeSchema } from '../plugins/error-handler.js';
import { SESSION_COOKIE } from '../plugins/auth.js';
import { errors, type ApiContext } from './shared.js';

const MeSchema = z.object({ name: z.string(), role: RoleSchema, via: z.enum(['api_key', 'session']), csrfToken: z.string().optional() });

/**
 * Console sign-in: a session cookie (httpOnly, SameSite=Strict, Secure over https) and the CSRF token the console
 * sends back in `x-csrf-token` on every change. Sign-in attempts are rate-limited per client address.
 */
export const authRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { hub }) => {
  app.post(
    '/api/auth/login',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in to the console (sets the session cookie)',
        security: [],
        body: z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
        response: { 200: z.object({ user: z.object({ name: z.string(), role: RoleSchema }), csrfToken: z.string(), expiresAt: z.string() }), 401: ErrorEnvelopeSchema, 429: ErrorEnvelopeSchema },
      },
    },
    async (request, reply) => {
      const user = await checkPassword(hub.db, request.body.name, request.body.password);
      if (!user) throw new ApiError(401, 'auth.login_failed', 'Wrong user name or password.');
      const session = await createSession(hub.db, user.id);
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
        maxAge: SESSION_TTL_HOURS * 3600,
      });
      request.log.info({ user: user.name }, 'signed in');
      return { user: { name: user.name, role: user.role }, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'viewer' }, schema: { tags: ['auth'], summary: 'Sign out (ends the session)', response: { 204: z.null(), ...errors() } } },
    async (request, reply) => {
      if (request.principal?.sessionHash) {
        await deleteSession(hub.db, request.principal.sessionHash);
        app.forgetCachedSession(request.principal.sessionHash);
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get('/api/auth/me', { config: { access: 'viewer' }, schema: { tags: ['auth'], summary: 'Who is signed in', response: { 200: MeSchema, ...errors() } } }, async (request) => {
    const p = request.principal!;
    return { name: p.name, role: p.role, via: p.via, ...(p.csrfToken ? { csrfToken: p.csrfToken } : {}) };
  });
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoleSchema } from '../../auth/roles.js';
import { createUser, findUser, issueApiKey, listApiKeys, listUsers, revokeApiKey, updateUser } from '../../auth/user.repository.js';
import { actorOf } from '../plugins/auth.js';
import { ApiError } from '../plugins/error-handler.js';
import { errors, type ApiContext } from './shared.js';

const UserSchema = z.object({
  id: z.number(),
  name: z.string(),
  role: RoleSchema,
  hasPassword: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  disabledAt: z.string().nullable(),
  activeKeys: z.number(),
});
const KeySchema = z.object({ id: z.number(), user: z.string(), prefix: z.string(), label: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() });
const NameParams = z.object({ name: z.string().min(1).max(64) });

/** Users and API keys (admin). Every change is in the audit log; passwords and keys never are. */
export const userRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { hub }) => {
  const admin = { access: 'admin' as const };
  const tags = ['users'];

  app.get('/api/users', { config: admin, schema: { tags, summary: 'List users', response: { 200: z.object({ users: z.array(UserSchema) }), ...errors() } } }, async () => ({
    users: await listUsers(hub.db),
  }));

  app.post(
    '/api/users',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create a user (without a password: a service account that uses API keys)',
        body: z.object({ name: z.string().min(1).max(64), role: RoleSchema, password: z.string().max(1024).optional() }),
        response: { 201: UserSchema, ...errors(400, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await createUser(hub.db, { ...request.body, actor: actorOf(request) })),
  );

  app.patch(
    '/api/users/:name',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change a user: role, disabled, password (ends their sessions)',
        params: NameParams,
        body: z.object({ role: RoleSchema.optional(), disabled: z.boolean().optional(), password: z.string().max(1024).optional() }),
        response: { 200: UserSchema, ...errors(400, 404, 422) },
      },
    },
    async (request) => {
      const { name } = request.params;
      const target = await findUser(hub.db, name);
      const demotes = request.body.disabled === true || (request.body.role !== undefined && request.body.role !== 'admin');
      if (target?.role === 'admin' && !target.disabledAt && demotes) {
        const admins = (await listUsers(hub.db)).filter((u) => u.role === 'admin' && !u.disabledAt);
        if (admins.length <= 1) throw new ApiError(422, 'user.last_admin', `${name} is the last active admin: make another admin first.`);
      }
      const user = await updateUser(hub.db, name, request.body, actorOf(request));
      app.forgetCachedKeys();
      return user;
    },
  );

  app.get(
    '/api/users/:name/keys',
    { config: admin, schema: { tags, summary: "A user's API keys (prefixes only)", params: NameParams, response: { 200: z.object({ keys: z.array(KeySchema) }), ...errors() } } },
    async (request) => ({ keys: await listApiKeys(hub.db, request.params.name) }),
  );

  app.post(
    '/api/users/:name/keys',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Issue an API key: the key is shown in this answer only',
        params: NameParams,
        body: z.object({ label: z.string().max(100).optional() }).default({}),
        response: { 201: z.object({ key: z.string(), info: KeySchema }), ...errors(404, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await issueApiKey(hub.db, request.params.name, { label: request.body?.label, actor: actorOf(request) })),
  );

  app.delete(
    '/api/users/:name/keys/:id',
    {
      config: admin,
      schema: { tags, summary: 'Revoke an API key', params: NameParams.extend({ id: z.coerce.number().int().positive() }), response: { 204: z.null(), ...errors(404) } },
    },
    async (request, reply) => {
      await revokeApiKey(hub.db, request.params.id, actorOf(request));
      app.forgetCachedKeys();
      return reply.status(204).send(null);
    },
  );
};

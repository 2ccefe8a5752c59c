import rateLimit from '@fastify/rate-limit';
import { securityHeaders } from './plugins/security-headers.js';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Hub } from '../hub.js';
import type { Engine } from '../pipeline/engine.js';
import authPlugin from './plugins/auth.js';
import { bullBoardPlugin } from './plugins/bull-board.js';
import { consolePlugin } from './plugins/console.js';
import errorHandler from './plugins/error-handler.js';
import swaggerPlugin from './plugins/swagger.js';
import { applyConnectorOverrides } from './queries/connector-overrides.js';
import { hasTrigramSearch } from './queries/master-search.js';
import { MasterSearchIndex } from './search/master-search-index.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { connectorRoutes } from './routes/connectors.js';
import { healthRoutes } from './routes/health.js';
import { masterRoutes } from './routes/masters.js';
import { metricsRoutes } from './routes/metrics.js';
import { quarantineRoutes } from './routes/quarantine.js';
import { reviewRoutes } from './routes/review.js';
import { runRoutes } from './routes/runs.js';
import { goldenRulesOf, type ApiContext } from './routes/shared.js';
import { userRoutes } from './routes/users.js';

export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/**
 * The HTTP API of the hub and the console (see README.md beside this file for what goes where). Everything but
 * /health, the sign-in route and the console's static files needs an API key or a console session.
 */
export async function buildApi(hub: Hub, engine: Engine, options: { logRequests?: boolean; rateLimitPerMinute?: number } = {}): Promise<Api> {
  // Without request logging (npm start's console), the api logs warnings and errors only.
  const logger = hub.logger.child({ component: 'api' }, options.logRequests === false ? { level: 'warn' } : {});
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger, bodyLimit: 2 * 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // The administrator's connector switches (kept in the store) win over crosswalk.yaml; schedules follow them.
  await applyConnectorOverrides(hub.db, hub.workspace);
  const context: ApiContext = { hub, engine, rules: goldenRulesOf(hub), trigram: await hasTrigramSearch(hub.db), searchIndex: new MasterSearchIndex(hub.db) };
  // The search index loads while the server starts (a million masters take seconds); the first search waits for it.
  context.searchIndex.catchUp().catch((err: unknown) => logger.error({ err }, 'search index: loading failed; the next search tries again'));

  await app.register(errorHandler);
  await app.register(authPlugin, { db: hub.db });
  await app.register(securityHeaders);
  const perMinute = options.rateLimitPerMinute ?? Number(process.env.CROSSWALK_API_RATE_LIMIT ?? 6000);
  await app.register(rateLimit, {
    // Every client (an API key, a session, else an address) gets a budget per minute (0: none); sign-in has a tighter one.
    global: perMinute > 0,
    max: perMinute > 0 ? perMinute : 1,
    timeWindow: '1 minute',
    keyGenerator: (request) => request.headers.authorization ?? request.headers.cookie?.match(/cw_session=([^;]+)/)?.[1] ?? request.ip,
    // Thrown, so the one error handler answers it in the one envelope.
    errorResponseBuilder: (_request, ctx) => Object.assign(new Error(`Too many attempts: try again in ${Math.ceil(ctx.ttl / 1000)} s.`), { statusCode: 429, code: 'rate_limited' }),
  });
  await app.register(swaggerPlugin);
  await app.register(bullBoardPlugin, { engine });
  await app.register(healthRoutes, { hub, engine, searchIndex: context.searchIndex });
  await app.register(metricsRoutes, { engine });
  await app.register(authRoutes, context);
  await app.register(userRoutes, context);
  await app.register(connectorRoutes, context);
  await app.register(runRoutes, context);
  await app.register(quarantineRoutes, context);
  await app.register(masterRoutes, context);
  await app.register(reviewRoutes, context);
  await app.register(auditRoutes, context);
  await app.register(consolePlugin);
  return app;
}

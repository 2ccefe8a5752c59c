import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Hub } from '../hub.js';
import type { Engine } from '../pipeline/engine.js';
import { bullBoardPlugin } from './plugins/bull-board.js';
import errorHandler from './plugins/error-handler.js';
import { connectorRoutes } from './routes/connectors.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { runRoutes } from './routes/runs.js';

export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/**
 * The HTTP API of the hub (see README.md beside this file for what goes where). No auth yet: `npm start`
 * binds 127.0.0.1 unless HOST says otherwise.
 */
export async function buildApi(hub: Hub, engine: Engine, options: { logRequests?: boolean } = {}): Promise<Api> {
  // Without request logging (npm start's console), the api logs warnings and errors only.
  const logger = hub.logger.child({ component: 'api' }, options.logRequests === false ? { level: 'warn' } : {});
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorHandler);
  await app.register(bullBoardPlugin, { engine });
  await app.register(healthRoutes, { hub, engine });
  await app.register(metricsRoutes, { engine });
  await app.register(runRoutes, { hub });
  await app.register(connectorRoutes, { hub, engine });
  return app;
}

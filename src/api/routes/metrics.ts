import type { FastifyPluginAsync } from 'fastify';
import type { Engine } from '../../pipeline/engine.js';

/** GET /metrics: Prometheus text format (see src/observability/metrics.ts for the names). */
export const metricsRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  app.get('/metrics', { config: { access: 'viewer' }, schema: { hide: true } }, async (_request, reply) => {
    const registry = engine.metrics.registry;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
};

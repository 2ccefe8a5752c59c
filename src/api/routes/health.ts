import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Hub } from '../../hub.js';
import type { Engine } from '../../pipeline/engine.js';
import type { MasterSearchIndex } from '../search/master-search-index.js';

const ComponentSchema = z.object({ status: z.enum(['up', 'down']), detail: z.string() });
const SearchIndexSchema = z.object({ status: z.enum(['loading', 'ready', 'failed']), masters: z.number(), detail: z.string() });
const HealthSchema = z.object({ status: z.enum(['ok', 'degraded']), db: ComponentSchema, queues: ComponentSchema, searchIndex: SearchIndexSchema });

/**
 * GET /health: is the store answering, are the queues answering, is master search's index loaded (a million masters
 * take seconds after start; searches wait for it). 503 when the store or the queues are down or the index failed to
 * load.
 */
export const healthRoutes: FastifyPluginAsyncZod<{ hub: Hub; engine: Engine; searchIndex: MasterSearchIndex }> = async (app, { hub, engine, searchIndex }) => {
  app.get('/health', { config: { access: 'public' }, schema: { response: { 200: HealthSchema, 503: HealthSchema } } }, async (_request, reply) => {
    const [db, queues] = await Promise.all([
      probe(async () => {
        await hub.db.query('SELECT 1');
        return `${hub.db.kind} ${hub.db.location}`;
      }),
      probe(async () => {
        await engine.sync.queue.getJobCounts('waiting');
        return engine.backend.description;
      }),
    ]);
    const index = searchIndex.state;
    const ok = db.status === 'up' && queues.status === 'up' && index.status !== 'failed';
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', db, queues, searchIndex: index });
  });
};

async function probe(check: () => Promise<string>, timeoutMs = 2000): Promise<z.infer<typeof ComponentSchema>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      check(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return { status: 'up', detail };
  } catch (error) {
    return { status: 'down', detail: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

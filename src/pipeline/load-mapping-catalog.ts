import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { formatMappingErrors, loadMappings } from '../mapping/index.js';
import type { MappingCatalog, StreamMapping } from './mapping-catalog.js';

/**
 * Loads every source mapping of a workspace, refusing to start when any has an error: a run with a broken
 * mapping would null fields silently, and the person fixing it wants every problem listed at once.
 */
export function loadMappingCatalog(dir: string): MappingCatalog {
  const { mappings, errors } = loadMappings({ dir });
  if (errors.length > 0) {
    throw new ConfigError('mapping.invalid', `The mappings in ${dir} have ${errors.length} error(s):\n${formatMappingErrors(errors)}\nRun \`crosswalk mappings check --dir ${dir}\` after fixing them.`);
  }
  const byKey = new Map<string, StreamMapping>();
  for (const m of mappings) {
    const checksum = createHash('sha256').update(readFileSync(m.file)).digest('hex').slice(0, 16);
    byKey.set(`${m.connector}\u0000${m.stream}`, {
      connector: m.connector,
      stream: m.stream,
      checksum,
      file: m.file,
      apply: (payload) => {
        const mapped = m.apply(payload);
        return { ...mapped, sourceId: mapped.sourceId || undefined };
      },
    });
  }
  return {
    find: (connector, stream) => byKey.get(`${connector}\u0000${stream}`),
    all: () => [...byKey.values()],
  };
}

export * from './common.js';
export * from './veeva-crm.js';
export * from './nppes.js';
export * from './xponent.js';

import type { Population } from '../population.js';
import type { SourceName, SourceRenderer } from './common.js';
import { createNppesRenderer } from './nppes.js';
import { createVeevaCrmRenderer } from './veeva-crm.js';
import { createXponentRenderer, type XponentOptions } from './xponent.js';

/** The renderer of a named source. `weeks` is read by the Rx source only. */
export function createSourceRenderer(population: Population, source: SourceName, options: XponentOptions = {}): SourceRenderer {
  switch (source) {
    case 'veeva-crm':
      return createVeevaCrmRenderer(population, options);
    case 'nppes':
      return createNppesRenderer(population, options);
    case 'xponent':
      return createXponentRenderer(population, options);
  }
}

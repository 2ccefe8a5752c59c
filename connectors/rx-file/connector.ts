import { defineConnector, type Batch } from '../../src/sdk/index.js';
import { checkFileSource, readFileSource } from '../../src/sdk/file-source.js';
import { RxFileConfigSchema } from './config.js';
import { readRxRows } from './read-rows.js';

export { RxFileConfigSchema, type RxFileConfig } from './config.js';

/**
 * Prescription data files: the CMS Part D prescriber x drug file (`layout: cms-part-d`), or a prescriber-level feed
 * whose layout (delimited or fixed-width, columns, positions, types) is configuration. Streamed line by line, in
 * constant memory, with a byte-offset checkpoint. Rows become Rx facts through the mapping; prescribers attach to
 * physicians other sources created (configure the instance with `masters: resolve`). See README.md.
 */
export const rxFileConnector = defineConnector({
  type: 'rx-file',
  description: 'Prescription data files: CMS Part D prescriber x drug, or an Xponent-style feed with a configured delimited or fixed-width layout.',
  configSchema: RxFileConfigSchema,
  discover: (config) => [
    {
      name: config.stream,
      description: config.layout === 'cms-part-d' ? 'CMS Part D prescriber x drug x year' : `prescriber x product x period (${config.layout})`,
      primaryKey: config.layout === 'cms-part-d' ? ['Prscrbr_NPI', 'Brnd_Name', 'Gnrc_Name', '_dataYear'] : undefined,
    },
  ],
  check: (config, { workspaceDir }) => checkFileSource(config, workspaceDir),
  read(config, context): AsyncIterable<Batch> {
    return readFileSource(config, context, (file, resume, signal) => readRxRows(config, file, resume, signal));
  },
});

export default rxFileConnector;

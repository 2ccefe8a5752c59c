import { checkFileSource, readFileSource } from '../../src/sdk/file-source.js';
import { defineConnector, type Batch } from '../../src/sdk/index.js';
import { ErpConfigSchema } from './config.js';
import { readDebmasFile } from './debmas.js';
import { readCsvExport, readJsonExport } from './export-file.js';
import { readOData } from './odata.js';

export { ErpConfigSchema, type ErpConfig } from './config.js';

/**
 * The ERP customer master: SAP DEBMAS IDocs (XML), a customer export (CSV or JSON), or an OData pull (S/4HANA
 * `A_Customer`). Customers become organization records keyed by the ERP customer number with the ERP system as
 * issuer; blocks, deletion and credit flags travel as attributes. See README.md.
 */
export const erpConnector = defineConnector({
  type: 'erp',
  description: 'ERP customer master: SAP DEBMAS IDoc XML, a CSV/JSON customer export, or an OData (S/4HANA) pull.',
  configSchema: ErpConfigSchema,
  discover: (config) => [{ name: config.stream, description: `customers (${config.format})`, primaryKey: config.format === 'rest' ? ['Customer'] : ['KUNNR'] }],
  async check(config, { workspaceDir }) {
    if (config.format !== 'rest') return checkFileSource(config, workspaceDir);
    return { ok: true, message: `OData ${config.baseUrl}/${config.entitySet} (reachability is tested by the first sync)` };
  },
  read(config, context): AsyncIterable<Batch> {
    switch (config.format) {
      case 'rest':
        return readOData(config, context);
      case 'sap-debmas':
        return readFileSource(config, context, (file, resume, signal) => readDebmasFile(file, { system: config.system, skip: resume?.rows ?? 0, signal }));
      case 'csv':
        return readFileSource(config, context, (file, resume, signal) =>
          readCsvExport(file, { delimiter: config.delimiter, encoding: config.encoding, system: config.system, resume, signal, maxLineLength: config.maxLineLength }),
        );
      case 'json':
        return readFileSource(config, context, (file, resume, signal) => readJsonExport(file, { system: config.system, resume, signal, maxBytes: config.maxBytes, recordsPath: config.recordsPath }));
    }
  },
});

export default erpConnector;

import type { Logger } from 'pino';
import { ConfigError, CrosswalkError, defineConnector, type ConnectorDefinition } from '../../src/sdk/index.js';
import { SalesforceClient } from './client.js';
import { findStream, listStreams, redactConfig, SalesforceConfigSchema, type SalesforceConfig } from './config.js';
import { readStream } from './sync.js';
import { upsertRecords, type WriteRequest, type WriteResult } from './write.js';

export type { SalesforceConfig } from './config.js';
export type { WriteRequest, WriteResult } from './write.js';

/**
 * Salesforce (Veeva CRM or a plain org) on jsforce 3: incremental on SystemModstamp with an overlap window,
 * REST paging for small deltas and Bulk API 2.0 for large ones, deletes as tombstones, and an API budget it stays
 * under. See README.md for setup, configuration and limits.
 *
 * Besides the SDK's verbs it offers `write` (the SDK has no write verb yet): upserts values into existing CRM
 * records through sObject Collections. `write-back.ts` feeds it from the outbox.
 */
type SalesforceConnector = ConnectorDefinition<typeof SalesforceConfigSchema> & {
  write(config: SalesforceConfig, requests: WriteRequest[], context?: { logger?: Logger; client?: SalesforceClient }): Promise<WriteResult>;
};

export const salesforceConnector: SalesforceConnector = {
  ...defineConnector({
    type: 'salesforce',
    description: 'Salesforce / Veeva CRM: Account (person and business), Address_vod__c, Child_Account_vod__c, Contact; incremental, bulk, budget-aware.',
    configSchema: SalesforceConfigSchema,
    discover: (config) =>
      listStreams(config).map((s) => ({
        name: s.name,
        description: `Salesforce ${s.object}`,
        primaryKey: ['Id'],
        cursorField: 'SystemModstamp',
      })),
    async check(config) {
      const client = new SalesforceClient(config);
      try {
        await client.connect();
        for (const stream of listStreams(config)) {
          await client.request({ method: 'GET', url: `/sobjects/${stream.object}/describe` });
        }
        const usage = client.budget.usage;
        return { ok: true, message: `Connected to ${client.instanceUrl} (API ${config.apiVersion})${usage ? `; API requests used today ${usage.used}/${usage.limit}` : ''}.` };
      } catch (error) {
        if (error instanceof CrosswalkError) return { ok: false, code: error.code, message: error.message };
        return { ok: false, code: 'salesforce.check_failed', message: (error as Error).message };
      }
    },
    async *read(config, context) {
      const stream = findStream(config, context.stream);
      // The logger sees the configuration only with its secrets replaced.
      context.logger.debug({ config: redactConfig(config), stream: stream.name }, 'salesforce read');
      const client = new SalesforceClient(config, context.logger);
      yield* readStream(client, config, stream, context);
    },
  }),
  async write(config, requests, context = {}) {
    if (!config.writeBack) throw new ConfigError('salesforce.write_back_off', 'Write-back is not configured for this connector: add a `writeBack` section (see connectors/salesforce/README.md).');
    const client = context.client ?? new SalesforceClient(config, context.logger);
    await client.connect();
    return upsertRecords(client, config.writeBack, requests, context.logger);
  },
};

export default salesforceConnector;

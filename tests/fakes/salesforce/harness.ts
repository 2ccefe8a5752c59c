import { pino, type Logger } from 'pino';
import { salesforceConnector } from '../../../connectors/salesforce/connector.js';
import type { SalesforceConfig } from '../../../connectors/salesforce/config.js';
import type { Batch, Checkpoint } from '../../../src/sdk/index.js';
import { FakeSalesforceOrg, type FakeOrgOptions } from './fake-org.js';
import { testKeyPair } from './keys.js';
import { seedVeevaOrg, type SeedResult } from './seed.js';

export const CLIENT_ID = '3MVG9fakeConsumerKey';
export const USERNAME = 'integration@crosswalk.example';

/** A started fake org with seeded data and a connector config pointing at it (JWT bearer, fast retries). */
export async function startFakeOrg(options: { accounts: number; addresses?: boolean; affiliations?: boolean } & FakeOrgOptions): Promise<{
  org: FakeSalesforceOrg;
  seed: SeedResult;
  config: (overrides?: Record<string, unknown>) => SalesforceConfig;
}> {
  const keys = testKeyPair();
  const org = new FakeSalesforceOrg({ jwtPublicKey: keys.publicKey, clientId: CLIENT_ID, username: USERNAME, clientSecret: 'fake-secret', password: 'pw+token', ...options });
  const seed = seedVeevaOrg(org, options);
  const url = await org.start();
  const config = (overrides: Record<string, unknown> = {}) =>
    salesforceConnector.configSchema.parse({
      loginUrl: url,
      auth: { kind: 'jwt', clientId: CLIENT_ID, username: USERNAME, privateKey: keys.privateKey },
      networkIdField: 'NET_External_Id__c',
      bulkPollIntervalMs: 5,
      http: { maxRetries: 4, retryMinTimeoutMs: 5, timeoutMs: 30_000 },
      ...overrides,
    });
  return { org, seed, config };
}

export const silentLogger: Logger = pino({ level: 'silent' });

/** Runs `read` to the end (or until `stopAfter` batches), collecting batches and the last checkpoint. */
export async function readAll(
  config: SalesforceConfig,
  stream: string,
  options: { checkpoint?: Checkpoint; batchSize?: number; stopAfter?: number; logger?: Logger; onBatch?: (batch: Batch, index: number) => void } = {},
): Promise<{ batches: Batch[]; checkpoint: Checkpoint | undefined; records: Batch['records'] }> {
  const batches: Batch[] = [];
  let checkpoint = options.checkpoint;
  for await (const batch of salesforceConnector.read(config, {
    stream,
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    batchSize: options.batchSize ?? 1000,
    logger: options.logger ?? silentLogger,
    signal: new AbortController().signal,
    workspaceDir: process.cwd(),
  })) {
    batches.push(batch);
    checkpoint = batch.checkpoint;
    options.onBatch?.(batch, batches.length - 1);
    if (options.stopAfter !== undefined && batches.length >= options.stopAfter) break;
  }
  return { batches, checkpoint, records: batches.flatMap((b) => b.records) };
}

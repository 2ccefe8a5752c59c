import { z } from 'zod';
import { ConfigError } from '../../src/sdk/index.js';

/**
 * The Salesforce connector's configuration. Secrets may be given inline (for tests) or, better, as the name of an
 * environment variable (`privateKeyEnv`, `refreshTokenEnv`, ...): the workspace file then holds no secret at all.
 */

const JwtAuthSchema = z.object({
  kind: z.literal('jwt'),
  /** The connected app's consumer key (the JWT `iss`). */
  clientId: z.string().min(1),
  /** The integration user's username (the JWT `sub`). */
  username: z.string().min(1),
  /** PEM private key whose certificate is uploaded to the connected app. Prefer `privateKeyEnv`. */
  privateKey: z.string().optional(),
  privateKeyEnv: z.string().optional(),
  /** The JWT `aud`: `https://login.salesforce.com` or `https://test.salesforce.com`; defaults to `loginUrl`. */
  audience: z.string().optional(),
});

const RefreshTokenAuthSchema = z.object({
  kind: z.literal('refresh_token'),
  clientId: z.string().min(1),
  clientSecret: z.string().optional(),
  clientSecretEnv: z.string().optional(),
  refreshToken: z.string().optional(),
  refreshTokenEnv: z.string().optional(),
});

const PasswordAuthSchema = z.object({
  kind: z.literal('password'),
  clientId: z.string().min(1),
  clientSecret: z.string().optional(),
  clientSecretEnv: z.string().optional(),
  username: z.string().min(1),
  /** The password followed by the user's security token, as Salesforce expects. */
  password: z.string().optional(),
  passwordEnv: z.string().optional(),
});

export const AuthSchema = z.discriminatedUnion('kind', [JwtAuthSchema, RefreshTokenAuthSchema, PasswordAuthSchema]);
export type AuthConfig = z.infer<typeof AuthSchema>;

export const StreamConfigSchema = z.object({
  /** The stream name; with the connector id it selects `mappings/sources/<connector>.<name>.yaml`. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and hyphens'),
  /** The sObject API name. */
  object: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
  /**
   * Fields to read. Omitted: every readable field `describe` lists (new fields join automatically, with a
   * warning). Given: checked against `describe`; a missing one is dropped with a warning, never a failure.
   */
  fields: z.array(z.string().min(1)).optional(),
  /** Relationship fields (`Account_vod__r.IsPersonAccount`) read as well; not checked against describe. */
  relatedFields: z.array(z.string().regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)+$/)).default([]),
  /** An extra SOQL condition (`RecordType.DeveloperName != 'Archived'`), ANDed with the incremental filter. */
  where: z.string().optional(),
  /** How deletes are found: `queryAll` (IsDeleted = true), `deleted-endpoint` (getDeleted, 30 days) or `none`. */
  deletes: z.enum(['queryAll', 'deleted-endpoint', 'none']).default('queryAll'),
});
export type StreamConfig = z.infer<typeof StreamConfigSchema>;

const VEEVA_STREAMS: StreamConfig[] = [
  { name: 'account', object: 'Account', relatedFields: [], deletes: 'queryAll' },
  { name: 'address', object: 'Address_vod__c', relatedFields: ['Account_vod__r.IsPersonAccount'], deletes: 'queryAll' },
  { name: 'child-account', object: 'Child_Account_vod__c', relatedFields: ['Child_Account_vod__r.IsPersonAccount'], deletes: 'queryAll' },
];
const PLAIN_STREAMS: StreamConfig[] = [
  { name: 'account', object: 'Account', relatedFields: [], deletes: 'queryAll' },
  { name: 'contact', object: 'Contact', relatedFields: ['Account.Name'], deletes: 'queryAll' },
];

export const WriteBackSchema = z.object({
  /** The sObject written to. */
  object: z.string().default('Account'),
  /** The stream whose records are the CRM side of a master (their source ids are the CRM ids). */
  stream: z.string().default('account'),
  /** The field upserts are keyed on. `Id` updates existing records only and never creates one. */
  externalIdField: z.string().default('Id'),
  /** Receives the master id. */
  masterIdField: z.string().default('Crosswalk_Master_Id__c'),
  /** Golden attribute paths written to CRM fields: `{ NPI_vod__c: "identifiers[npi]", Specialty_1_vod__c: "specialties[0]" }`. */
  fields: z.record(z.string(), z.string()).default({}),
  /** On a merge, the losing CRM account gets the winning master id here. */
  mergedIntoMasterField: z.string().default('Crosswalk_Merged_Into__c'),
  /** Optionally also the winning CRM account's id (when the winner has one in this org). */
  mergedIntoAccountField: z.string().optional(),
  /**
   * Write the person's opt-outs (email, phone, PDRP with its date) into the standard and Veeva fields, so an opt-out
   * received anywhere reaches the reps. Only ever sets an opt-out; never clears one.
   */
  optOuts: z.boolean().default(true),
  /** Per-record failures (row locks) are retried this many times within one call before being recorded. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
});

export const SalesforceConfigSchema = z
  .object({
    /** `https://login.salesforce.com`, `https://test.salesforce.com` or the org's My Domain login URL. */
    loginUrl: z.string().url().default('https://login.salesforce.com'),
    /** Set explicitly: jsforce's default is old. */
    apiVersion: z.string().regex(/^\d{2}\.0$/, 'like "61.0"').default('61.0'),
    auth: AuthSchema,
    /** `veeva`: Account, Address_vod__c, Child_Account_vod__c. `plain`: Account, Contact. */
    flavour: z.enum(['veeva', 'plain']).default('veeva'),
    /** Replaces the flavour's default streams when given. */
    streams: z.array(StreamConfigSchema).optional(),
    /** More streams on top of the defaults (Call2_vod__c, a custom object ...). */
    extraStreams: z.array(StreamConfigSchema).default([]),
    /** The org's Veeva Network id field (e.g. `NET_External_Id__c`); copied into the payload as `Crosswalk_Network_Id`. */
    networkIdField: z.string().optional(),
    /** Re-read this much before the watermark on each run, for transactions that committed late. */
    overlapMinutes: z.number().min(0).max(24 * 60).default(5),
    /** Above this many changed rows a run uses Bulk API 2.0 instead of REST paging. */
    bulkThreshold: z.number().int().min(0).default(10_000),
    /** Records per REST page (Sforce-Query-Options batchSize, 200..2000). */
    restPageSize: z.number().int().min(200).max(2000).default(2000),
    /** Records per Bulk API 2.0 results page (maxRecords). */
    bulkPageSize: z.number().int().min(1).max(100_000).default(50_000),
    bulkPollIntervalMs: z.number().int().min(1).default(2_000),
    /** jsforce's default is 30 s: large objects need minutes. */
    bulkPollTimeoutMs: z.number().int().min(1).default(15 * 60_000),
    budget: z
      .object({
        /** Stop at this share of the org's daily API requests (other integrations need the rest). */
        share: z.number().gt(0).max(1).default(0.5),
        /** When the budget is spent, retry after this many minutes; default: the next midnight UTC. */
        backoffMinutes: z.number().positive().optional(),
      })
      .default({ share: 0.5 }),
    http: z
      .object({
        timeoutMs: z.number().int().positive().default(120_000),
        /** jsforce's own retries of 5xx and socket errors on idempotent requests, with exponential backoff. */
        maxRetries: z.number().int().min(0).max(10).default(4),
        retryMinTimeoutMs: z.number().int().min(1).default(500),
      })
      .default({ timeoutMs: 120_000, maxRetries: 4, retryMinTimeoutMs: 500 }),
    writeBack: WriteBackSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    for (const s of [...(config.streams ?? []), ...config.extraStreams]) {
      if (names.has(s.name)) ctx.addIssue({ code: 'custom', path: ['streams'], message: `stream "${s.name}" is defined twice` });
      names.add(s.name);
    }
  });
export type SalesforceConfig = z.infer<typeof SalesforceConfigSchema>;

export function listStreams(config: SalesforceConfig): StreamConfig[] {
  const base = config.streams ?? (config.flavour === 'veeva' ? VEEVA_STREAMS : PLAIN_STREAMS);
  const extra = config.extraStreams.filter((e) => !base.some((b) => b.name === e.name));
  return [...base, ...extra];
}

export function findStream(config: SalesforceConfig, name: string): StreamConfig {
  const found = listStreams(config).find((s) => s.name === name);
  if (!found) throw new ConfigError('salesforce.unknown_stream', `The Salesforce connector has no stream "${name}"; it has: ${listStreams(config).map((s) => s.name).join(', ')}.`);
  return found;
}

/** A secret from the config, or from the environment variable it names. */
export function resolveSecret(inline: string | undefined, envName: string | undefined, what: string): string {
  if (inline) return inline;
  if (envName) {
    const value = process.env[envName];
    if (value) return value;
    throw new ConfigError('salesforce.secret_missing', `The ${what} is read from the environment variable ${envName}, which is not set: set it where the worker runs.`);
  }
  throw new ConfigError('salesforce.secret_missing', `No ${what}: set it in the connector's auth settings or name an environment variable that holds it.`);
}

const SECRET_KEYS = new Set(['privateKey', 'refreshToken', 'clientSecret', 'password', 'accessToken']);

/** The configuration with every secret replaced, safe to log or show. */
export function redactConfig(config: SalesforceConfig): Record<string, unknown> {
  const auth = Object.fromEntries(Object.entries(config.auth).map(([k, v]) => [k, SECRET_KEYS.has(k) && v ? '[redacted]' : v]));
  return { ...config, auth };
}

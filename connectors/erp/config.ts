import { z } from 'zod';
import { requireOneSource } from '../../src/sdk/file-source.js';
import { SftpPickupSchema } from '../../src/sdk/sftp-pickup.js';

const FileSource = {
  /** One file, relative to the workspace: a snapshot re-read whole on every run. */
  path: z.string().min(1).optional(),
  /** An inbox folder, relative to the workspace: each delivered file read once, then archived. */
  folder: z.string().min(1).optional(),
  /** Feed the `folder` inbox from an SFTP server (src/sdk/sftp-pickup.ts). */
  sftp: SftpPickupSchema.optional(),
};

/** The identifier issuer of every customer number: the ERP system and client (`PRD-100`). */
const system = z.string().min(1).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : -');

const Common = {
  /** The stream name: with the connector id it names the mapping `<connector>.<stream>.yaml`. */
  stream: z.string().min(1).default('customers'),
};

const Auth = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('basic'), username: z.string().min(1), password: z.string().min(1).optional(), passwordEnv: z.string().min(1).optional() }),
  z.strictObject({ type: z.literal('bearer'), token: z.string().min(1).optional(), tokenEnv: z.string().min(1).optional() }),
  z.strictObject({ type: z.literal('header'), name: z.string().min(1), value: z.string().min(1).optional(), valueEnv: z.string().min(1).optional() }),
]);

export const ErpConfigSchema = z.discriminatedUnion('format', [
  z
    .strictObject({
      format: z.literal('sap-debmas'),
      ...FileSource,
      ...Common,
      /** Default: each IDoc's sender partner (EDI_DC40 SNDPRN). */
      system: system.optional(),
    })
    .superRefine(requireOneSource),
  z
    .strictObject({
      format: z.literal('csv'),
      ...FileSource,
      ...Common,
      system,
      delimiter: z.string().min(1).max(2).default(','),
      encoding: z.enum(['utf8', 'latin1']).default('utf8'),
      maxLineLength: z.number().int().min(256).default(1024 * 1024),
    })
    .superRefine(requireOneSource),
  z
    .strictObject({
      format: z.literal('json'),
      ...FileSource,
      ...Common,
      system,
      /** Where the array sits in a JSON document (`d.results`); JSON lines need none. */
      recordsPath: z.string().min(1).optional(),
      /** Largest JSON document read whole; JSON lines are streamed whatever their total size. */
      maxBytes: z.number().int().min(1024).default(256 * 1024 * 1024),
    })
    .superRefine(requireOneSource),
  z.strictObject({
    format: z.literal('rest'),
    ...Common,
    system,
    /** The OData service root, e.g. https://s4.example.com/sap/opu/odata/sap/API_BUSINESS_PARTNER */
    baseUrl: z.url({ protocol: /^https?$/ }),
    entitySet: z.string().min(1).default('A_Customer'),
    odataVersion: z.union([z.literal(2), z.literal(4)]).default(2),
    /** The SAP client, sent as the `sap-client` header. */
    client: z.string().regex(/^\d{3}$/).optional(),
    auth: Auth.optional(),
    pageSize: z.number().int().min(1).max(10_000).default(500),
    maxPages: z.number().int().min(1).default(100_000),
    /** A stable order makes $skip paging safe while records are added. */
    orderBy: z.string().min(1).default('Customer'),
    filter: z.string().min(1).optional(),
    select: z.array(z.string().min(1)).optional(),
    timeoutMs: z.number().int().min(1000).default(60_000),
  }),
]);
export type ErpConfig = z.infer<typeof ErpConfigSchema>;

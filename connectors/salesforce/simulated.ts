import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { ConfigError, defineConnector } from '../../src/sdk/index.js';
import { FakeSalesforceOrg } from '../../tests/fakes/salesforce/fake-org.js';
import { salesforceConnector } from './connector.js';
import { SalesforceConfigSchema, type SalesforceConfig } from './config.js';

/**
 * A SIMULATED Veeva CRM org for the demo: the local fake org of the test suite (token endpoint, SOQL query
 * paging, Bulk API 2.0, describe, limits: the real wire formats over real HTTP on 127.0.0.1), filled from a Veeva
 * account export, and read by the real Salesforce connector unchanged. It lets a newcomer watch CRM records flow
 * into the master without credentials. Never point it at anything real: it has no real org behind it.
 */
const SimulatedConfigSchema = z.object({
  /** A flat Veeva account export (the demo's `sources/veeva-crm.accounts.csv`), relative to the workspace. */
  seedFrom: z.string().min(1),
  /** Any further Salesforce connector settings (bulkThreshold, overlapMinutes ...). */
  salesforce: z.record(z.string(), z.unknown()).default({}),
});

const CREDENTIALS = { clientId: 'crosswalk-demo', clientSecret: 'simulated', username: 'demo@simulated-org.crosswalk', password: 'simulated' };

const orgs = new Map<string, Promise<string>>();

/** Starts (once per seed file and process) the simulated org, and returns its login URL. */
function simulatedOrgFor(file: string): Promise<string> {
  let started = orgs.get(file);
  if (!started) {
    started = (async () => {
      const org = new FakeSalesforceOrg(CREDENTIALS);
      seedFromExport(org, file);
      const url = await org.start();
      // The simulated org must not keep the process alive once the hub is done with it.
      (org as unknown as { server?: { unref(): void } }).server?.unref();
      return url;
    })();
    orgs.set(file, started);
  }
  return started;
}

const PERSON_FIELDS = ['Salutation', 'FirstName', 'Middle_vod__c', 'LastName', 'Suffix_vod__c', 'Credentials_vod__c', 'NPI_vod__c', 'ME__c', 'Specialty_1_vod__c', 'Gender_vod__c', 'PersonEmail', 'Phone', 'PDRP_Opt_Out_Date_vod__c', 'Primary_Parent_vod__c'];

/** One Account per export row, and an Address_vod__c and (for physicians) a Child_Account_vod__c beside it. */
function seedFromExport(org: FakeSalesforceOrg, file: string): void {
  const rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  const flag = (v: string | undefined) => v === 'true';
  // Organizations first, so a physician's parent exists when it is read.
  const ordered = [...rows.filter((r) => !flag(r.IsPersonAccount)), ...rows.filter((r) => flag(r.IsPersonAccount))];
  for (const r of ordered) {
    const person = flag(r.IsPersonAccount);
    const fields: Record<string, unknown> = { Id: r.Id, IsPersonAccount: person, Name: person ? `${r.FirstName ?? ''} ${r.LastName ?? ''}`.trim() : r.Name, NPI_vod__c: r.NPI_vod__c || null, Phone: r.Phone || null };
    if (person) {
      for (const f of PERSON_FIELDS) fields[f] = r[f] || null;
      fields.PersonDoNotCall = flag(r.PersonDoNotCall);
      fields.PersonHasOptedOutOfEmail = flag(r.PersonHasOptedOutOfEmail);
      fields.PDRP_Opt_Out_vod__c = flag(r.PDRP_Opt_Out_vod__c);
    }
    org.insert('Account', fields, org.tick());
    if (r.Address_Line_1__c) {
      org.insert(
        'Address_vod__c',
        {
          Account_vod__c: r.Id,
          Name: r.Address_Line_1__c,
          Address_line_2_vod__c: r.Address_line_2_vod__c || null,
          City_vod__c: r.City_vod__c || null,
          State_vod__c: r.State_vod__c || null,
          Zip_vod__c: r.Zip_vod__c || null,
          Zip_4_vod__c: r.Zip_4_vod__c || null,
          Primary_vod__c: true,
          DEA_vod__c: r.DEA_vod__c || null,
          License_vod__c: r.License_vod__c || null,
        },
        org.now(),
      );
    }
    if (person && r.Primary_Parent_vod__c) org.insert('Child_Account_vod__c', { Name: `${r.Id} @ ${r.Primary_Parent_vod__c}`, Parent_Account_vod__c: r.Primary_Parent_vod__c, Child_Account_vod__c: r.Id }, org.now());
  }
}

async function effectiveConfig(config: z.infer<typeof SimulatedConfigSchema>, workspaceDir: string): Promise<SalesforceConfig> {
  const file = path.resolve(workspaceDir, config.seedFrom);
  let url: string;
  try {
    url = await simulatedOrgFor(file);
  } catch (error) {
    throw new ConfigError('simulated_org.seed', `The simulated org could not be filled from ${file}: ${(error as Error).message}`);
  }
  return SalesforceConfigSchema.parse({ ...config.salesforce, flavour: 'veeva', loginUrl: url, auth: { kind: 'password', ...CREDENTIALS } });
}

export const simulatedSalesforceConnector = defineConnector({
  type: 'salesforce-simulated',
  description: 'A SIMULATED Veeva CRM org (demo only): the real Salesforce connector reading a local fake org filled from an account export.',
  configSchema: SimulatedConfigSchema,
  discover: (config) => salesforceConnector.discover(SalesforceConfigSchema.parse({ ...config.salesforce, flavour: 'veeva', auth: { kind: 'password', ...CREDENTIALS } })),
  async check(config, context) {
    return salesforceConnector.check(await effectiveConfig(config, context.workspaceDir), context);
  },
  async *read(config, context) {
    context.logger.info({ seedFrom: config.seedFrom }, 'reading the SIMULATED Salesforce org (demo data, no real org)');
    yield* salesforceConnector.read(await effectiveConfig(config, context.workspaceDir), context);
  },
});

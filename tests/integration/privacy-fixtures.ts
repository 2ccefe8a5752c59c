import path from 'node:path';
import { computeDeaCheckDigit } from '../../src/model/identifiers/dea.js';
import { computeNpiCheckDigit } from '../../src/model/identifiers/npi.js';
import { computeSalesforceIdSuffix } from '../../src/model/identifiers/salesforce-id.js';
import { loadMappingCatalog } from '../../src/pipeline/load-mapping-catalog.js';
import type { StreamMapping } from '../../src/pipeline/mapping-catalog.js';
import { ingestBatch } from '../../src/pipeline/sync-stream.js';
import type { PrivacyKeyring } from '../../src/privacy/privacy-key.js';
import type { Batch } from '../../src/sdk/index.js';
import { quoteIdent, type Database, type Queryable } from '../../src/store/database.js';
import { EMPTY_COUNTS } from '../../src/store/sync-run.repository.js';

/** The shipped source mappings: drafts in these tests are what a real sync makes of these rows. */
export const catalog = loadMappingCatalog(path.resolve('mappings/sources'));

export function mappingOf(connector: string, stream: string): StreamMapping {
  const m = catalog.find(connector, stream);
  if (!m) throw new Error(`no mapping ${connector}.${stream}`);
  return m;
}

export const npi = (first9: string) => `${first9}${computeNpiCheckDigit(first9)}`;
export const dea = (letters: string, six: string) => `${letters}${six}${computeDeaCheckDigit(six)}`;
export const sfid = (id15: string) => `${id15}${computeSalesforceIdSuffix(id15)}`;

const CRM_COLUMNS = [
  'Id', 'IsPersonAccount', 'Salutation', 'FirstName', 'Middle_vod__c', 'LastName', 'Suffix_vod__c', 'Credentials_vod__c', 'Name', 'NPI_vod__c', 'ME__c',
  'Specialty_1_vod__c', 'Gender_vod__c', 'PersonEmail', 'Phone', 'PersonDoNotCall', 'PersonHasOptedOutOfEmail', 'PDRP_Opt_Out_vod__c', 'PDRP_Opt_Out_Date_vod__c',
  'Primary_Parent_vod__c', 'Address_Line_1__c', 'Address_line_2_vod__c', 'City_vod__c', 'State_vod__c', 'Zip_vod__c', 'Zip_4_vod__c', 'DEA_vod__c', 'License_vod__c',
  'SystemModstamp',
];

/** A Veeva CRM account export row (mappings/sources/veeva-crm.accounts.yaml): every column, empty unless given. */
export function crmRow(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(CRM_COLUMNS.map((c) => [c, values[c] ?? (c === 'IsPersonAccount' ? 'true' : c === 'SystemModstamp' ? '2026-05-01T10:00:00.000Z' : '')]));
}

/** An Xponent-style Rx row (mappings/sources/xponent.rx.yaml). */
export function rxRow(values: Record<string, string>): Record<string, string> {
  const columns = ['PRESCRIBER_ID', 'ME_NUMBER', 'NPI', 'LAST_NAME', 'FIRST_NAME', 'MIDDLE_NAME', 'SPECIALTY', 'ADDRESS', 'CITY', 'STATE', 'ZIP', 'PRODUCT', 'PERIOD_END', 'TRX', 'NRX', 'UNITS', 'DOLLARS'];
  return Object.fromEntries(columns.map((c) => [c, values[c] ?? '']));
}

/** Ingests a batch the way a sync run does today (src/pipeline/sync-stream.ts `ingestBatch`). */
export async function ingest(db: Database, connector: string, stream: string, batch: Pick<Batch, 'records' | 'rejected'>): Promise<void> {
  await db.transaction((tx) => ingestBatch(tx, mappingOf(connector, stream), { connector, stream }, batch, { ...EMPTY_COUNTS }));
}

/** Ingests a batch through the real `ingestBatch` (which screens against erasure tombstones) with the given keyring. */
export async function ingestScreened(db: Database, connector: string, stream: string, batch: Pick<Batch, 'records' | 'rejected'>, keyring?: PrivacyKeyring) {
  const counts = { ...EMPTY_COUNTS };
  const { erased } = await db.transaction((tx) => ingestBatch(tx, mappingOf(connector, stream), { connector, stream }, batch, counts, keyring ? { privacyKeyring: keyring } : {}));
  return { erased, stored: counts.new + counts.changed, unchanged: counts.unchanged, quarantined: counts.quarantined };
}

/** Every text, JSON and array value of every table of the store, as text: what a search of the whole database sees. */
export async function dumpDatabase(db: Queryable): Promise<Array<{ table: string; column: string; text: string }>> {
  const { rows: columns } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = current_schema()
        AND c.data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY', 'USER-DEFINED')
      ORDER BY 1, 2`,
  );
  const out: Array<{ table: string; column: string; text: string }> = [];
  for (const c of columns) {
    const { rows } = await db.query<{ v: string }>(`SELECT ${quoteIdent(c.column_name)}::text AS v FROM ${quoteIdent(c.table_name)} WHERE ${quoteIdent(c.column_name)} IS NOT NULL`);
    for (const r of rows) out.push({ table: c.table_name, column: c.column_name, text: r.v });
  }
  return out;
}

/** Where each value occurs in the database, case-insensitively: `table.column` per hit. */
export async function findInDatabase(db: Queryable, values: string[]): Promise<Record<string, string[]>> {
  const dump = await dumpDatabase(db);
  const hits: Record<string, string[]> = {};
  for (const value of values) {
    const needle = value.toLowerCase();
    const where = [...new Set(dump.filter((d) => d.text.toLowerCase().includes(needle)).map((d) => `${d.table}.${d.column}`))];
    if (where.length) hits[value] = where;
  }
  return hits;
}

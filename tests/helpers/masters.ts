import path from 'node:path';
import { PhysicianSchema, type Physician } from '../../src/model/index.js';
import { loadMasterRules, type MasterRules } from '../../src/pipeline/resolve-masters.js';
import type { Database } from '../../src/store/database.js';
import { saveNormalizedRecords } from '../../src/store/normalized-record.repository.js';
import { storeSourceRecords } from '../../src/store/source-record.repository.js';

/** The shipped matching models and survivorship rules, as the hub loads them. */
export const rules: MasterRules = loadMasterRules(path.resolve('mappings/matching'), path.resolve('mappings/survivorship'));
export const survivorship = { hcp: rules.hcp.survivorship, hco: rules.hco.survivorship };

export function physician(p: Partial<Physician> & { npi?: string; zip?: string; line1?: string; city?: string }): Physician {
  const { npi, zip, line1, city, ...rest } = p;
  return PhysicianSchema.parse({
    ...rest,
    identifiers: npi ? [{ type: 'npi', value: npi, valid: true }] : [],
    addresses: [{ line1: line1 ?? '12 MAIN ST', city: city ?? 'BOSTON', state: 'MA', zip5: zip ?? '02116', primary: true }],
  });
}

/** Stores a source record carrying one physician draft (and optionally an Rx fact), as a sync would. */
export async function ingest(db: Database, connector: string, sourceId: string, draft: Physician, extra: { rxNpi?: string } = {}): Promise<number> {
  const stored = await storeSourceRecords(db, { connector, stream: 's' }, [{ sourceId, payload: { sourceId, draft } }]);
  const change = stored.changes[0];
  if (!change) throw new Error('not stored');
  const drafts: Parameters<typeof saveNormalizedRecords>[1][number]['drafts'] = [{ kind: 'hcp', key: 'hcp', data: draft }];
  if (extra.rxNpi) {
    drafts.push({
      kind: 'rx_fact',
      key: 'rx',
      data: { prescriber: { npi: extra.rxNpi }, product: { name: 'CARDIOZEN' }, period: { end: '2026-11-20', grain: 'week' }, measures: { trx: 10 }, suppressed: [] },
    });
  }
  await saveNormalizedRecords(db, [{ sourceRecordId: change.id, sourceVersion: change.version, mappingChecksum: 't', drafts, issues: [] }]);
  return change.id;
}

export async function masterOf(db: Database, sourceRecordId: number): Promise<string> {
  const { rows } = await db.query<{ master_id: string }>('SELECT master_id FROM crosswalk WHERE source_record_id = $1', [sourceRecordId]);
  return rows[0]!.master_id;
}


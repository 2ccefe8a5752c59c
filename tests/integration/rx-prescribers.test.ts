import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rxFileConnector } from '../../connectors/rx-file/connector.js';
import type { CompiledMapping } from '../../src/mapping/index.js';
import { resolveMasters } from '../../src/pipeline/resolve-masters.js';
import { computeSegments, formatSegmentsCsv, listSegments, listUnresolvedPrescribers } from '../../src/rx/index.js';
import type { Database } from '../../src/store/database.js';
import { saveNormalizedRecords } from '../../src/store/normalized-record.repository.js';
import { storeSourceRecords } from '../../src/store/source-record.repository.js';
import { STORE_KINDS, openTestDatabase } from '../helpers/database.js';
import { ingest, physician, rules } from '../helpers/masters.js';
import { FIXED_COLUMNS, mapping, payloads, readAll, workspaceWith } from '../unit/rx/helpers.js';

/** What a sync does with a batch: store the records as received, then their normalized drafts. */
async function syncRows(db: Database, connector: string, stream: string, map: CompiledMapping, rows: Record<string, unknown>[]): Promise<void> {
  const mapped = rows.map((payload) => ({ payload, mapped: map.apply(payload) }));
  const stored = await storeSourceRecords(db, { connector, stream }, mapped.map((m) => ({ sourceId: m.mapped.sourceId, payload: m.payload })));
  const bySourceId = new Map(mapped.map((m) => [m.mapped.sourceId, m.mapped]));
  await saveNormalizedRecords(
    db,
    stored.changes.map((c) => ({ sourceRecordId: c.id, sourceVersion: c.version, mappingChecksum: 't', drafts: bySourceId.get(c.sourceId)!.drafts, issues: bySourceId.get(c.sourceId)!.issues })),
  );
}

describe.each(STORE_KINDS)('Rx prescribers on %s', (kind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(kind));
  });
  afterAll(async () => dispose?.());

  it('lists unresolved prescribers with their keys, name, fact counts and volume, highest TRx first, and never creates a physician', async () => {
    await ingest(db, 'veeva-crm', 'c1', physician({ firstName: 'William', lastName: 'Harrington', npi: '1234567893' }));
    await resolveMasters(db, rules, 'hcp');
    const dir = workspaceWith(['rx/MUP_DPR_RY24_P04_V10_DY22_NPIBN.csv', 'rx/rx-monthly.fixed.txt']);
    const cmsRows = payloads(await readAll(rxFileConnector, dir, { path: 'MUP_DPR_RY24_P04_V10_DY22_NPIBN.csv', layout: 'cms-part-d' }));
    await syncRows(db, 'cms-part-d', 'prescriber-drug', mapping('cms-part-d.prescriber-drug.yaml'), cmsRows);
    const fixedRows = payloads(await readAll(rxFileConnector, dir, { path: 'rx-monthly.fixed.txt', layout: 'fixed-width', encoding: 'latin1', skipPattern: '^(HDR|TRL)', period: { grain: 'month' }, columns: FIXED_COLUMNS }));
    await syncRows(db, 'rx-monthly', 'rx', mapping('rx-monthly.rx.yaml'), fixedRows);

    const report = await resolveMasters(db, rules, 'hcp', { resolveOnlyConnectors: new Set(['cms-part-d', 'rx-monthly']) });
    expect(report.newMasters).toBe(0);
    const masters = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM master_entity WHERE entity_type = 'hcp'`);
    expect(masters.rows[0]!.n).toBe(1);

    const { total, prescribers } = await listUnresolvedPrescribers(db);
    expect(total).toBe(4);
    expect(prescribers.map((p) => [p.connector, p.prescriberKey, p.name, p.facts, p.trx])).toEqual([
      ['cms-part-d', 'npi:1555555550', 'Zed Quill', 2, 1204],
      ['rx-monthly', 'vendor:V000000003', 'Zed Quill', 1, 120],
      ['cms-part-d', 'npi:1003000126', 'Oscar Pellham', 2, 14],
      ['rx-monthly', 'vendor:V000000002', 'Anna Müller', 1, 7],
    ]);
    expect(prescribers[1]).toMatchObject({ npi: '1497758544', vendorId: 'V000000003', me: null, firstPeriod: '2026-10-31' });
    expect(prescribers[3]).toMatchObject({ me: '00312345678', npi: null });

    // Harrington's facts from both feeds are credited to the CRM physician (by NPI, and through the crosswalk).
    const credited = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM rx_fact WHERE master_id IS NOT NULL');
    expect(credited.rows[0]!.n).toBe(2 + 2 + 2);
    // Running resolution again still creates nobody.
    expect((await resolveMasters(db, rules, 'hcp', { resolveOnlyConnectors: new Set(['cms-part-d', 'rx-monthly']) })).newMasters).toBe(0);
  });

  it('attaches a waiting prescriber once a source that may create physicians brings a match', async () => {
    await ingest(db, 'nppes', 'n-quill', physician({ firstName: 'Zed', lastName: 'Quill', npi: '1555555550', city: 'SAN FRANCISCO', zip: '94105' }));
    await resolveMasters(db, rules, 'hcp', { resolveOnlyConnectors: new Set(['cms-part-d', 'rx-monthly']) });
    const { prescribers } = await listUnresolvedPrescribers(db);
    expect(prescribers.map((p) => p.prescriberKey)).not.toContain('npi:1555555550');
  });
});

/** Valid NPIs (Luhn over 80840 + 9 digits), enough for a small population. */
function npiOf(n: number): string {
  const nine = `1${String(n).padStart(8, '0')}`;
  let sum = 24;
  [...nine].reverse().forEach((c, i) => {
    let d = Number(c);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  });
  return `${nine}${(10 - (sum % 10)) % 10}`;
}

describe.each(STORE_KINDS)('physician segments on %s', (kind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  const trx = [40, 20, 10, 10, 8, 6, 3, 2, 1];
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(kind));
    for (const [i] of trx.entries()) {
      const p = physician({ firstName: `Doc${String.fromCharCode(65 + i)}`, lastName: `Segment${String.fromCharCode(65 + i)}`, npi: npiOf(i + 1), zip: `0${2100 + i}`, line1: `${i + 1} ELM ST` });
      if (i === 1) p.consents = [{ channel: 'pdrp', status: 'opted_out' }];
      if (i === 0) p.identifiers.push({ type: 'salesforce_id', value: '001000000000001AAA', status: 'unverified', valid: true });
      await ingest(db, 'veeva-crm', `c${i}`, p);
    }
    await resolveMasters(db, rules, 'hcp');
    const rows = trx.flatMap((t, i) => [
      { sourceId: `rx${i}a`, payload: { i, half: 'a' }, t: t / 2 },
      { sourceId: `rx${i}b`, payload: { i, half: 'b' }, t: t / 2 },
    ]);
    const stored = await storeSourceRecords(db, { connector: 'rx-feed', stream: 'rx' }, rows.map((r) => ({ sourceId: r.sourceId, payload: r.payload })));
    await saveNormalizedRecords(
      db,
      stored.changes.map((c, k) => ({
        sourceRecordId: c.id,
        sourceVersion: c.version,
        mappingChecksum: 't',
        issues: [],
        drafts: [{ kind: 'rx_fact' as const, key: 'rx', data: { prescriber: { npi: npiOf(Math.floor(k / 2) + 1) }, product: { name: 'CARDALIN' }, period: { end: k % 2 === 0 ? '2026-10-30' : '2026-11-06', grain: 'week' as const }, measures: { trx: rows[k]!.t }, suppressed: [] } }],
      })),
    );
    await resolveMasters(db, rules, 'hcp');
  });
  afterAll(async () => dispose?.());

  it('assigns deciles and 80/20 key accounts on a small known distribution', async () => {
    const report = await computeSegments(db, { product: 'CARDALIN' });
    expect(report.products).toEqual([{ product: 'CARDALIN', physicians: 9, trx: 100, keyAccounts: 4, pdrpOptedOut: 1 }]);
    const segments = await listSegments(db, { product: 'CARDALIN' });
    expect(segments.map((s) => [s.trx, s.decile, s.keyAccount])).toEqual([
      [40, 10, true],
      [20, 6, true],
      [10, 4, true],
      [10, 4, true],
      [8, 2, false],
      [6, 2, false],
      [3, 1, false],
      [2, 1, false],
      [1, 1, false],
    ]);
    expect(segments[0]!.share).toBeCloseTo(0.4);
  });

  it('segments a period on its own when asked', async () => {
    await computeSegments(db, { product: 'CARDALIN', periodFrom: '2026-11-01', periodTo: '2026-11-30' });
    const segments = await listSegments(db, { product: 'CARDALIN' });
    expect(segments.map((s) => s.trx)).toEqual([20, 10, 5, 5, 4, 3, 1.5, 1, 0.5]);
    await computeSegments(db, { product: 'CARDALIN' });
  });

  it('keeps a PDRP opt-out in its segment, flagged, and leaves it out of the CRM export', async () => {
    const segments = await listSegments(db, { product: 'CARDALIN' });
    const optedOut = segments.filter((s) => s.pdrpOptedOut);
    expect(optedOut).toHaveLength(1);
    expect(optedOut[0]).toMatchObject({ trx: 20, decile: 6 });
    const csv = formatSegmentsCsv(segments);
    expect(csv.split('\n')[0]).toBe('master_id,salesforce_id,product,decile,key_account');
    expect(csv).not.toContain(optedOut[0]!.masterId);
    expect(csv).toContain(`${segments[0]!.masterId},001000000000001AAA,CARDALIN,10,true`);
    expect(formatSegmentsCsv(segments, { includePdrp: true })).toContain(`${optedOut[0]!.masterId},,CARDALIN,6,true,true`);
    expect((await listSegments(db, { product: 'CARDALIN', excludePdrp: true })).length).toBe(8);
  });

  it('segments a market of several products together', async () => {
    const report = await computeSegments(db, { market: { name: 'cardiology', products: ['CARDALIN', 'OTHER'] } });
    expect(report).toMatchObject({ scope: 'market', products: [{ product: 'cardiology', physicians: 9 }] });
    expect((await listSegments(db, { scope: 'market' })).map((s) => s.decile)).toEqual([10, 6, 4, 4, 2, 2, 1, 1, 1]);
    expect((await listSegments(db, { scope: 'product' })).length).toBe(9);
  });
});

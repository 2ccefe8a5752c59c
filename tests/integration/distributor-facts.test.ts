import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distributorEdiConnector as connector, type EdiStream } from '../../connectors/distributor-edi/connector.js';
import { attachFactsToMasters } from '../../src/pipeline/attach-facts.js';
import { resolveMasters } from '../../src/pipeline/resolve-masters.js';
import { loadMappingCatalog } from '../../src/pipeline/load-mapping-catalog.js';
import { ingestBatch } from '../../src/pipeline/sync-stream.js';
import type { Batch, Checkpoint } from '../../src/sdk/index.js';
import type { Database } from '../../src/store/database.js';
import { EMPTY_COUNTS, type RunCounts } from '../../src/store/sync-run.repository.js';
import { STORE_KINDS, openTestDatabase } from '../helpers/database.js';
import { rules } from '../helpers/masters.js';

const FIXTURES = path.resolve('tests/fixtures/edi');
const catalog = loadMappingCatalog(path.resolve('mappings/sources'));
const logger = pino({ level: 'silent' });

/** Reads one stream of the inbox through the connector and ingests it as a sync would: returns the run's counts. */
async function sync(db: Database, workspace: string, stream: EdiStream, checkpoints: Map<string, Checkpoint | undefined>, config: Record<string, unknown> = {}): Promise<RunCounts> {
  const parsed = connector.configSchema.parse({ folder: 'edi', archive: false, ...config });
  const counts: RunCounts = { ...EMPTY_COUNTS };
  const mapping = catalog.find('distributor-edi', stream)!;
  for await (const batch of connector.read(parsed, { stream, checkpoint: checkpoints.get(stream), batchSize: 1000, logger, signal: new AbortController().signal, workspaceDir: workspace })) {
    await db.transaction((tx) => ingestBatch(tx, mapping, { connector: 'distributor-edi', stream }, batch as Batch, counts));
    checkpoints.set(stream, batch.checkpoint);
  }
  return counts;
}

describe.each(STORE_KINDS)('distributor inventory and chargeback facts on %s', (kind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  let workspace: string;
  const checkpoints = new Map<string, Checkpoint | undefined>();
  const drop = (name: string) => copyFileSync(path.join(FIXTURES, name), path.join(workspace, 'edi', 'inbox', name));

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(kind));
    workspace = mkdtempSync(path.join(os.tmpdir(), 'edi-facts-store-'));
    mkdirSync(path.join(workspace, 'edi', 'inbox'), { recursive: true });
  });
  afterAll(async () => {
    await dispose?.();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('stores 852 inventory and 844 chargeback facts, and the same files again store nothing new', async () => {
    drop('852-inventory.x12');
    drop('844-chargeback.x12');
    drop('867-basic.x12');
    for (const stream of ['customers', 'sales', 'inventory', 'chargebacks'] as const) await sync(db, workspace, stream, checkpoints);

    const inventory = await db.query<Record<string, unknown>>(
      `SELECT distributor_id, location_qualifier, location_id, location_name, ndc11, period_start::text, period_end::text, period_grain,
              on_hand::float8, sold::float8, received::float8, on_order::float8, out_of_stock::float8, unit
         FROM inventory_fact ORDER BY period_end, ndc11, location_id`,
    );
    expect(inventory.rows).toEqual([
      { distributor_id: 'CARDINALHLTH', location_qualifier: '92', location_id: 'DC12', location_name: 'CARDINAL DC 12', ndc11: '00002143380', period_start: '2024-02-01', period_end: '2024-02-29', period_grain: 'month', on_hand: 1500, sold: 320, received: 400, on_order: 200, out_of_stock: 0, unit: 'EA' },
      { distributor_id: 'CARDINALHLTH', location_qualifier: '92', location_id: 'DC12', location_name: 'CARDINAL DC 12', ndc11: '50242004062', period_start: '2024-02-01', period_end: '2024-02-29', period_grain: 'month', on_hand: 80, sold: -3, received: null, on_order: null, out_of_stock: null, unit: 'BX' },
      { distributor_id: 'CARDINALHLTH', location_qualifier: 'XX', location_id: '1003000126', location_name: null, ndc11: '00002143380', period_start: '2024-02-26', period_end: '2024-03-03', period_grain: 'week', on_hand: 4, sold: 7.5, received: null, on_order: null, out_of_stock: null, unit: 'EA' },
      { distributor_id: 'CARDINALHLTH', location_qualifier: 'XX', location_id: '1234567893', location_name: null, ndc11: '00002143380', period_start: '2024-02-26', period_end: '2024-03-03', period_grain: 'week', on_hand: 12, sold: 30, received: null, on_order: null, out_of_stock: null, unit: 'EA' },
    ]);
    const chargebacks = await db.query<Record<string, unknown>>(
      `SELECT distributor_id, claim_number, claim_purpose, contract, customer_stream, customer_source_id, ndc11, upc, quantity::float8,
              contract_price::float8, chargeback_amount::float8, invoice, invoice_date::text
         FROM chargeback_fact ORDER BY claim_number, contract, quantity DESC`,
    );
    expect(chargebacks.rows).toEqual([
      { distributor_id: 'ABCDRUG', claim_number: 'CB-2024-0031', claim_purpose: 'original', contract: '10051480081', customer_stream: 'customers', customer_source_id: 'ABCDRUG:dea=BM1112224|gln=0300123456785', ndc11: '00002143380', upc: null, quantity: 12, contract_price: 80, chargeback_amount: 546, invoice: 'INV-9001', invoice_date: '2024-02-20' },
      { distributor_id: 'ABCDRUG', claim_number: 'CB-2024-0031', claim_purpose: 'original', contract: '10051480081', customer_stream: 'customers', customer_source_id: 'ABCDRUG:dea=BM1112224|gln=0300123456785', ndc11: '60575411201', upc: null, quantity: -1, contract_price: 40, chargeback_amount: -25, invoice: 'INV-9002', invoice_date: null },
      { distributor_id: 'ABCDRUG', claim_number: 'CB-2024-0031', claim_purpose: 'original', contract: '20000000001', customer_stream: 'customers', customer_source_id: 'ABCDRUG:340b=340B-MO-1|hin=MERCY0001', ndc11: null, upc: '012345678905', quantity: 3, contract_price: null, chargeback_amount: 30, invoice: null, invoice_date: null },
    ]);
    const sales = await db.query<{ ship_to_stream: string; ship_to_source_id: string }>('SELECT ship_to_stream, ship_to_source_id FROM sales_fact ORDER BY line_number');
    expect(sales.rows[0]).toEqual({ ship_to_stream: 'customers', ship_to_source_id: 'CARDINALHLTH:340b=340B-OH-0042|dea=BC2345672|hin=A1B2C3D00' });

    // The same files again, as a fresh store's checkpoint would read them: every record unchanged, no fact rewritten.
    const before = await factVersions(db);
    for (const stream of ['customers', 'sales', 'inventory', 'chargebacks'] as const) {
      const counts = await sync(db, workspace, stream, new Map());
      expect(counts.new + counts.changed + counts.deleted, stream).toBe(0);
      expect(counts.unchanged, stream).toBeGreaterThan(0);
    }
    expect(await factVersions(db)).toEqual(before);
  });

  it('points sales and chargeback facts at the organization master of their customer record, and leaves them alone once they do', async () => {
    await createMaster(db, 'hco_city', [['dea', 'BC2345672']]);
    await createMaster(db, 'hco_riverside', [['dea', 'BM1112224']]);
    await link(db, 'CARDINALHLTH:340b=340B-OH-0042|dea=BC2345672|hin=A1B2C3D00', 'hco_city');
    await link(db, 'ABCDRUG:dea=BM1112224|gln=0300123456785', 'hco_riverside');
    // Mercy has no linked record yet, but its HIN names one master; a second master with the same 340B id makes that id ambiguous.
    await createMaster(db, 'hco_mercy', [['hin', 'MERCY0001'], ['340b', '340B-MO-1']]);
    await createMaster(db, 'hco_other', [['340b', '340B-MO-1']]);
    // The ship-to that only has a DEA: its record is not linked and no master holds its DEA.

    await db.transaction((tx) => attachFactsToMasters(tx, 'hco'));
    expect(await salesMasters(db)).toEqual([
      ['CARDINALHLTH:340b=340B-OH-0042|dea=BC2345672|hin=A1B2C3D00', 'hco_city'],
      ['CARDINALHLTH:340b=340B-OH-0042|dea=BC2345672|hin=A1B2C3D00', 'hco_city'],
      ['CARDINALHLTH:dea=AS9182736', null],
    ]);
    expect(await chargebackMasters(db)).toEqual([
      ['ABCDRUG:340b=340B-MO-1|hin=MERCY0001', 'hco_mercy'],
      ['ABCDRUG:dea=BM1112224|gln=0300123456785', 'hco_riverside'],
      ['ABCDRUG:dea=BM1112224|gln=0300123456785', 'hco_riverside'],
    ]);

    // A second run rewrites no row: only facts whose master is missing or different are updated.
    const before = await factVersions(db);
    await db.transaction((tx) => attachFactsToMasters(tx, 'hco'));
    expect(await factVersions(db)).toEqual(before);

    // Resolving physicians touches only Rx facts.
    await db.transaction((tx) => attachFactsToMasters(tx, 'hcp'));
    expect(await factVersions(db)).toEqual(before);
  });

  it('follows a merge: facts linked through the crosswalk and by identifier move to the surviving master', async () => {
    // Mercy's record arrives and is linked, then a steward merges hco_mercy into hco_riverside.
    await link(db, 'ABCDRUG:340b=340B-MO-1|hin=MERCY0001', 'hco_mercy');
    await db.query(`UPDATE crosswalk SET master_id = 'hco_riverside' WHERE master_id = 'hco_mercy'`);
    await db.query(`UPDATE master_entity SET status = 'retired', replaced_by = 'hco_riverside' WHERE id = 'hco_mercy'`);
    await db.query(`DELETE FROM master_identifier WHERE master_id = 'hco_mercy'`);
    // The DEA-only ship-to's master appears through its DEA.
    await createMaster(db, 'hco_as', [['dea', 'AS9182736']]);
    await db.transaction((tx) => attachFactsToMasters(tx, 'hco'));
    expect((await chargebackMasters(db)).map(([, m]) => m)).toEqual(['hco_riverside', 'hco_riverside', 'hco_riverside']);
    expect((await salesMasters(db)).at(-1)).toEqual(['CARDINALHLTH:dea=AS9182736', 'hco_as']);
  });

  it('makes a replacing claim supersede the earlier one in the store: the lines it no longer has leave no fact behind', async () => {
    drop('844-replace.x12');
    const counts = await sync(db, workspace, 'chargebacks', checkpoints, { wacAmountQualifier: 'WA' });
    expect(counts).toMatchObject({ changed: 1, deleted: 2 });
    const { rows } = await db.query<Record<string, unknown>>(
      `SELECT f.claim_purpose, f.quantity::float8, f.wac::float8, f.chargeback_amount::float8, f.credit_memo, f.customer_master_id
         FROM chargeback_fact f JOIN source_record s ON s.id = f.source_record_id AND NOT s.deleted`,
    );
    expect(rows).toEqual([{ claim_purpose: 'replace', quantity: 10, wac: 125.5, chargeback_amount: 455, credit_memo: 'CM-7731', customer_master_id: null }]);
    await db.transaction((tx) => attachFactsToMasters(tx, 'hco'));
    expect((await db.query('SELECT customer_master_id FROM chargeback_fact')).rows).toEqual([{ customer_master_id: 'hco_riverside' }]);
  });
});

describe('customer facts after master resolution', () => {
  it('fills ship_to_master_id and customer_master_id with the master of the customer record when organizations resolve', async () => {
    const { db, dispose } = await openTestDatabase('pglite');
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'edi-facts-resolve-'));
    try {
      mkdirSync(path.join(workspace, 'edi', 'inbox'), { recursive: true });
      for (const f of ['867-basic.x12', '844-chargeback.x12']) copyFileSync(path.join(FIXTURES, f), path.join(workspace, 'edi', 'inbox', f));
      const checkpoints = new Map<string, Checkpoint | undefined>();
      for (const stream of ['customers', 'sales', 'chargebacks'] as const) await sync(db, workspace, stream, checkpoints);
      await resolveMasters(db, rules, 'hco');

      const { rows } = await db.query<{ kind: string; source_id: string; fact_master: string | null; record_master: string | null }>(
        `SELECT 'sale' AS kind, f.ship_to_source_id AS source_id, f.ship_to_master_id AS fact_master, c.master_id AS record_master
           FROM sales_fact f
           LEFT JOIN source_record s ON s.connector = f.connector AND s.stream = 'customers' AND s.source_id = f.ship_to_source_id
           LEFT JOIN crosswalk c ON c.source_record_id = s.id
         UNION ALL
         SELECT 'chargeback', f.customer_source_id, f.customer_master_id, c.master_id
           FROM chargeback_fact f
           LEFT JOIN source_record s ON s.connector = f.connector AND s.stream = 'customers' AND s.source_id = f.customer_source_id
           LEFT JOIN crosswalk c ON c.source_record_id = s.id`,
      );
      expect(rows).toHaveLength(6);
      for (const r of rows) {
        expect(r.record_master, r.source_id).toMatch(/^hco_/);
        expect(r.fact_master, r.source_id).toBe(r.record_master);
      }
    } finally {
      await dispose();
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

async function createMaster(db: Database, id: string, identifiers: Array<[string, string]>): Promise<void> {
  await db.query(`INSERT INTO master_entity (id, entity_type) VALUES ($1, 'hco')`, [id]);
  for (const [type, value] of identifiers) await db.query('INSERT INTO master_identifier (master_id, type, value) VALUES ($1, $2, $3)', [id, type, value]);
}

async function link(db: Database, customerSourceId: string, masterId: string): Promise<void> {
  await db.query(
    `INSERT INTO crosswalk (source_record_id, draft_key, master_id, linked_by, reason)
     SELECT id, 'hco', $2, 'test', 'test' FROM source_record WHERE connector = 'distributor-edi' AND stream = 'customers' AND source_id = $1`,
    [customerSourceId, masterId],
  );
}

async function salesMasters(db: Database): Promise<Array<[string, string | null]>> {
  const { rows } = await db.query<{ s: string; m: string | null }>('SELECT ship_to_source_id AS s, ship_to_master_id AS m FROM sales_fact ORDER BY line_number');
  return rows.map((r) => [r.s, r.m]);
}

async function chargebackMasters(db: Database): Promise<Array<[string, string | null]>> {
  const { rows } = await db.query<{ s: string; m: string | null }>('SELECT customer_source_id AS s, customer_master_id AS m FROM chargeback_fact ORDER BY customer_source_id, quantity DESC');
  return rows.map((r) => [r.s, r.m]);
}

/** Row versions (xmin) of every fact: unchanged when no statement wrote the row. */
async function factVersions(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ v: string }>(
    `SELECT 'sales:' || source_record_id || ':' || xmin::text AS v FROM sales_fact
     UNION ALL SELECT 'inventory:' || source_record_id || ':' || xmin::text FROM inventory_fact
     UNION ALL SELECT 'chargeback:' || source_record_id || ':' || xmin::text FROM chargeback_fact ORDER BY 1`,
  );
  return rows.map((r) => r.v);
}

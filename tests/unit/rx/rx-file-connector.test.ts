import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rxFileConnector } from '../../../connectors/rx-file/connector.js';
import type { RxFact } from '../../../src/model/index.js';
import { FIXED_COLUMNS, mapping, payloads, readAll, rejections, workspaceWith } from './helpers.js';

const CMS_2022 = 'rx/MUP_DPR_RY24_P04_V10_DY22_NPIBN.csv';
const CMS_2017 = 'rx/PartD_Prescriber_PUF_NPI_Drug_2017.txt';
const cms = mapping('cms-part-d.prescriber-drug.yaml');
const monthly = mapping('rx-monthly.rx.yaml');

const facts = (rows: Record<string, unknown>[], key = 'rx') =>
  rows.flatMap((row) => cms.apply(row).drafts.filter((d) => d.kind === 'rx_fact' && d.key === key).map((d) => d.data as RxFact));

const fixedConfig = { path: 'rx-monthly.fixed.txt', layout: 'fixed-width', encoding: 'latin1', skipPattern: '^(HDR|TRL)', period: { grain: 'month' }, columns: FIXED_COLUMNS };

describe('the rx-file connector with the CMS Part D preset', () => {
  it('reads the 2020+ CSV with the data year taken from the CMS file name', async () => {
    const dir = workspaceWith([CMS_2022]);
    const rows = payloads(await readAll(rxFileConnector, dir, { path: path.basename(CMS_2022), layout: 'cms-part-d' }));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ Prscrbr_NPI: '1234567893', Brnd_Name: 'Eliquis', _dataYear: 2022 });
    expect(cms.apply(rows[0]!).sourceId).toBe('1234567893:Eliquis:Apixaban:2022');
  });

  it('keeps quoted generic names with commas in one field', async () => {
    const dir = workspaceWith([CMS_2022]);
    const rows = payloads(await readAll(rxFileConnector, dir, { path: path.basename(CMS_2022), layout: 'cms-part-d' }));
    expect(rows[1]!.Gnrc_Name).toBe('Lisinopril/Hydrochlorothiazide, Combination');
    expect(facts(rows)[1]!.product).toEqual({ name: 'Lisinopril-Hydrochlorothiazide', market: 'Lisinopril/Hydrochlorothiazide, Combination' });
    expect(facts(rows)[3]!.measures).toMatchObject({ claims: 1204, dollars: 1012400.55 });
  });

  it('keeps fractional 30-day fills as fractions', async () => {
    const dir = workspaceWith([CMS_2022]);
    const all = facts(payloads(await readAll(rxFileConnector, dir, { path: path.basename(CMS_2022), layout: 'cms-part-d' })));
    expect(all.map((f) => f.measures.fills30Day)).toEqual([160.5, 51.7, 14, 1830.25]);
    // Tot_Day_Suply is the days-supply measure (thousands separators read); GE65_Tot_Day_Suply that of the 65+ fact.
    expect(all.map((f) => f.measures.daysSupply)).toEqual([4815, 1551, 140, 54912]);
    expect(facts(payloads(await readAll(rxFileConnector, dir, { path: path.basename(CMS_2022), layout: 'cms-part-d' })), 'ge65')[0]!.measures.daysSupply).toBe(4206);
    expect(all[0]!.period).toEqual({ start: '2022-01-01', end: '2022-12-31', grain: 'year' });
  });

  it('keeps suppressed values as suppressed, never as zero', async () => {
    const dir = workspaceWith([CMS_2022]);
    const rows = payloads(await readAll(rxFileConnector, dir, { path: path.basename(CMS_2022), layout: 'cms-part-d' }));
    const all = facts(rows);
    // Tot_Benes blank: fewer than 11 beneficiaries.
    expect(all[1]!.measures.beneficiaries).toBeNull();
    expect(all[1]!.suppressed).toEqual(['beneficiaries']);
    expect(all[0]!.suppressed).toEqual([]);
    const ge65 = facts(rows, 'ge65');
    // `*` and `#` in GE65_Sprsn_Flag with the metrics blank.
    const starred = ge65.find((f) => f.product.name === 'Lisinopril-Hydrochlorothiazide')!;
    expect(starred.measures).toEqual({ claims: null, fills30Day: null, dollars: null, daysSupply: null, beneficiaries: null });
    expect(starred.suppressed.sort()).toEqual(['beneficiaries', 'claims', 'daysSupply', 'dollars', 'fills30Day']);
    const hashed = ge65.find((f) => f.product.name === 'Amoxicillin-Clavulanate Potass')!;
    expect(hashed.suppressed).toHaveLength(5);
    expect(Object.values(hashed.measures)).not.toContain(0);
    // Only the all-beneficiaries fact carries TRx, so volumes never count the 65+ subset twice.
    expect(ge65.every((f) => f.measures.trx === undefined)).toBe(true);
  });

  it('reads the old tab-delimited layout (2013-2019 names) with the same mapping', async () => {
    const dir = workspaceWith([CMS_2017]);
    const rows = payloads(await readAll(rxFileConnector, dir, { path: path.basename(CMS_2017), layout: 'cms-part-d' }));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ Prscrbr_NPI: '1003000126', Brnd_Name: 'LISINOPRIL', Gnrc_Name: 'LISINOPRIL, PLAIN', Tot_Clms: '19', _dataYear: 2017 });
    const all = facts(rows);
    expect(all[0]!.measures).toMatchObject({ trx: 101, fills30Day: 144.3, dollars: 70211.18, beneficiaries: 28 });
    expect(all[1]!.suppressed).toEqual(['beneficiaries']);
    const ge65 = facts(rows, 'ge65');
    expect(ge65[1]!.suppressed.sort()).toEqual(['beneficiaries', 'claims', 'daysSupply', 'dollars', 'fills30Day']);
  });

  it('refuses a file that is not a Part D prescriber x drug file, saying what it saw', async () => {
    const dir = workspaceWith([], { 'other_2022.csv': 'NPI,Name\n1234567893,X\n' });
    await expect(readAll(rxFileConnector, dir, { path: 'other_2022.csv', layout: 'cms-part-d' })).rejects.toThrow(/lacks Brnd_Name, Gnrc_Name, Tot_Clms: this is not a CMS/);
  });

  it('asks for the data year when the file name does not carry it', async () => {
    const dir = workspaceWith([], { 'partd.csv': 'Prscrbr_NPI,Brnd_Name,Gnrc_Name,Tot_Clms\n1234567893,A,B,12\n' });
    await expect(readAll(rxFileConnector, dir, { path: 'partd.csv', layout: 'cms-part-d' })).rejects.toThrow(/dataYear/);
    const rows = payloads(await readAll(rxFileConnector, dir, { path: 'partd.csv', layout: 'cms-part-d', dataYear: 2023 }));
    expect(rows[0]!._dataYear).toBe(2023);
  });

  it('resumes an interrupted read at the byte offset of the last stored batch', async () => {
    const dir = workspaceWith([CMS_2022]);
    const config = { path: path.basename(CMS_2022), layout: 'cms-part-d' };
    const first = await readAll(rxFileConnector, dir, config, { batchSize: 1, stopAfter: 2 });
    const rest = await readAll(rxFileConnector, dir, config, { batchSize: 1, checkpoint: first.at(-1)!.checkpoint });
    expect([...payloads(first), ...payloads(rest)].map((r) => `${r.Prscrbr_NPI}:${r.Brnd_Name}`)).toEqual([
      '1234567893:Eliquis',
      '1234567893:Lisinopril-Hydrochlorothiazide',
      '1003000126:Amoxicillin-Clavulanate Potass',
      '1555555550:Eliquis',
    ]);
  });
});

describe('the rx-file connector with a configured layout', () => {
  it('reads a fixed-width layout by byte positions with types, implied decimals and header/trailer records skipped', async () => {
    const dir = workspaceWith(['rx/rx-monthly.fixed.txt']);
    const batches = await readAll(rxFileConnector, dir, fixedConfig);
    const rows = payloads(batches);
    expect(rejections(batches)).toEqual([]);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ PRESCRIBER_ID: 'V000000001', ME_NUMBER: '04701234567', NPI: '1234567893', LAST_NAME: 'HARRINGTON', PRODUCT: 'CARDALIN 10MG TAB', PERIOD_END: '2026-10-31', TRX: 42, NRX: 11, UNITS: 1260, DOLLARS: 35910, _periodGrain: 'month' });
    expect(rows[1]).toMatchObject({ LAST_NAME: 'MÜLLER', FIRST_NAME: 'ANNA', DOLLARS: 5985 });
    expect(rows[1]!.NPI).toBeUndefined();
    const mapped = monthly.apply(rows[0]!);
    expect(mapped.sourceId).toBe('V000000001:CARDALIN 10MG TAB:2026-10-31');
    const fact = mapped.drafts.find((d) => d.kind === 'rx_fact')!.data as RxFact;
    expect(fact).toMatchObject({ prescriber: { vendorId: 'V000000001', me: '04701234567', npi: '1234567893' }, period: { end: '2026-10-31', grain: 'month' }, measures: { trx: 42, nrx: 11, units: 1260, dollars: 35910 } });
  });

  it('resumes a fixed-width file at the byte offset of the last stored batch', async () => {
    const dir = workspaceWith(['rx/rx-monthly.fixed.txt']);
    const first = await readAll(rxFileConnector, dir, fixedConfig, { batchSize: 1, stopAfter: 3 });
    const rest = await readAll(rxFileConnector, dir, fixedConfig, { batchSize: 1, checkpoint: first.at(-1)!.checkpoint });
    const ids = [...payloads(first), ...payloads(rest)].map((r) => `${r.PRESCRIBER_ID}:${r.PERIOD_END}:${r._line}`);
    expect(ids).toEqual(['V000000001:2026-10-31:2', 'V000000002:2026-10-31:3', 'V000000003:2026-10-31:4', 'V000000001:2026-11-30:5']);
  });

  it('rejects an overlong fixed-width line with its line number and reads on', async () => {
    const dir = workspaceWith([], { 'f.txt': `${'A'.repeat(300)}\n${'B'.repeat(1000)}\nCCCC\n` });
    const batches = await readAll(rxFileConnector, dir, { path: 'f.txt', layout: 'fixed-width', maxLineLength: 500, columns: [{ name: 'X', start: 1, length: 4 }] });
    expect(payloads(batches).map((r) => r.X)).toEqual(['AAAA', 'CCCC']);
    expect(rejections(batches)).toEqual([expect.objectContaining({ reasonCode: 'rx.line_too_long', reason: expect.stringContaining('Line 2') })]);
  });

  it('reads a headerless delimited weekly layout whose columns and types are configuration', async () => {
    const dir = workspaceWith(['rx/rx-weekly.headerless.csv']);
    const config = {
      path: 'rx-weekly.headerless.csv',
      layout: 'delimited',
      delimiter: ';',
      header: false,
      period: { grain: 'week' },
      columns: [
        { name: 'PRESCRIBER_ID' },
        { name: 'ME_NUMBER' },
        { name: 'NPI' },
        { name: 'LAST_NAME' },
        { name: 'FIRST_NAME' },
        { name: 'PRODUCT' },
        { name: 'PERIOD_END', type: 'date', format: 'YYYYMMDD' },
        { name: 'TRX', type: 'integer' },
        { name: 'NRX', type: 'integer' },
        { name: 'UNITS', type: 'number' },
        { name: 'DOLLARS', type: 'number' },
      ],
    };
    const rows = payloads(await readAll(rxFileConnector, dir, config));
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({ PRESCRIBER_ID: 'P-1002', NPI: '1444444446', PERIOD_END: '2026-10-30', TRX: 3, DOLLARS: 256.5, _periodGrain: 'week' });
    const fact = monthly.apply(rows[2]!).drafts.find((d) => d.kind === 'rx_fact')!.data as RxFact;
    expect(fact.period).toEqual({ end: '2026-11-06', grain: 'week' });
  });

  it('refuses a fixed-width layout without positions, naming the column', () => {
    const result = rxFileConnector.configSchema.safeParse({ path: 'x', layout: 'fixed-width', columns: [{ name: 'NPI' }] });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('column NPI needs start');
    expect(rxFileConnector.configSchema.safeParse({ layout: 'cms-part-d' }).success).toBe(false);
  });

  it('reads each file of an inbox folder once, by content, and archives it', async () => {
    const dir = workspaceWith([]);
    mkdirSync(path.join(dir, 'rx', 'inbox'), { recursive: true });
    const content = 'P1;;1234567893;A;B;CARDALIN 10MG TAB;20261030;1;1;30;85.5\n';
    writeFileSync(path.join(dir, 'rx', 'inbox', 'week44.csv'), content);
    const config = { folder: 'rx', layout: 'delimited', delimiter: ';', header: false, columns: ['PRESCRIBER_ID', 'ME_NUMBER', 'NPI', 'LAST_NAME', 'FIRST_NAME', 'PRODUCT', 'PERIOD_END', 'TRX', 'NRX', 'UNITS', 'DOLLARS'].map((name) => ({ name })) };
    const first = await readAll(rxFileConnector, dir, config);
    expect(payloads(first)).toHaveLength(1);
    expect(readdirSync(path.join(dir, 'rx', 'archive'))).toEqual(['week44.csv']);
    // The same content delivered again under another name is not read twice.
    writeFileSync(path.join(dir, 'rx', 'inbox', 'week44-resent.csv'), content);
    const second = await readAll(rxFileConnector, dir, config, { checkpoint: first.at(-1)!.checkpoint });
    expect(payloads(second)).toHaveLength(0);
    expect(readdirSync(path.join(dir, 'rx', 'inbox'))).toEqual([]);
  });

  it('moves an unusable inbox file to error/ with a report and reads the others', async () => {
    const dir = workspaceWith([]);
    mkdirSync(path.join(dir, 'cms', 'inbox'), { recursive: true });
    writeFileSync(path.join(dir, 'cms', 'inbox', 'a_DY21.csv'), 'foo,bar\n1,2\n');
    writeFileSync(path.join(dir, 'cms', 'inbox', 'b_DY21.csv'), 'Prscrbr_NPI,Brnd_Name,Gnrc_Name,Tot_Clms\n1234567893,A,B,12\n');
    const batches = await readAll(rxFileConnector, dir, { folder: 'cms', layout: 'cms-part-d' });
    expect(payloads(batches)).toHaveLength(1);
    expect(rejections(batches)).toEqual([expect.objectContaining({ reasonCode: 'rx.unknown_layout' })]);
    expect(readdirSync(path.join(dir, 'cms', 'error')).sort()).toEqual(['a_DY21.csv', 'a_DY21.csv.report.json']);
  });
});

import { describe, expect, it } from 'vitest';
import type { ChargebackLine, InventoryActivity, Party, SalesLine, TransactionItem } from '../../../src/edi/transactions/index.js';
import { fixture, readAll, SIMPLE_867, x12 } from './helpers.js';

const sales = (items: TransactionItem[]): SalesLine[] => items.flatMap((i) => (i.kind === 'sales-line' ? [i.line] : []));
const customers = (items: TransactionItem[]): Party[] => items.flatMap((i) => (i.kind === 'customer' ? [i.party] : []));
const inventory = (items: TransactionItem[]): InventoryActivity[] => items.flatMap((i) => (i.kind === 'inventory' ? [i.activity] : []));
const chargebacks = (items: TransactionItem[]): ChargebackLine[] => items.flatMap((i) => (i.kind === 'chargeback-line' ? [i.line] : []));

describe('the 867 reader', () => {
  it('reads sales lines with normalized NDC, signed quantity, price, amount, contract, invoice, lot, expiry and period', async () => {
    const lines = sales(await readAll(fixture('867-basic.x12')));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      lineNumber: 1,
      transferType: 'SS',
      quantityQualifier: '32',
      quantity: 10,
      unit: 'EA',
      unitPrice: 125.5,
      amount: 1255,
      contract: '10051480081',
      invoice: 'INV-1001',
      invoiceDate: '2024-02-12',
      lot: 'LOT42A',
      expiry: '2026-01-31',
      period: { start: '2024-02-01', end: '2024-02-29' },
      product: { ndc11: '00002143380' },
      report: { number: 'RPT-2024-02', purpose: 'original', purposeCode: '00', date: '2024-03-01', reportType: 'SS', currency: 'USD' },
    });
    // A return: negative quantity and amount; a hyphenated 5-3-2 NDC (ND) padded to 11 digits; the UPC kept.
    expect(lines[1]).toMatchObject({ quantity: -2, amount: -160, product: { ndc11: '50242004062', upc: '012345678905' } });
    // Contract from REF*CT in the line loop.
    expect(lines[2]).toMatchObject({ quantity: 5, unit: 'BX', contract: 'CONTRACT-77', product: { ndc11: '60575411201' } });
  });

  it('folds the repeated N1*ST loops of one customer into one ship-to with every identifier', async () => {
    const [first, second] = customers(await readAll(fixture('867-basic.x12')));
    expect(first).toMatchObject({ entity: 'ST', name: 'CITY GENERAL HOSPITAL PHARMACY', address: { line1: '1200 MAIN ST', line2: 'SUITE 100', city: 'COLUMBUS', state: 'OH', zip: '43215', country: 'US' } });
    expect(first!.identifiers.map((i) => [i.qualifier, i.type, i.value, i.valid])).toEqual([
      ['11', 'dea', 'BC2345672', true],
      ['21', 'hin', 'A1B2C3D00', true],
      ['PI', '340b', '340B-OH-0042', undefined],
    ]);
    // An N1 with an empty name is a ship-to without a name, not an error.
    expect(second).toMatchObject({ entity: 'ST', identifiers: [{ type: 'dea', value: 'AS9182736' }] });
    expect(second!.name).toBeUndefined();
  });

  it('reads identifiers sent as REF*DH / REF*HI inside the N1 loop and every N103 qualifier', async () => {
    const body = [
      ['BPT', '00', 'R9', '20240301', 'SS'],
      ['PTD', 'SS'],
      ['N1', 'ST', 'ALL IDS', 'XX', '1234567893'],
      ['REF', 'DH', 'AB1234563'],
      ['REF', 'HI', 'h12345678'],
      ['N1', 'ST', 'ALL IDS', 'UL', '0300123456785'],
      ['N1', 'ST', '', '9', '123456789'],
      ['N1', 'ST', '', '91', 'ACCT-1'],
      ['N1', 'ST', '', '92', 'BUYER-1'],
      ['N1', 'ST', '', 'ZZ', 'MUTUAL-1'],
      ['N1', 'ST', '', '11', 'AB1234567'],
      ['QTY', '32', '1', 'EA'],
      ['LIN', '', 'N4', '00002143380'],
    ];
    const [party] = customers(await readAll(x12([body])));
    expect(party!.identifiers.map((i) => `${i.type}:${i.value}:${i.valid ?? '-'}`)).toEqual([
      'npi:1234567893:true',
      'dea:AB1234563:true',
      'hin:H12345678:true',
      'gln:0300123456785:true',
      'duns:123456789:-',
      'seller_assigned:ACCT-1:-',
      'buyer_assigned:BUYER-1:-',
      'mutually_defined:MUTUAL-1:-',
      'dea:AB1234567:false',
    ]);
    expect(party!.identifiers.at(-1)?.invalidReason).toBe('dea.check_digit');
  });

  it('reads the Cencora variant with SII lines, pipe separators and a > component separator', async () => {
    const items = await readAll(fixture('867-cencora-pipe.x12'), [17]);
    const lines = sales(items);
    expect(lines.map((l) => [l.quantityQualifier, l.quantity, l.unit, l.product.ndc11, l.unitPrice, l.amount])).toEqual([
      ['SII', 12, 'EA', '00002143380', 99.95, 1199.4],
      ['SII', -1, 'EA', '00002143380', undefined, -99.95],
    ]);
    expect(customers(items)[0]!.identifiers.map((i) => i.type)).toEqual(['dea', 'gln', 'hin', '340b']);
  });

  it('takes the period from the invoice date when the heading has no DTM 090/091', async () => {
    const body = [['BPT', '05', 'R2', '20240301', 'SS'], ['PTD', 'SS'], ['N1', 'ST', 'X', '11', 'AB1234563'], ['QTY', '32', '2'], ['LIN', '', 'N4', '00002143380'], ['DTM', '003', '20240214']];
    const [line] = sales(await readAll(x12([body])));
    expect(line).toMatchObject({ period: { start: '2024-02-14', end: '2024-02-14' }, report: { purpose: 'replace', purposeCode: '05' } });
  });

  it('reports a non-numeric quantity at its segment and keeps the rest of the set', async () => {
    const items = await readAll(fixture('867-segment-errors.x12'));
    const lines = sales(items);
    expect(lines.map((l) => l.quantity)).toEqual([undefined, 4]);
    // A bare 10-digit NDC is ambiguous: kept as sent, not normalized.
    expect(lines[1]!.product).toMatchObject({ ndcRaw: '5024204062', ndcInvalidReason: 'ndc.ambiguous' });
    const end = items.find((i) => i.kind === 'set-end' && i.result.header.type === '867');
    expect(end?.kind === 'set-end' && end.result.status).toBe('accepted_with_errors');
    expect(end?.kind === 'set-end' && end.result.issues[0]).toMatchObject({ code: 'qty.number', positionInSet: 16, ack: { segmentError: '8', elementError: '6', elementPosition: 2, badValue: 'TEN' } });
  });

  it('rejects an 867 without BPT, and a transaction set it does not read', async () => {
    const items = await readAll(x12([SIMPLE_867.slice(1)]));
    const end = items.find((i) => i.kind === 'set-end');
    expect(end?.kind === 'set-end' && end.result.issues.map((i) => i.code)).toEqual(['bpt.missing']);
    const unsupported = (await readAll(fixture('867-segment-errors.x12'))).filter((i) => i.kind === 'set-end').at(-1);
    expect(unsupported?.kind === 'set-end' && unsupported.result).toMatchObject({ status: 'rejected', issues: [{ code: 'set.unsupported' }] });
  });
});

describe('the 852 reader', () => {
  it('reads ZA activities per item with the XQ period', async () => {
    const acts = inventory(await readAll(fixture('852-inventory.x12')));
    const distributor = acts.filter((a) => a.reportingCode === 'H' && a.periodStart === '2024-02-01');
    expect(distributor.map((a) => [a.itemNumber, a.product.ndc11, a.activity, a.quantity, a.unit])).toEqual([
      [1, '00002143380', 'QA', 1500, 'EA'],
      [1, '00002143380', 'QS', 320, 'EA'],
      [1, '00002143380', 'QP', 200, 'EA'],
      [1, '00002143380', 'QR', 400, 'EA'],
      [1, '00002143380', 'QO', 0, 'EA'],
      [2, '50242004062', 'QA', 80, 'BX'],
      [2, '50242004062', 'QS', -3, 'BX'],
    ]);
    expect(distributor[0]!.periodEnd).toBe('2024-02-29');
    expect(distributor[0]!.parties.map((p) => p.entity)).toEqual(['DS', 'WH']);
  });

  it('reads the pharmacy variant: ZA*OH / ZA*TS with SDQ quantities per NPI location', async () => {
    const acts = inventory(await readAll(fixture('852-inventory.x12'))).filter((a) => a.location);
    expect(acts.map((a) => [a.activity, a.location?.qualifier, a.location?.id, a.quantity, a.unit])).toEqual([
      ['OH', 'XX', '1234567893', 12, 'EA'],
      ['OH', 'XX', '1003000126', 4, 'EA'],
      ['TS', 'XX', '1234567893', 30, 'EA'],
      ['TS', 'XX', '1003000126', 7.5, 'EA'],
    ]);
  });
});

describe('the 844 reader', () => {
  it('reads claim lines with contract, customer, product, quantity, price and chargeback amount', async () => {
    const items = await readAll(fixture('844-chargeback.x12'));
    const lines = chargebacks(items);
    expect(lines.map((l) => [l.claim.number, l.contractIndex, l.contract, l.lineId, l.transferType, l.product.ndc11 ?? l.product.upc, l.quantity, l.unitPrice, l.chargebackAmount, l.invoice, l.customer?.name])).toEqual([
      ['CB-2024-0031', 1, '10051480081', '1', 'SS', '00002143380', 12, 80, 546, 'INV-9001', 'RIVERSIDE PHARMACY'],
      ['CB-2024-0031', 1, '10051480081', '2', 'RA', '60575411201', -1, 40, -25, 'INV-9002', 'RIVERSIDE PHARMACY'],
      ['CB-2024-0031', 2, '20000000001', '1', 'SS', '012345678905', 3, undefined, 30, undefined, 'MERCY HOSPITAL'],
    ]);
    expect(lines[0]!.invoiceDate).toBe('2024-02-20');
    expect(lines[0]!.distributor?.name).toBe('AMERISOURCEBERGEN');
    const cust = customers(items);
    expect(cust.map((c) => c.identifiers.map((i) => i.type))).toEqual([
      ['dea', 'gln'],
      ['hin', '340b'],
    ]);
  });
});

describe('envelope trailers missing before the next header', () => {
  it('a set without SE is rejected alone: the next set still has its reader and its lines', async () => {
    const items = await readAll(x12([SIMPLE_867, SIMPLE_867]).replace('SE*9*0001~\n', ''), [13]);
    const kinds = items.flatMap((i) => (i.kind === 'set-start' ? [`start ${i.set.controlNumber}`] : i.kind === 'set-end' ? [`end ${i.result.header.controlNumber}`] : []));
    expect(kinds).toEqual(['start 0001', 'end 0001', 'start 0002', 'end 0002']);
    const ends = items.flatMap((i) => (i.kind === 'set-end' ? [i.result] : []));
    expect(ends.map((r) => [r.status, r.issues.map((x) => x.code)])).toEqual([
      ['rejected', ['se.missing']],
      ['accepted', []],
    ]);
    const lines = sales(items);
    expect(lines.map((l) => l.quantity)).toEqual([-3, -3]);
    expect(lines.map((l) => items.indexOf(items.find((i) => i.kind === 'sales-line' && i.line === l)!) > items.findIndex((i) => i.kind === 'set-start' && i.set.controlNumber === '0002'))).toEqual([false, true]);
  });

  it('an interchange without IEA ends before the next one starts, whose sets are read', async () => {
    const first = x12([SIMPLE_867]).replace('IEA*1*000000001~\n', '');
    const second = x12([SIMPLE_867], { control: '000000002' });
    const items = await readAll(first + second);
    const order = items.flatMap((i) => (i.kind === 'interchange-start' ? [`start ${i.interchange.controlNumber}`] : i.kind === 'interchange-end' ? [`end ${i.result.header.controlNumber}`] : []));
    expect(order).toEqual(['start 000000001', 'end 000000001', 'start 000000002', 'end 000000002']);
    expect(sales(items)).toHaveLength(2);
  });
});

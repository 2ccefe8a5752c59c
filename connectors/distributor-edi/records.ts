import type { ChargebackLine, InventoryActivity, Party, PartyIdentifierType, Product, ReportPurpose, SalesLine, TransactionRecord } from '../../src/edi/transactions/index.js';

/**
 * Raw records the connector hands the engine: flat payloads (the mapping engine reads top-level fields), one
 * source id per record. Identifiers appear once per type as flat fields (`dea`, `hin` ...; normalized when they
 * passed their check, as sent when not, so the mapping's transform records why it nulls them) and in full, with
 * qualifiers, under `identifiers` for lineage.
 */

export type Payload = Record<string, unknown>;

/** Flat identifier fields: the first of each type, valid ones preferred. */
const FLAT_IDS: Array<[PartyIdentifierType, string]> = [
  ['dea', 'dea'],
  ['hin', 'hin'],
  ['gln', 'gln'],
  ['340b', 'id340b'],
  ['npi', 'npi'],
  ['duns', 'duns'],
  ['seller_assigned', 'sellerAssignedId'],
  ['buyer_assigned', 'buyerAssignedId'],
  ['mutually_defined', 'mutuallyDefinedId'],
];

export function partyFields(party: Party | undefined, prefix: string): Payload {
  const out: Payload = {};
  if (!party) return out;
  const key = (name: string): string => (prefix ? `${prefix}${name[0]?.toUpperCase()}${name.slice(1)}` : name);
  if (party.name) out[key('name')] = party.name;
  for (const [type, field] of FLAT_IDS) {
    const ids = party.identifiers.filter((i) => i.type === type);
    const best = ids.find((i) => i.valid !== false) ?? ids[0];
    if (best) out[key(field)] = best.value;
  }
  return out;
}

/** A product's ids as every fact record carries them (its description is each record's own choice). */
function productFields(product: Product): Payload {
  return { ndc11: product.ndc11, ndcRaw: product.ndcRaw, upc: product.upc, gtin: product.gtin, productIds: product.ids };
}

/** The customer's id set, sorted so the same set always gives the same key: `dea=AB1234563|hin=...`. */
export function customerIdSet(party: Party): string {
  const ids = [...new Set(party.identifiers.map((i) => `${i.type === 'other' ? `q${i.qualifier}` : i.type}=${i.value.toUpperCase()}`))].sort();
  if (ids.length > 0) return ids.join('|');
  return `name=${(party.name ?? '').toUpperCase().replace(/\s+/g, ' ')}|zip=${party.address.zip ?? ''}`;
}

export type FileContext = { file: string; hash: string; distributorId: string };

/** The source id of a customer's record in the `customers` stream: facts name it so they follow its master. */
export function customerSourceId(distributorId: string, party: Party): string {
  return `${distributorId}:${customerIdSet(party)}`;
}

function where(record: TransactionRecord, file: FileContext): Payload {
  const { interchange, group, set } = record.context;
  return {
    file: file.file,
    fileHash: file.hash,
    interchangeControl: interchange.controlNumber,
    groupControl: group.controlNumber,
    setControl: set.controlNumber,
    distributorId: file.distributorId,
  };
}

export function customerRecord(record: Extract<TransactionRecord, { kind: 'customer' }>, file: FileContext): { sourceId: string; payload: Payload } {
  const party = record.party;
  const sourceId = customerSourceId(file.distributorId, party);
  const payload: Payload = {
    sourceId,
    entity: party.entity,
    ...partyFields(party, ''),
    otherNames: party.additionalNames.join('; ') || undefined,
    address1: party.address.line1,
    address2: party.address.line2,
    city: party.address.city,
    state: party.address.state,
    zip: party.address.zip,
    country: party.address.country,
    identifiers: party.identifiers,
    transactionType: record.transactionType,
    distributorName: record.distributor?.name,
    ...where(record, file),
  };
  return { sourceId, payload: compact(payload) };
}

export function salesKey(distributorId: string, reportNumber: string, lineNumber: number): string {
  return `${distributorId}:${reportNumber}:${lineNumber}`;
}

/** A period's grain for the canonical model, from its length in days. */
export function periodGrain(start: string | undefined, end: string | undefined): 'week' | 'month' | 'quarter' | 'year' {
  if (!start || !end) return 'month';
  const days = (Date.parse(end) - Date.parse(start)) / 86_400_000 + 1;
  if (!Number.isFinite(days) || days <= 7) return 'week';
  if (days <= 31) return 'month';
  if (days <= 92) return 'quarter';
  return 'year';
}

export function salesRecord(record: Extract<TransactionRecord, { kind: 'sales-line' }>, file: FileContext): { sourceId: string; payload: Payload } {
  const line: SalesLine = record.line;
  const sourceId = salesKey(file.distributorId, line.report.number, line.lineNumber);
  const payload: Payload = {
    sourceId,
    reportNumber: line.report.number,
    reportPurpose: line.report.purpose === 'replace' ? 'replace' : 'original',
    reportPurposeCode: line.report.purposeCode,
    reportDate: line.report.date,
    reportType: line.report.reportType,
    currency: line.report.currency,
    lineNumber: line.lineNumber,
    transferType: line.transferType || undefined,
    ...partyFields(line.shipTo, 'shipTo'),
    // Only N1*ST parties become customer records (a PTD's lone party of another kind does not).
    shipToSourceId: line.shipTo?.entity === 'ST' ? customerSourceId(file.distributorId, line.shipTo) : undefined,
    shipToEntity: line.shipTo?.entity,
    shipToZip: line.shipTo?.address.zip,
    ...partyFields(line.distributor, 'distributor'),
    ...productFields(line.product),
    productDescription: line.product.description,
    quantity: line.quantity,
    quantityQualifier: line.quantityQualifier,
    unit: line.unit,
    unitPrice: line.unitPrice,
    amount: line.amount,
    chargebackAmount: line.chargebackAmount,
    contract: line.contract,
    invoice: line.invoice,
    invoiceDate: line.invoiceDate,
    lot: line.lot,
    expiry: line.expiry,
    periodStart: line.period.start,
    periodEnd: line.period.end ?? line.period.start,
    periodGrain: periodGrain(line.period.start, line.period.end),
    segment: line.position.segment,
    ...where(record, file),
  };
  return { sourceId, payload: compact(payload) };
}

/** ZA01 activity codes and the quantity each one fills. */
const ACTIVITY_QUANTITIES: Record<string, 'onHand' | 'sold' | 'received' | 'onOrder' | 'outOfStock'> = {
  QA: 'onHand',
  QS: 'sold',
  QP: 'onOrder',
  QR: 'received',
  QO: 'outOfStock',
  OH: 'onHand',
  TS: 'sold',
};

const DISTRIBUTOR_ENTITIES = ['DS', 'DB', 'SU'];
/** Heading parties that are the reporting location itself: a warehouse, a reporting location. */
const LOCATION_ENTITIES = ['WH', 'RL'];

type InventoryRecord = Extract<TransactionRecord, { kind: 'inventory' }>;

/** The heading party that reports (the distributor), and the location a ZA without SDQ locations is about. */
function inventoryParties(parties: Party[]): { reporter?: Party; location?: Party } {
  const reporter = parties.find((p) => DISTRIBUTOR_ENTITIES.includes(p.entity)) ?? parties[0];
  const location = parties.find((p) => LOCATION_ENTITIES.includes(p.entity));
  return { ...(reporter ? { reporter } : {}), ...(location ? { location } : {}) };
}

/** The product part of an inventory source id: the NDC-11, else UPC, GTIN or the ids as sent. */
function productKey(product: InventoryActivity['product']): string {
  return product.ndc11 ?? product.upc ?? product.gtin ?? product.ids.map((i) => `${i.qualifier}=${i.value}`).join('+');
}

/**
 * The ZA activities of one LIN loop (one product) become one record per location: what it had on hand, sold,
 * received, had on order and was out of stock of over the reporting period. A pharmacy-style 852 gives the
 * locations in SDQ (one record each); otherwise the location is the heading's warehouse (N1*WH or RL), if any.
 * When a code repeats for one location, the first quantity counts and every activity stays in `activities`.
 */
export function inventoryRecords(records: InventoryRecord[], file: FileContext): Array<{ sourceId: string; payload: Payload }> {
  const first = records[0];
  if (!first) return [];
  const byLocation = new Map<string, InventoryRecord[]>();
  for (const r of records) {
    const key = r.activity.location ? `${r.activity.location.qualifier}=${r.activity.location.id}` : '';
    const list = byLocation.get(key) ?? [];
    list.push(r);
    byLocation.set(key, list);
  }
  const a = first.activity;
  const { reporter, location: warehouse } = inventoryParties(a.parties);
  const warehouseId = warehouse?.identifiers[0];
  const out: Array<{ sourceId: string; payload: Payload }> = [];
  for (const [key, group] of byLocation) {
    const sdq = group[0]!.activity.location;
    const location = sdq
      ? { qualifier: sdq.qualifier, id: sdq.id, name: undefined as string | undefined }
      : warehouse
        ? { qualifier: warehouseId?.qualifier, id: warehouseId?.value, name: warehouse.name }
        : undefined;
    const locationKey = key || (location?.id ? `${location.qualifier ?? ''}=${location.id}` : '-');
    const sourceId = `${file.distributorId}:${a.periodEnd ?? a.periodStart ?? ''}:${productKey(a.product)}:${locationKey}`;
    const quantities: Payload = {};
    let unit: string | undefined;
    for (const r of group) {
      const field = ACTIVITY_QUANTITIES[r.activity.activity];
      if (field && quantities[field] === undefined && r.activity.quantity !== undefined) quantities[field] = r.activity.quantity;
      unit ??= r.activity.unit;
    }
    const payload: Payload = {
      sourceId,
      reportingCode: a.reportingCode,
      periodStart: a.periodStart,
      periodEnd: a.periodEnd,
      periodGrain: periodGrain(a.periodStart, a.periodEnd),
      itemNumber: a.itemNumber,
      ...productFields(a.product),
      productDescription: a.product.description,
      ...quantities,
      unit,
      activities: group.map((r) => compact({ activity: r.activity.activity, quantity: r.activity.quantity, unit: r.activity.unit, date: r.activity.date })),
      locationQualifier: location?.qualifier,
      locationId: location?.id,
      locationName: location?.name,
      reporterEntity: reporter?.entity,
      ...partyFields(reporter, 'reporter'),
      segment: a.position.segment,
      ...where(first, file),
    };
    out.push({ sourceId, payload: compact(payload) });
  }
  return out;
}

/** BAA01 (and BPT01) purpose codes: `00` original, `05` replace. */
export function purposeOf(code: string): ReportPurpose {
  return code === '00' ? 'original' : code === '05' ? 'replace' : 'other';
}

export function chargebackKey(distributorId: string, claim: string, contractIndex: number, lineNumber: number): string {
  return `${distributorId}:${claim}:${contractIndex}:${lineNumber}`;
}

/** A claim without a BAA05 number (its set is rejected anyway) is keyed by its interchange and set control numbers. */
export function claimNumberOf(record: Extract<TransactionRecord, { kind: 'chargeback-line' }>): string {
  return record.line.claim.number ?? `${record.context.interchange.controlNumber}-${record.context.set.controlNumber}`;
}

export type ChargebackOptions = { wacAmountQualifier?: string | undefined };

/**
 * One claim line. The key is the line's ordinal within its CON loop (not PAD01), so a replacing claim re-sends the
 * same keys and the lines it no longer has can be deleted by count, as for 867 reports.
 */
export function chargebackRecord(record: Extract<TransactionRecord, { kind: 'chargeback-line' }>, file: FileContext, options: ChargebackOptions = {}): { sourceId: string; payload: Payload } {
  const line: ChargebackLine = record.line;
  const sourceId = chargebackKey(file.distributorId, claimNumberOf(record), line.contractIndex, line.lineNumber);
  const references = [...line.references, ...line.claim.references];
  const payload: Payload = {
    sourceId,
    claimNumber: line.claim.number,
    claimPurpose: purposeOf(line.claim.purposeCode),
    claimPurposeCode: line.claim.purposeCode,
    claimTransactionType: line.claim.transactionType,
    claimDate: line.claim.date,
    currency: line.claim.currency,
    contract: line.contract,
    contractIndex: line.contractIndex,
    lineId: line.lineId,
    lineNumber: line.lineNumber,
    transferType: line.transferType,
    ...partyFields(line.customer, 'customer'),
    customerSourceId: line.customer ? customerSourceId(file.distributorId, line.customer) : undefined,
    customerZip: line.customer?.address.zip,
    ...partyFields(line.distributor, 'distributor'),
    ...productFields(line.product),
    quantity: line.quantity,
    unit: line.unit,
    unitPrice: line.unitPrice,
    contractPrice: line.unitPrice,
    wac: options.wacAmountQualifier ? line.amounts.find((a) => a.qualifier === options.wacAmountQualifier)?.amount : undefined,
    chargebackAmount: line.chargebackAmount,
    amounts: line.amounts,
    creditMemo: references.find((r) => r.qualifier === 'CM')?.value,
    invoice: line.invoice,
    invoiceDate: line.invoiceDate,
    lot: line.lot,
    segment: line.position.segment,
    ...where(record, file),
  };
  return { sourceId, payload: compact(payload) };
}

/** Drops undefined fields so payloads (and their content hashes) only hold what the file said. */
function compact(payload: Payload): Payload {
  for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
  return payload;
}

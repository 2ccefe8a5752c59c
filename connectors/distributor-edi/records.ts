import type { ChargebackLine, InventoryActivity, Party, PartyIdentifierType, SalesLine, TransactionRecord } from '../../src/edi/transactions/index.js';

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

/** The customer's id set, sorted so the same set always gives the same key: `dea=AB1234563|hin=...`. */
export function customerIdSet(party: Party): string {
  const ids = [...new Set(party.identifiers.map((i) => `${i.type === 'other' ? `q${i.qualifier}` : i.type}=${i.value.toUpperCase()}`))].sort();
  if (ids.length > 0) return ids.join('|');
  return `name=${(party.name ?? '').toUpperCase().replace(/\s+/g, ' ')}|zip=${party.address.zip ?? ''}`;
}

export type FileContext = { file: string; hash: string; distributorId: string };

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
  const sourceId = `${file.distributorId}:${customerIdSet(party)}`;
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
    shipToEntity: line.shipTo?.entity,
    shipToZip: line.shipTo?.address.zip,
    ...partyFields(line.distributor, 'distributor'),
    ndc11: line.product.ndc11,
    ndcRaw: line.product.ndcRaw,
    upc: line.product.upc,
    gtin: line.product.gtin,
    productDescription: line.product.description,
    productIds: line.product.ids,
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

const ACTIVITY_LABELS: Record<string, string> = {
  QA: 'on_hand',
  QS: 'sold',
  QP: 'on_order',
  QR: 'received',
  QO: 'out_of_stock',
  OH: 'on_hand',
  TS: 'total_sold',
};

export function inventoryRecord(record: Extract<TransactionRecord, { kind: 'inventory' }>, file: FileContext): { sourceId: string; payload: Payload } {
  const a: InventoryActivity = record.activity;
  const product = a.product.ndc11 ?? a.product.upc ?? a.product.gtin ?? a.product.ids.map((i) => `${i.qualifier}=${i.value}`).join('+');
  const location = a.location ? `${a.location.qualifier}=${a.location.id}` : '-';
  const sourceId = `${file.distributorId}:${a.periodEnd ?? a.periodStart ?? ''}:${product}:${a.activity}:${location}`;
  const reporter = a.parties[0];
  const payload: Payload = {
    sourceId,
    reportingCode: a.reportingCode,
    periodStart: a.periodStart,
    periodEnd: a.periodEnd,
    itemNumber: a.itemNumber,
    ndc11: a.product.ndc11,
    ndcRaw: a.product.ndcRaw,
    upc: a.product.upc,
    gtin: a.product.gtin,
    productIds: a.product.ids,
    activity: a.activity,
    activityLabel: ACTIVITY_LABELS[a.activity] ?? 'other',
    quantity: a.quantity,
    unit: a.unit,
    date: a.date,
    locationQualifier: a.location?.qualifier,
    locationId: a.location?.id,
    reporterEntity: reporter?.entity,
    ...partyFields(reporter, 'reporter'),
    segment: a.position.segment,
    ...where(record, file),
  };
  return { sourceId, payload: compact(payload) };
}

export function chargebackRecord(record: Extract<TransactionRecord, { kind: 'chargeback-line' }>, file: FileContext): { sourceId: string; payload: Payload } {
  const line: ChargebackLine = record.line;
  const claim = line.claim.number ?? `${record.context.interchange.controlNumber}-${record.context.set.controlNumber}`;
  const sourceId = `${file.distributorId}:${claim}:${line.contractIndex}:${line.lineId}`;
  const payload: Payload = {
    sourceId,
    claimNumber: line.claim.number,
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
    customerZip: line.customer?.address.zip,
    ...partyFields(line.distributor, 'distributor'),
    ndc11: line.product.ndc11,
    ndcRaw: line.product.ndcRaw,
    upc: line.product.upc,
    gtin: line.product.gtin,
    productIds: line.product.ids,
    quantity: line.quantity,
    unit: line.unit,
    unitPrice: line.unitPrice,
    chargebackAmount: line.chargebackAmount,
    amounts: line.amounts,
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

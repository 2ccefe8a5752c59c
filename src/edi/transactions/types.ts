import type { GroupHeader, InterchangeHeader, SetHeader, X12Position } from '../x12/types.js';

/**
 * Plain typed objects read from 867, 852 and 844 transaction sets. Values are kept as sent, except identifiers
 * (normalized with the model's validators when valid, kept raw and flagged when not) and NDCs (11 digits).
 */

export type PartyIdentifierType =
  | 'dea'
  | 'hin'
  | 'gln'
  | '340b'
  | 'npi'
  | 'duns'
  | 'seller_assigned'
  | 'buyer_assigned'
  | 'mutually_defined'
  | 'other';

export type PartyIdentifier = {
  /** N103 (`11`, `21`, `UL`, `PI`, `XX`, `91`, `92`, `ZZ`, `1`, `9`) or the REF01 (`DH`, `HI`) it came from. */
  qualifier: string;
  type: PartyIdentifierType;
  /** Normalized when `valid`, otherwise as sent (trimmed). */
  value: string;
  source: 'N1' | 'REF';
  /** Passed the model's validator (DEA check digit, HIN format, GLN check digit, NPI Luhn); absent for types without one. */
  valid?: boolean;
  /** Why it failed, e.g. `dea.check_digit`. */
  invalidReason?: string;
};

export type PartyAddress = { line1?: string; line2?: string; city?: string; state?: string; zip?: string; country?: string };

/** An N1 loop: N1, N2, N3, N4, REF, PER. */
export type Party = {
  /** N101: `ST` ship-to, `DS`/`DB` distributor, `MF` manufacturer, `BY` buyer, `SU` supplier, `BG` buying group ... */
  entity: string;
  /** N102; undefined when empty (some wholesalers send `N1*ST**11*...`). */
  name?: string;
  additionalNames: string[];
  identifiers: PartyIdentifier[];
  address: PartyAddress;
  references: Array<{ qualifier: string; value: string }>;
  contacts: Array<{ function: string; name?: string; qualifier?: string; number?: string }>;
  position: X12Position;
};

export type ProductId = { qualifier: string; value: string };

export type Product = {
  /** 11-digit NDC from LIN `N4`/`ND` (or SII), normalized with normalizeNdc. */
  ndc11?: string;
  /** The NDC as sent, when it could not be normalized (a bare 10-digit NDC is ambiguous). */
  ndcRaw?: string;
  ndcInvalidReason?: string;
  upc?: string;
  gtin?: string;
  /** Every product id pair as sent, in order. */
  ids: ProductId[];
  description?: string;
};

export type Amount = { qualifier: string; amount: number };
export type Reference = { qualifier: string; value: string; description?: string };
export type DateRef = { qualifier: string; date: string };

/** Where a record came from in the file. */
export type SetContext = {
  interchange: InterchangeHeader;
  group: GroupHeader;
  set: SetHeader;
};

// ---- 867 ----

export type ReportPurpose = 'original' | 'replace' | 'other';

export type ProductTransferReport = {
  /** BPT02. */
  number: string;
  /** BPT01 `00` original, `05` replace; anything else `other` (kept in `purposeCode`). */
  purpose: ReportPurpose;
  purposeCode: string;
  /** BPT03 as an ISO date. */
  date?: string;
  /** BPT04: `SS`, `PR` ... */
  reportType?: string;
  currency?: string;
  /** DTM 090 / 091. */
  periodStart?: string;
  periodEnd?: string;
  dates: DateRef[];
  references: Reference[];
  /** Heading N1 loops (manufacturer, distributor ...). */
  parties: Party[];
};

export type SalesLine = {
  /** 1-based ordinal of the line in its transaction set: with the report number, the line's key. */
  lineNumber: number;
  report: ProductTransferReport;
  distributor?: Party;
  /** The PTD loop's ship-to (N1*ST), or its only party when none is coded ST. */
  shipTo?: Party;
  /** PTD01: SS sales, SU summary, RA/RB/RC returns ... */
  transferType: string;
  /** QTY01 (`32` sold, `39` shipped) or `SII`. */
  quantityQualifier?: string;
  /** Signed: returns may be negative. */
  quantity?: number;
  unit?: string;
  product: Product;
  unitPrice?: number;
  /** First AMT that is not a chargeback claim (AMT*CC). */
  amount?: number;
  chargebackAmount?: number;
  amounts: Amount[];
  /** PTD04/05 with qualifier CT, or REF*CT at PTD or line level. */
  contract?: string;
  /** REF*IN / IV / DI. */
  invoice?: string;
  /** DTM*003 at line (or PTD) level. */
  invoiceDate?: string;
  /** REF*LT. */
  lot?: string;
  /** DTM*036 (expiration). */
  expiry?: string;
  /** The report period (DTM 090/091), or the invoice date when the heading gives none. */
  period: { start?: string; end?: string };
  references: Reference[];
  dates: DateRef[];
  /** The line's first segment (QTY, LIN or SII). */
  position: X12Position;
};

// ---- 852 ----

export type InventoryActivityCode = 'QA' | 'QS' | 'QP' | 'QR' | 'QO' | 'OH' | 'TS' | string;

export type InventoryActivity = {
  /** XQ01 (H, F, G), XQ02, XQ03. */
  reportingCode?: string;
  periodStart?: string;
  periodEnd?: string;
  /** Heading N1 loops (the reporting distributor, its locations). */
  parties: Party[];
  /** 1-based ordinal of the LIN loop in the set. */
  itemNumber: number;
  product: Product;
  /** ZA01: QA on hand, QS sold, QP on order, QR received, QO out of stock; OH / TS in the pharmacy variant. */
  activity: InventoryActivityCode;
  quantity?: number;
  unit?: string;
  /** ZA05 (with ZA04 its qualifier), when present. */
  date?: string;
  /** SDQ location (qualifier `XX` = NPI in the pharmacy variant); absent for a ZA without SDQ. */
  location?: { qualifier: string; id: string };
  position: X12Position;
};

// ---- 844 ----

export type ChargebackClaim = {
  /** BAA01: 00 original, 05 replace ... */
  purposeCode: string;
  /** BAA02 transaction type. */
  transactionType?: string;
  date?: string;
  /** BAA05 (debit memo / claim number), with BAA04 its qualifier. */
  number?: string;
  numberQualifier?: string;
  currency?: string;
  references: Reference[];
  dates: DateRef[];
  parties: Party[];
};

export type ChargebackLine = {
  claim: ChargebackClaim;
  distributor?: Party;
  /** CON loop ordinal (1-based) and its contract number. */
  contractIndex: number;
  contract?: string;
  customer?: Party;
  /** PAD01, or the line's ordinal in its CON loop when PAD01 is empty. */
  lineId: string;
  lineNumber: number;
  transferType?: string;
  product: Product;
  quantity?: number;
  unit?: string;
  unitPrice?: number;
  amounts: Amount[];
  chargebackAmount?: number;
  invoice?: string;
  invoiceDate?: string;
  lot?: string;
  references: Reference[];
  dates: DateRef[];
  position: X12Position;
};

/** What the transaction readers produce, each with where it came from. */
export type TransactionRecord =
  | { kind: 'customer'; context: SetContext; party: Party; transactionType: '867' | '844'; distributor?: Party }
  | { kind: 'sales-line'; context: SetContext; line: SalesLine }
  | { kind: 'inventory'; context: SetContext; activity: InventoryActivity }
  | { kind: 'chargeback-line'; context: SetContext; line: ChargebackLine }
  | { kind: 'report'; context: SetContext; report: ProductTransferReport; lines: number };

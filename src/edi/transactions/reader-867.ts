import type { X12Segment } from '../x12/types.js';
import { addProductId, addToParty, el, firstComponent, IssueCollector, parseDate, parseNumber, pushParty, readProduct, startParty } from './common.js';
import type { Party, Product, ProductTransferReport, SalesLine, SetContext, TransactionRecord } from './types.js';

export interface TransactionReader {
  segment(segment: X12Segment, positionInSet: number): void;
  /** At SE (or where SE should have been): flushes the open line and loops. */
  end(): void;
  readonly collector: IssueCollector;
}

type PtdLoop = {
  transferType: string;
  contract?: string;
  invoice?: string;
  invoiceDate?: string;
  parties: Party[];
  customersEmitted: boolean;
};

type OpenLine = Omit<SalesLine, 'report' | 'distributor' | 'shipTo' | 'transferType' | 'period' | 'lineNumber'> & { hasQuantity: boolean; hasProduct: boolean };

const DISTRIBUTOR_ENTITIES = ['DS', 'DB', 'SU', 'WH'];

/**
 * 867 Product Transfer and Resale Report, read segment by segment: heading (BPT, CUR, DTM, REF, N1 loops), PTD
 * loops each with their own N1 loops and line loops (QTY, LIN, UIT, AMT, PID, REF, DTM), or the
 * AmerisourceBergen/Cencora variant where an SII segment carries product and quantity. A line is emitted when the
 * next one (or the PTD, CTT, SE) begins, so only the current PTD loop is held in memory however large the set.
 */
export class Reader867 implements TransactionReader {
  readonly collector = new IssueCollector();
  private readonly report: ProductTransferReport = { number: '', purpose: 'other', purposeCode: '', dates: [], references: [], parties: [] };
  private sawBpt = false;
  private area: 'heading' | 'detail' | 'summary' = 'heading';
  private party: Party | undefined;
  private ptd: PtdLoop | undefined;
  private line: OpenLine | undefined;
  private lineCount = 0;
  private distributor: Party | undefined;

  constructor(
    private readonly context: SetContext,
    private readonly emit: (record: TransactionRecord) => void,
  ) {}

  segment(segment: X12Segment, positionInSet: number): void {
    const id = segment.id;
    if (this.party) {
      if (addToParty(this.party, segment)) return;
      this.closeParty();
    }
    switch (id) {
      case 'BPT':
        return this.onBpt(segment, positionInSet);
      case 'CUR':
        if (el(segment, 2)) this.report.currency = el(segment, 2);
        return;
      case 'DTM':
        return this.onDtm(segment, positionInSet);
      case 'REF':
        return this.onRef(segment);
      case 'N1':
        this.finishLine();
        this.party = startParty(segment);
        return;
      case 'PTD':
        this.finishPtd();
        this.area = 'detail';
        this.ptd = { transferType: el(segment, 1), parties: [], customersEmitted: false };
        if (el(segment, 4) === 'CT' && el(segment, 5)) this.ptd.contract = el(segment, 5);
        return;
      case 'QTY':
        return this.onQty(segment, positionInSet);
      case 'LIN':
        return this.onLin(segment);
      case 'SII':
        return this.onSii(segment, positionInSet);
      case 'UIT':
        return this.onUit(segment, positionInSet);
      case 'AMT':
        return this.onAmt(segment, positionInSet);
      case 'PID':
        if (this.line && el(segment, 5)) this.line.product.description ??= el(segment, 5);
        return;
      case 'CTT':
        return this.onCtt(segment, positionInSet);
      default:
        return;
    }
  }

  end(): void {
    this.finishPtd();
    if (!this.sawBpt) {
      this.collector.error('bpt.missing', 'The 867 has no BPT segment: without a report number its lines cannot be keyed.', undefined, undefined, { segmentError: '3', setError: '5' });
    }
    this.emit({ kind: 'report', context: this.context, report: this.report, lines: this.lineCount });
  }

  private onBpt(segment: X12Segment, positionInSet: number): void {
    this.sawBpt = true;
    const purposeCode = el(segment, 1);
    this.report.purposeCode = purposeCode;
    this.report.purpose = purposeCode === '00' ? 'original' : purposeCode === '05' ? 'replace' : 'other';
    this.report.number = el(segment, 2);
    const date = parseDate(el(segment, 3));
    if (date) this.report.date = date;
    if (el(segment, 4)) this.report.reportType = el(segment, 4);
    if (!this.report.number) {
      this.collector.error('bpt.number_missing', 'BPT02 (report number) is empty: the report cannot be keyed or replaced.', segment, positionInSet, { segmentError: '8', elementError: '1', elementPosition: 2, setError: '5' });
    }
    if (purposeCode !== '00' && purposeCode !== '05') {
      this.collector.warn('bpt.purpose', `BPT01 "${purposeCode}" is neither 00 (original) nor 05 (replace): read as an original.`, segment, positionInSet, { segmentError: '8', elementError: '7', elementPosition: 1, badValue: purposeCode });
    }
  }

  private onDtm(segment: X12Segment, positionInSet: number): void {
    const qualifier = el(segment, 1);
    const raw = el(segment, 2);
    const date = parseDate(raw);
    if (!date) {
      this.collector.warn('dtm.date', `DTM*${qualifier} date "${raw}" is not a CCYYMMDD date: ignored.`, segment, positionInSet, { segmentError: '8', elementError: raw ? '8' : '1', elementPosition: 2, badValue: raw });
      return;
    }
    if (this.line) {
      this.line.dates.push({ qualifier, date });
      if (qualifier === '036') this.line.expiry = date;
      return;
    }
    if (this.ptd) {
      if (qualifier === '003') this.ptd.invoiceDate = date;
      return;
    }
    this.report.dates.push({ qualifier, date });
    if (qualifier === '090') this.report.periodStart = date;
    else if (qualifier === '091') this.report.periodEnd = date;
  }

  private onRef(segment: X12Segment): void {
    const qualifier = el(segment, 1);
    const value = el(segment, 2) || el(segment, 3);
    if (!value) return;
    if (this.line) {
      this.line.references.push({ qualifier, value });
      if (qualifier === 'CT') this.line.contract = value;
      else if (qualifier === 'IN' || qualifier === 'IV' || qualifier === 'DI') this.line.invoice ??= value;
      else if (qualifier === 'LT') this.line.lot = value;
      return;
    }
    if (this.ptd) {
      if (qualifier === 'CT') this.ptd.contract ??= value;
      else if (qualifier === 'IN' || qualifier === 'IV' || qualifier === 'DI') this.ptd.invoice ??= value;
      return;
    }
    this.report.references.push({ qualifier, value });
  }

  private onQty(segment: X12Segment, positionInSet: number): void {
    if (!this.line || this.line.hasQuantity) this.startLine(segment);
    const line = this.line as OpenLine;
    line.hasQuantity = true;
    line.quantityQualifier = el(segment, 1);
    const quantity = parseNumber(el(segment, 2));
    if (quantity === undefined) this.collector.badNumber(segment, positionInSet, 2, 'quantity');
    else line.quantity = quantity;
    const unit = firstComponent(el(segment, 3), this.context.interchange.separators.component);
    if (unit) line.unit = unit;
  }

  private onLin(segment: X12Segment): void {
    if (!this.line || this.line.hasProduct) this.startLine(segment);
    const line = this.line as OpenLine;
    line.hasProduct = true;
    const product = readProduct(segment, 2, 10);
    for (const id of product.ids) addProductId(line.product, id.qualifier, id.value);
  }

  /** Cencora/AmerisourceBergen: SII01/02 product id, SII03 quantity, SII04 unit (composite). Always a new line. */
  private onSii(segment: X12Segment, positionInSet: number): void {
    this.startLine(segment);
    const line = this.line as OpenLine;
    line.hasProduct = true;
    line.hasQuantity = true;
    line.quantityQualifier = 'SII';
    addProductId(line.product, el(segment, 1), el(segment, 2));
    const quantity = parseNumber(el(segment, 3));
    if (quantity === undefined) this.collector.badNumber(segment, positionInSet, 3, 'quantity');
    else line.quantity = quantity;
    const unit = firstComponent(el(segment, 4), this.context.interchange.separators.component);
    if (unit) line.unit = unit;
  }

  private onUit(segment: X12Segment, positionInSet: number): void {
    if (!this.line) return;
    const unit = firstComponent(el(segment, 1), this.context.interchange.separators.component);
    if (unit && !this.line.unit) this.line.unit = unit;
    const raw = el(segment, 2);
    if (!raw) return;
    const price = parseNumber(raw);
    if (price === undefined) this.collector.badNumber(segment, positionInSet, 2, 'unit price');
    else this.line.unitPrice = price;
  }

  private onAmt(segment: X12Segment, positionInSet: number): void {
    if (!this.line) return;
    const amount = parseNumber(el(segment, 2));
    if (amount === undefined) {
      this.collector.badNumber(segment, positionInSet, 2, 'amount');
      return;
    }
    const qualifier = el(segment, 1);
    this.line.amounts.push({ qualifier, amount });
    if (qualifier === 'CC') this.line.chargebackAmount = amount;
    else this.line.amount ??= amount;
  }

  private onCtt(segment: X12Segment, positionInSet: number): void {
    this.finishPtd();
    this.area = 'summary';
    const declared = parseNumber(el(segment, 1));
    if (declared !== undefined && declared !== this.lineCount) {
      this.collector.warn('ctt.count_mismatch', `CTT01 says ${declared} line items but ${this.lineCount} were read.`, segment, positionInSet, { segmentError: '8', elementError: '7', elementPosition: 1, badValue: el(segment, 1) });
    }
  }

  private startLine(segment: X12Segment): void {
    this.finishLine();
    if (!this.ptd) {
      // Lines before any PTD: read them under an implicit PTD rather than dropping them.
      this.ptd = { transferType: '', parties: [], customersEmitted: false };
      this.area = 'detail';
    }
    const product: Product = { ids: [] };
    this.line = { product, amounts: [], references: [], dates: [], position: segment.position, hasQuantity: false, hasProduct: false };
  }

  private closeParty(): void {
    const party = this.party;
    if (!party) return;
    this.party = undefined;
    if (this.ptd) pushParty(this.ptd.parties, party);
    else {
      const kept = pushParty(this.report.parties, party);
      if (!this.distributor && DISTRIBUTOR_ENTITIES.includes(kept.entity)) this.distributor = kept;
    }
  }

  private shipTo(): Party | undefined {
    const parties = this.ptd?.parties ?? [];
    return parties.find((p) => p.entity === 'ST') ?? (parties.length === 1 ? parties[0] : undefined);
  }

  private emitCustomers(): void {
    const ptd = this.ptd;
    if (!ptd || ptd.customersEmitted) return;
    ptd.customersEmitted = true;
    for (const party of ptd.parties) {
      if (party.entity !== 'ST') continue;
      this.emit({ kind: 'customer', context: this.context, party, transactionType: '867', ...(this.distributor ? { distributor: this.distributor } : {}) });
    }
  }

  private finishLine(): void {
    const open = this.line;
    if (!open) return;
    this.line = undefined;
    const ptd = this.ptd as PtdLoop;
    this.emitCustomers();
    this.lineCount++;
    // Built field by field: object rest/spread copies are a slow path, and this runs once per line.
    const line: SalesLine = {
      lineNumber: this.lineCount,
      report: this.report,
      transferType: ptd.transferType,
      product: open.product,
      amounts: open.amounts,
      references: open.references,
      dates: open.dates,
      period: {},
      position: open.position,
    };
    if (open.quantityQualifier !== undefined) line.quantityQualifier = open.quantityQualifier;
    if (open.quantity !== undefined) line.quantity = open.quantity;
    if (open.unit !== undefined) line.unit = open.unit;
    if (open.unitPrice !== undefined) line.unitPrice = open.unitPrice;
    if (open.amount !== undefined) line.amount = open.amount;
    if (open.chargebackAmount !== undefined) line.chargebackAmount = open.chargebackAmount;
    if (open.contract !== undefined) line.contract = open.contract;
    if (open.invoice !== undefined) line.invoice = open.invoice;
    if (open.lot !== undefined) line.lot = open.lot;
    if (open.expiry !== undefined) line.expiry = open.expiry;
    const shipTo = this.shipTo();
    if (shipTo) line.shipTo = shipTo;
    if (this.distributor) line.distributor = this.distributor;
    if (!line.contract && ptd.contract) line.contract = ptd.contract;
    if (!line.invoice && ptd.invoice) line.invoice = ptd.invoice;
    const invoiceDate = line.dates.find((d) => d.qualifier === '003')?.date ?? ptd.invoiceDate;
    if (invoiceDate) line.invoiceDate = invoiceDate;
    if (this.report.periodStart || this.report.periodEnd) {
      if (this.report.periodStart) line.period.start = this.report.periodStart;
      if (this.report.periodEnd) line.period.end = this.report.periodEnd;
    } else if (invoiceDate) {
      line.period = { start: invoiceDate, end: invoiceDate };
    }
    this.emit({ kind: 'sales-line', context: this.context, line });
  }

  private finishPtd(): void {
    this.closeParty();
    this.finishLine();
    this.emitCustomers();
    this.ptd = undefined;
  }
}

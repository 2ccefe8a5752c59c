import { SegmentView } from '../x12/segment-reader.js';
import type { X12Position, X12Segment } from '../x12/types.js';
import { addProductId, addToPartyFrom, CODE, IssueCollector, pushParty, startPartyFrom } from './common.js';
import type { Amount, DateRef, Party, Product, ProductId, ProductTransferReport, Reference, SalesLine, SetContext, TransactionRecord } from './types.js';

export interface TransactionReader {
  segment(segment: X12Segment, positionInSet: number): void;
  /** At SE (or where SE should have been): flushes the open line and loops. */
  end(): void;
  readonly collector: IssueCollector;
}

/** A PTD loop being read; every field present from the start, so the object keeps one shape. */
class PtdLoop {
  contract: string | undefined = undefined;
  invoice: string | undefined = undefined;
  invoiceDate: string | undefined = undefined;
  readonly parties: Party[] = [];
  customersEmitted = false;
  /** `Reader867.shipTo()` for `parties` as they are, once worked out (the parties change only when an N1 loop closes). */
  shipTo: Party | undefined = undefined;
  shipToKnown = false;

  constructor(readonly transferType: string) {}
}

/**
 * The product ids of a line that has none yet. `addProductId` replaces an empty list with a new one-element array
 * and never adds to it, and `finishLine` gives a line without ids its own empty array, so it is never shared.
 */
const NO_IDS: ProductId[] = [];

type CustomerRecord = Extract<TransactionRecord, { kind: 'customer' }>;

/**
 * A line being read, with every field present from the start (one object shape, no growth as segments fill it).
 * A new one per line (keeping one and resetting it measured no faster). Lists stay undefined until their first entry,
 * then are one-element arrays (most stay at one).
 */
class OpenLine {
  quantityQualifier: string | undefined = undefined;
  quantity: number | undefined = undefined;
  unit: string | undefined = undefined;
  unitPrice: number | undefined = undefined;
  amount: number | undefined = undefined;
  chargebackAmount: number | undefined = undefined;
  contract: string | undefined = undefined;
  invoice: string | undefined = undefined;
  lot: string | undefined = undefined;
  expiry: string | undefined = undefined;
  amounts: Amount[] | undefined = undefined;
  references: Reference[] | undefined = undefined;
  dates: DateRef[] | undefined = undefined;
  hasQuantity = false;
  hasProduct = false;
  product: Product = { ids: NO_IDS };

  constructor(public position: X12Position) {}
}

/**
 * Makes the sales lines: plain objects (their prototype is `Object.prototype`, as for a literal), built by a
 * constructor so that V8 reserves room in the object for the optional fields added afterwards instead of growing a
 * separate property store two or three times per line.
 */
const PlainSalesLine = function PlainSalesLine(
  this: SalesLine,
  lineNumber: number,
  report: ProductTransferReport,
  transferType: string,
  product: Product,
  amounts: Amount[],
  references: Reference[],
  dates: DateRef[],
  period: SalesLine['period'],
  position: X12Position,
): void {
  this.lineNumber = lineNumber;
  this.report = report;
  this.transferType = transferType;
  this.product = product;
  this.amounts = amounts;
  this.references = references;
  this.dates = dates;
  this.period = period;
  this.position = position;
} as unknown as new (lineNumber: number, report: ProductTransferReport, transferType: string, product: Product, amounts: Amount[], references: Reference[], dates: DateRef[], period: SalesLine['period'], position: X12Position) => SalesLine;
PlainSalesLine.prototype = Object.prototype;

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
  /** `reportPeriod()`'s object. */
  private period: SalesLine['period'] | undefined;
  private readonly component: string;
  /** For `segment`: the same reading over a standalone segment. */
  private view: SegmentView | undefined;

  constructor(
    private readonly context: SetContext,
    private readonly emit: (record: TransactionRecord) => void,
  ) {
    this.component = context.interchange.separators.component;
  }

  segment(segment: X12Segment, positionInSet: number): void {
    const view = (this.view ??= new SegmentView());
    view.setSegment(segment);
    this.visit(view, positionInSet);
  }

  /** `segment` over the tokenizer's view: elements are read from the bytes, only those the 867 needs. */
  visit(segment: SegmentView, positionInSet: number): void {
    const code = segment.code;
    if (this.party) {
      if (addToPartyFrom(this.party, segment)) return;
      this.closeParty();
    }
    switch (code) {
      case CODE.QTY:
        return this.onQty(segment, positionInSet);
      case CODE.LIN:
        return this.onLin(segment);
      case CODE.UIT:
        return this.onUit(segment, positionInSet);
      case CODE.AMT:
        return this.onAmt(segment, positionInSet);
      case CODE.REF:
        return this.onRef(segment);
      case CODE.DTM:
        return this.onDtm(segment, positionInSet);
      case CODE.N1:
        this.finishLine();
        this.party = startPartyFrom(segment);
        return;
      case CODE.PTD:
        this.finishPtd();
        this.area = 'detail';
        this.ptd = new PtdLoop(segment.el(1));
        if (segment.el(4) === 'CT' && segment.el(5)) this.ptd.contract = segment.el(5);
        return;
      case CODE.SII:
        return this.onSii(segment, positionInSet);
      case CODE.PID:
        if (this.line && segment.el(5)) this.line.product.description ??= segment.el(5);
        return;
      case CODE.BPT:
        return this.onBpt(segment, positionInSet);
      case CODE.CUR:
        if (segment.el(2)) this.report.currency = segment.el(2);
        return;
      case CODE.CTT:
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

  private onBpt(segment: SegmentView, positionInSet: number): void {
    this.sawBpt = true;
    const purposeCode = segment.el(1);
    this.report.purposeCode = purposeCode;
    this.report.purpose = purposeCode === '00' ? 'original' : purposeCode === '05' ? 'replace' : 'other';
    this.report.number = segment.el(2);
    const date = segment.date(3);
    if (date) this.report.date = date;
    if (segment.el(4)) this.report.reportType = segment.el(4);
    if (!this.report.number) {
      this.collector.error('bpt.number_missing', 'BPT02 (report number) is empty: the report cannot be keyed or replaced.', segment.toSegment(), positionInSet, { segmentError: '8', elementError: '1', elementPosition: 2, setError: '5' });
    }
    if (purposeCode !== '00' && purposeCode !== '05') {
      this.collector.warn('bpt.purpose', `BPT01 "${purposeCode}" is neither 00 (original) nor 05 (replace): read as an original.`, segment.toSegment(), positionInSet, { segmentError: '8', elementError: '7', elementPosition: 1, badValue: purposeCode });
    }
  }

  private onDtm(segment: SegmentView, positionInSet: number): void {
    const date = segment.date(2);
    if (!date) {
      const qualifier = segment.el(1);
      const raw = segment.el(2);
      this.collector.warn('dtm.date', `DTM*${qualifier} date "${raw}" is not a CCYYMMDD date: ignored.`, segment.toSegment(), positionInSet, { segmentError: '8', elementError: raw ? '8' : '1', elementPosition: 2, badValue: raw });
      return;
    }
    const line = this.line;
    if (line) {
      const qualifier = segment.el(1);
      if (line.dates === undefined) line.dates = [{ qualifier, date }];
      else line.dates.push({ qualifier, date });
      if (qualifier === '036') line.expiry = date;
      return;
    }
    if (this.ptd) {
      if (segment.el(1) === '003') this.ptd.invoiceDate = date;
      return;
    }
    const qualifier = segment.el(1);
    this.report.dates.push({ qualifier, date });
    if (qualifier === '090') this.report.periodStart = date;
    else if (qualifier === '091') this.report.periodEnd = date;
  }

  private onRef(segment: SegmentView): void {
    const value = segment.el(2) || segment.el(3);
    if (!value) return;
    const qualifier = segment.el(1);
    const line = this.line;
    if (line) {
      if (line.references === undefined) line.references = [{ qualifier, value }];
      else line.references.push({ qualifier, value });
      if (qualifier === 'CT') line.contract = value;
      else if (qualifier === 'IN' || qualifier === 'IV' || qualifier === 'DI') line.invoice ??= value;
      else if (qualifier === 'LT') line.lot = value;
      return;
    }
    if (this.ptd) {
      if (qualifier === 'CT') this.ptd.contract ??= value;
      else if (qualifier === 'IN' || qualifier === 'IV' || qualifier === 'DI') this.ptd.invoice ??= value;
      return;
    }
    this.report.references.push({ qualifier, value });
  }

  private onQty(segment: SegmentView, positionInSet: number): void {
    if (!this.line || this.line.hasQuantity) this.startLine(segment);
    const line = this.line as OpenLine;
    line.hasQuantity = true;
    line.quantityQualifier = segment.el(1);
    const quantity = segment.number(2);
    if (quantity === undefined) this.collector.badNumber(segment.toSegment(), positionInSet, 2, 'quantity');
    else line.quantity = quantity;
    const unit = segment.firstComponent(3, this.component);
    if (unit) line.unit = unit;
  }

  private onLin(segment: SegmentView): void {
    if (!this.line || this.line.hasProduct) this.startLine(segment);
    const line = this.line as OpenLine;
    line.hasProduct = true;
    // LIN02/03, LIN04/05 ... up to ten id pairs, each added as readProduct would.
    const last = Math.min(segment.count, 22);
    for (let n = 2; n < last; n += 2) {
      const value = segment.el(n + 1);
      if (value) addProductId(line.product, segment.el(n), value);
    }
  }

  /** Cencora/AmerisourceBergen: SII01/02 product id, SII03 quantity, SII04 unit (composite). Always a new line. */
  private onSii(segment: SegmentView, positionInSet: number): void {
    this.startLine(segment);
    const line = this.line as OpenLine;
    line.hasProduct = true;
    line.hasQuantity = true;
    line.quantityQualifier = 'SII';
    addProductId(line.product, segment.el(1), segment.el(2));
    const quantity = segment.number(3);
    if (quantity === undefined) this.collector.badNumber(segment.toSegment(), positionInSet, 3, 'quantity');
    else line.quantity = quantity;
    const unit = segment.firstComponent(4, this.component);
    if (unit) line.unit = unit;
  }

  private onUit(segment: SegmentView, positionInSet: number): void {
    const line = this.line;
    if (!line) return;
    if (!line.unit) {
      const unit = segment.firstComponent(1, this.component);
      if (unit) line.unit = unit;
    }
    const price = segment.number(2);
    if (price !== undefined) line.unitPrice = price;
    else if (segment.el(2)) this.collector.badNumber(segment.toSegment(), positionInSet, 2, 'unit price');
  }

  private onAmt(segment: SegmentView, positionInSet: number): void {
    const line = this.line;
    if (!line) return;
    const amount = segment.number(2);
    if (amount === undefined) {
      this.collector.badNumber(segment.toSegment(), positionInSet, 2, 'amount');
      return;
    }
    const qualifier = segment.el(1);
    if (line.amounts === undefined) line.amounts = [{ qualifier, amount }];
    else line.amounts.push({ qualifier, amount });
    if (qualifier === 'CC') line.chargebackAmount = amount;
    else line.amount ??= amount;
  }

  private onCtt(segment: SegmentView, positionInSet: number): void {
    this.finishPtd();
    this.area = 'summary';
    const declared = segment.number(1);
    if (declared !== undefined && declared !== this.lineCount) {
      this.collector.warn('ctt.count_mismatch', `CTT01 says ${declared} line items but ${this.lineCount} were read.`, segment.toSegment(), positionInSet, { segmentError: '8', elementError: '7', elementPosition: 1, badValue: segment.el(1) });
    }
  }

  private startLine(segment: SegmentView): void {
    this.finishLine();
    if (!this.ptd) {
      // Lines before any PTD: read them under an implicit PTD rather than dropping them.
      this.ptd = new PtdLoop('');
      this.area = 'detail';
    }
    this.line = new OpenLine(segment.position());
  }

  private closeParty(): void {
    const party = this.party;
    if (!party) return;
    this.party = undefined;
    if (this.ptd) {
      pushParty(this.ptd.parties, party);
      this.ptd.shipToKnown = false;
    } else {
      const kept = pushParty(this.report.parties, party);
      if (!this.distributor && DISTRIBUTOR_ENTITIES.includes(kept.entity)) this.distributor = kept;
    }
  }

  private shipTo(): Party | undefined {
    const ptd = this.ptd;
    if (!ptd) return undefined;
    if (ptd.shipToKnown) return ptd.shipTo;
    const parties = ptd.parties;
    let shipTo: Party | undefined = parties.length === 1 ? parties[0] : undefined;
    for (let i = 0; i < parties.length; i++) {
      if ((parties[i] as Party).entity === 'ST') {
        shipTo = parties[i];
        break;
      }
    }
    ptd.shipTo = shipTo;
    ptd.shipToKnown = true;
    return shipTo;
  }

  private emitCustomers(): void {
    const ptd = this.ptd;
    if (!ptd || ptd.customersEmitted) return;
    ptd.customersEmitted = true;
    const parties = ptd.parties;
    for (let i = 0; i < parties.length; i++) {
      const party = parties[i] as Party;
      if (party.entity !== 'ST') continue;
      const record: CustomerRecord = { kind: 'customer', context: this.context, party, transactionType: '867' };
      if (this.distributor) record.distributor = this.distributor;
      this.emit(record);
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
    const product = open.product;
    if (product.ids === NO_IDS) product.ids = [];
    const dates = open.dates ?? [];
    let invoiceDate = ptd.invoiceDate;
    for (let i = 0; i < dates.length; i++) {
      const d = dates[i] as DateRef;
      if (d.qualifier === '003') {
        invoiceDate = d.date;
        break;
      }
    }
    const period = this.report.periodStart || this.report.periodEnd ? this.reportPeriod() : invoiceDate ? { start: invoiceDate, end: invoiceDate } : {};
    const line = new PlainSalesLine(this.lineCount, this.report, ptd.transferType, product, open.amounts ?? [], open.references ?? [], dates, period, open.position);
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
    if (invoiceDate) line.invoiceDate = invoiceDate;
    this.emit({ kind: 'sales-line', context: this.context, line });
  }

  /**
   * The report's period (DTM 090/091) as a line's period: one object for every line of the report, since the lines of
   * a large report would otherwise each carry a copy. Built again if the heading's dates changed since.
   */
  private reportPeriod(): SalesLine['period'] {
    const { periodStart, periodEnd } = this.report;
    const period = this.period;
    if (period !== undefined && period.start === periodStart && period.end === periodEnd) return period;
    const fresh: SalesLine['period'] = {};
    if (periodStart) fresh.start = periodStart;
    if (periodEnd) fresh.end = periodEnd;
    this.period = fresh;
    return fresh;
  }

  private finishPtd(): void {
    this.closeParty();
    this.finishLine();
    this.emitCustomers();
    this.ptd = undefined;
  }
}

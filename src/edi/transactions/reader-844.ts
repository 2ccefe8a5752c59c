import type { X12Segment } from '../x12/types.js';
import { addProductId, addToParty, el, firstComponent, IssueCollector, parseDate, parseNumber, pushParty, readProduct, startParty } from './common.js';
import type { TransactionReader } from './reader-867.js';
import type { ChargebackClaim, ChargebackLine, Party, SetContext, TransactionRecord } from './types.js';

type ConLoop = { index: number; contract?: string; parties: Party[]; lines: number; customersEmitted: boolean };
type OpenLine = Omit<ChargebackLine, 'claim' | 'distributor' | 'contractIndex' | 'contract' | 'customer' | 'lineNumber'>;

const DISTRIBUTOR_ENTITIES = ['DS', 'DB', 'SU', 'WH'];

/**
 * 844 Product Transfer Account Adjustment (chargeback claim): BAA heading with N1 loops, CON loops (contract) each
 * with the indirect customer's N1 loop and PAD line loops (PAD, LIN, PID, UIT, QTY, AMT, REF, DTM).
 */
export class Reader844 implements TransactionReader {
  readonly collector = new IssueCollector();
  private readonly claim: ChargebackClaim = { purposeCode: '', references: [], dates: [], parties: [] };
  private party: Party | undefined;
  private con: ConLoop | undefined;
  private conCount = 0;
  private line: OpenLine | undefined;
  private distributor: Party | undefined;
  private sawBaa = false;

  constructor(
    private readonly context: SetContext,
    private readonly emit: (record: TransactionRecord) => void,
  ) {}

  segment(segment: X12Segment, positionInSet: number): void {
    if (this.party) {
      if (addToParty(this.party, segment)) return;
      this.closeParty();
    }
    switch (segment.id) {
      case 'BAA': {
        this.sawBaa = true;
        this.claim.purposeCode = el(segment, 1);
        if (el(segment, 2)) this.claim.transactionType = el(segment, 2);
        const date = parseDate(el(segment, 3));
        if (date) this.claim.date = date;
        if (el(segment, 4)) this.claim.numberQualifier = el(segment, 4);
        if (el(segment, 5)) this.claim.number = el(segment, 5);
        return;
      }
      case 'CUR':
        if (el(segment, 2)) this.claim.currency = el(segment, 2);
        return;
      case 'N1':
        this.finishLine();
        this.party = startParty(segment);
        return;
      case 'CON':
        this.finishCon();
        this.con = { index: ++this.conCount, parties: [], lines: 0, customersEmitted: false };
        if (el(segment, 2) || el(segment, 1)) this.con.contract = el(segment, 2) || el(segment, 1);
        return;
      case 'PAD':
        this.finishLine();
        if (!this.con) this.con = { index: ++this.conCount, parties: [], lines: 0, customersEmitted: false };
        this.emitCustomers();
        this.line = { lineId: el(segment, 1), transferType: el(segment, 2) || undefined, product: { ids: [] }, amounts: [], references: [], dates: [], position: segment.position };
        if (!this.line.transferType) delete this.line.transferType;
        return;
      case 'LIN':
        if (this.line) for (const id of readProduct(segment, 2, 10).ids) addProductId(this.line.product, id.qualifier, id.value);
        return;
      case 'PID':
        if (this.line && el(segment, 5)) this.line.product.description ??= el(segment, 5);
        return;
      case 'UIT': {
        if (!this.line) return;
        const unit = firstComponent(el(segment, 1), this.context.interchange.separators.component);
        if (unit) this.line.unit ??= unit;
        const raw = el(segment, 2);
        const price = parseNumber(raw);
        if (raw && price === undefined) this.collector.badNumber(segment, positionInSet, 2, 'unit price');
        else if (price !== undefined) this.line.unitPrice = price;
        return;
      }
      case 'QTY': {
        if (!this.line) return;
        const q = parseNumber(el(segment, 2));
        if (q === undefined) this.collector.badNumber(segment, positionInSet, 2, 'quantity');
        else this.line.quantity ??= q;
        const unit = firstComponent(el(segment, 3), this.context.interchange.separators.component);
        if (unit) this.line.unit ??= unit;
        return;
      }
      case 'AMT': {
        const amount = parseNumber(el(segment, 2));
        if (!this.line) return;
        if (amount === undefined) {
          this.collector.badNumber(segment, positionInSet, 2, 'amount');
          return;
        }
        this.line.amounts.push({ qualifier: el(segment, 1), amount });
        if (el(segment, 1) === 'CC') this.line.chargebackAmount = amount;
        return;
      }
      case 'REF': {
        const qualifier = el(segment, 1);
        const value = el(segment, 2) || el(segment, 3);
        if (!value) return;
        const target = this.line?.references ?? this.claim.references;
        target.push({ qualifier, value });
        if (this.line) {
          if (qualifier === 'IN' || qualifier === 'IV' || qualifier === 'DI') this.line.invoice ??= value;
          else if (qualifier === 'LT') this.line.lot = value;
        }
        return;
      }
      case 'DTM': {
        const date = parseDate(el(segment, 2));
        if (!date) {
          this.collector.warn('dtm.date', `DTM*${el(segment, 1)} date "${el(segment, 2)}" is not a CCYYMMDD date: ignored.`, segment, positionInSet, { segmentError: '8', elementError: '8', elementPosition: 2, badValue: el(segment, 2) });
          return;
        }
        const ref = { qualifier: el(segment, 1), date };
        if (this.line) {
          this.line.dates.push(ref);
          if (ref.qualifier === '003') this.line.invoiceDate = date;
        } else if (!this.con) this.claim.dates.push(ref);
        return;
      }
      case 'CTT':
        this.finishCon();
        return;
      default:
        return;
    }
  }

  end(): void {
    this.finishCon();
    if (!this.sawBaa) this.collector.error('baa.missing', 'The 844 has no BAA segment: the claim has no number.', undefined, undefined, { segmentError: '3', setError: '5' });
  }

  private closeParty(): void {
    const party = this.party;
    if (!party) return;
    this.party = undefined;
    if (this.con) pushParty(this.con.parties, party);
    else {
      const kept = pushParty(this.claim.parties, party);
      if (!this.distributor && DISTRIBUTOR_ENTITIES.includes(kept.entity)) this.distributor = kept;
    }
  }

  private customer(): Party | undefined {
    const parties = this.con?.parties ?? [];
    return parties.find((p) => p.entity === 'ST') ?? parties.find((p) => p.entity === 'BY') ?? parties[0];
  }

  private emitCustomers(): void {
    const con = this.con;
    if (!con || con.customersEmitted) return;
    con.customersEmitted = true;
    const customer = this.customer();
    if (customer) this.emit({ kind: 'customer', context: this.context, party: customer, transactionType: '844', ...(this.distributor ? { distributor: this.distributor } : {}) });
  }

  private finishLine(): void {
    const open = this.line;
    const con = this.con;
    if (!open || !con) return;
    this.line = undefined;
    con.lines++;
    const line: ChargebackLine = { ...open, claim: this.claim, contractIndex: con.index, lineNumber: con.lines };
    if (!line.lineId) line.lineId = String(con.lines);
    if (con.contract) line.contract = con.contract;
    const customer = this.customer();
    if (customer) line.customer = customer;
    if (this.distributor) line.distributor = this.distributor;
    this.emit({ kind: 'chargeback-line', context: this.context, line });
  }

  private finishCon(): void {
    this.closeParty();
    this.finishLine();
    this.emitCustomers();
    this.con = undefined;
  }
}

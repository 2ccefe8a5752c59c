import type { X12Segment } from '../x12/types.js';
import { addToParty, el, firstComponent, IssueCollector, parseDate, parseNumber, pushParty, readProduct, startParty } from './common.js';
import type { TransactionReader } from './reader-867.js';
import type { InventoryActivity, Party, Product, SetContext, TransactionRecord } from './types.js';

type OpenActivity = {
  code: string;
  quantity?: number;
  unit?: string;
  date?: string;
  locations: Array<{ qualifier: string; id: string; quantity?: number; unit?: string }>;
  segment: X12Segment;
};

/**
 * 852 Product Activity Data: XQ reporting period, heading N1 loops, then LIN loops each with ZA activity loops
 * (QA on hand, QS sold, QP on order, QR received, QO out of stock). The pharmacy variant reports `ZA*OH` / `ZA*TS`
 * with SDQ quantities per location (qualifier XX = NPI): one record per location then.
 */
export class Reader852 implements TransactionReader {
  readonly collector = new IssueCollector();
  private readonly parties: Party[] = [];
  private party: Party | undefined;
  private reportingCode: string | undefined;
  private periodStart: string | undefined;
  private periodEnd: string | undefined;
  private product: Product | undefined;
  private itemNumber = 0;
  private activity: OpenActivity | undefined;
  private sawXq = false;

  constructor(
    private readonly context: SetContext,
    private readonly emit: (record: TransactionRecord) => void,
  ) {}

  segment(segment: X12Segment, positionInSet: number): void {
    if (this.party) {
      if (addToParty(this.party, segment)) return;
      pushParty(this.parties, this.party);
      this.party = undefined;
    }
    switch (segment.id) {
      case 'XQ': {
        this.sawXq = true;
        this.reportingCode = el(segment, 1) || undefined;
        this.periodStart = this.date(segment, 2, positionInSet);
        this.periodEnd = this.date(segment, 3, positionInSet) ?? this.periodStart;
        return;
      }
      case 'N1':
        if (this.product) {
          this.collector.warn('n1.unexpected', 'An N1 loop after the first LIN loop is read as a heading party.', segment, positionInSet, { segmentError: '7' });
        }
        this.party = startParty(segment);
        return;
      case 'LIN':
        this.finishActivity();
        this.itemNumber++;
        this.product = readProduct(segment, 2, 10);
        return;
      case 'PID':
        if (this.product && el(segment, 5)) this.product.description ??= el(segment, 5);
        return;
      case 'ZA':
        return this.onZa(segment, positionInSet);
      case 'QTY': {
        if (!this.activity || this.activity.quantity !== undefined) return;
        const q = parseNumber(el(segment, 2));
        if (q === undefined) this.collector.badNumber(segment, positionInSet, 2, 'quantity');
        else this.activity.quantity = q;
        const unit = firstComponent(el(segment, 3), this.context.interchange.separators.component);
        if (unit) this.activity.unit ??= unit;
        return;
      }
      case 'SDQ':
        return this.onSdq(segment, positionInSet);
      case 'CTT':
        this.finishActivity();
        this.product = undefined;
        return;
      default:
        return;
    }
  }

  end(): void {
    if (this.party) pushParty(this.parties, this.party);
    this.party = undefined;
    this.finishActivity();
    if (!this.sawXq) {
      this.collector.warn('xq.missing', 'The 852 has no XQ segment: its reporting period is unknown.', { id: 'XQ', elements: ['XQ'], position: this.context.set.position, length: 0 }, 1, { segmentError: '3' });
    }
  }

  private date(segment: X12Segment, n: number, positionInSet: number): string | undefined {
    const raw = el(segment, n);
    if (!raw) return undefined;
    const date = parseDate(raw);
    if (!date) this.collector.warn('date.invalid', `${segment.id}${String(n).padStart(2, '0')} "${raw}" is not a CCYYMMDD date.`, segment, positionInSet, { segmentError: '8', elementError: '8', elementPosition: n, badValue: raw });
    return date;
  }

  private onZa(segment: X12Segment, positionInSet: number): void {
    this.finishActivity();
    if (!this.product) {
      this.collector.warn('za.no_item', 'ZA outside a LIN loop: ignored.', segment, positionInSet, { segmentError: '2' });
      return;
    }
    const activity: OpenActivity = { code: el(segment, 1), locations: [], segment };
    const raw = el(segment, 2);
    if (raw) {
      const q = parseNumber(raw);
      if (q === undefined) this.collector.badNumber(segment, positionInSet, 2, 'quantity');
      else activity.quantity = q;
    }
    const unit = firstComponent(el(segment, 3), this.context.interchange.separators.component);
    if (unit) activity.unit = unit;
    const date = el(segment, 5) ? this.date(segment, 5, positionInSet) : undefined;
    if (date) activity.date = date;
    this.activity = activity;
  }

  /** SDQ01 unit, SDQ02 id qualifier, then up to ten (location, quantity) pairs. */
  private onSdq(segment: X12Segment, positionInSet: number): void {
    const activity = this.activity;
    if (!activity) {
      this.collector.warn('sdq.no_activity', 'SDQ outside a ZA loop: ignored.', segment, positionInSet, { segmentError: '2' });
      return;
    }
    const unit = firstComponent(el(segment, 1), this.context.interchange.separators.component);
    const qualifier = el(segment, 2);
    for (let n = 3; n + 1 < segment.elements.length && n <= 21; n += 2) {
      const id = el(segment, n);
      if (!id) continue;
      const raw = el(segment, n + 1);
      const q = parseNumber(raw);
      if (q === undefined) this.collector.badNumber(segment, positionInSet, n + 1, `quantity at location ${id}`);
      activity.locations.push({ qualifier, id, ...(q !== undefined ? { quantity: q } : {}), ...(unit ? { unit } : {}) });
    }
  }

  private finishActivity(): void {
    const open = this.activity;
    if (!open || !this.product) return;
    this.activity = undefined;
    const base: InventoryActivity = {
      parties: this.parties,
      itemNumber: this.itemNumber,
      product: this.product,
      activity: open.code,
      position: open.segment.position,
    };
    if (this.reportingCode) base.reportingCode = this.reportingCode;
    if (this.periodStart) base.periodStart = this.periodStart;
    if (this.periodEnd) base.periodEnd = this.periodEnd;
    if (open.date) base.date = open.date;
    if (open.locations.length === 0) {
      if (open.quantity !== undefined) base.quantity = open.quantity;
      if (open.unit) base.unit = open.unit;
      this.emit({ kind: 'inventory', context: this.context, activity: base });
      return;
    }
    for (const loc of open.locations) {
      const activity: InventoryActivity = { ...base, location: { qualifier: loc.qualifier, id: loc.id } };
      if (loc.quantity !== undefined) activity.quantity = loc.quantity;
      const unit = loc.unit ?? open.unit;
      if (unit) activity.unit = unit;
      this.emit({ kind: 'inventory', context: this.context, activity });
    }
  }
}

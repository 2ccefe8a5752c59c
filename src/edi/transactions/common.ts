import { normalizeDea, normalizeGln, normalizeHin, normalizeNdc, normalizeNpi } from '../../model/identifiers/index.js';
import type { ValidationResult } from '../../model/identifiers/index.js';
import { createIssue } from '../x12/errors.js';
import { segmentCode, SegmentView } from '../x12/segment-reader.js';
import type { X12AckCodes, X12Issue, X12Segment } from '../x12/types.js';
import type { Party, PartyIdentifier, PartyIdentifierType, Product } from './types.js';

export { parseDate, parseNumber } from '../x12/values.js';

/** The element, trimmed; '' when absent. */
export function el(segment: X12Segment, n: number): string {
  const v = segment.elements[n];
  return v === undefined ? '' : v.trim();
}

/** The element's first component (a composite like UIT01 `EA>1`). */
export function firstComponent(value: string, component: string): string {
  const i = value.indexOf(component);
  return i === -1 ? value : value.slice(0, i);
}

/**
 * Segment ids as `segmentCode` numbers, for readers that switch on `SegmentView.code`.
 */
export const CODE = {
  AMT: segmentCode('AMT'),
  BPT: segmentCode('BPT'),
  CTT: segmentCode('CTT'),
  CUR: segmentCode('CUR'),
  DTM: segmentCode('DTM'),
  LIN: segmentCode('LIN'),
  N1: segmentCode('N1'),
  N2: segmentCode('N2'),
  N3: segmentCode('N3'),
  N4: segmentCode('N4'),
  PER: segmentCode('PER'),
  PID: segmentCode('PID'),
  PTD: segmentCode('PTD'),
  QTY: segmentCode('QTY'),
  REF: segmentCode('REF'),
  SII: segmentCode('SII'),
  UIT: segmentCode('UIT'),
} as const;

/** A view over a standalone segment, for the functions below that take an `X12Segment`. */
const scratch = new SegmentView();

function viewOf(segment: X12Segment): SegmentView {
  scratch.setSegment(segment);
  return scratch;
}

/** Collects the issues a transaction reader finds, positioned at the segment (AK3/AK4 codes for the acknowledgement). */
export class IssueCollector {
  readonly issues: X12Issue[] = [];

  warn(code: string, message: string, segment: X12Segment, positionInSet: number, ack?: X12AckCodes): void {
    this.issues.push(createIssue('warning', 'set', code, message, { position: segment.position, segmentId: segment.id, positionInSet, ...(ack ? { ack } : {}) }));
  }

  error(code: string, message: string, segment: X12Segment | undefined, positionInSet: number | undefined, ack?: X12AckCodes): void {
    this.issues.push(
      createIssue('error', 'set', code, message, {
        ...(segment ? { position: segment.position, segmentId: segment.id } : {}),
        ...(positionInSet !== undefined ? { positionInSet } : {}),
        ...(ack ? { ack } : {}),
      }),
    );
  }

  /** A numeric element that is not a number: element error 6 (invalid character). */
  badNumber(segment: X12Segment, positionInSet: number, element: number, what: string): void {
    const value = el(segment, element);
    this.warn(`${segment.id.toLowerCase()}.number`, `${segment.id}${String(element).padStart(2, '0')} (${what}) "${value}" is not a number: the value is dropped.`, segment, positionInSet, {
      segmentError: '8',
      elementError: value === '' ? '1' : '6',
      elementPosition: element,
      badValue: value,
    });
  }
}

// ---- N1 loops ----

const N1_QUALIFIERS: Record<string, PartyIdentifierType> = {
  '11': 'dea',
  '21': 'hin',
  UL: 'gln',
  PI: '340b',
  XX: 'npi',
  '1': 'duns',
  '9': 'duns',
  '91': 'seller_assigned',
  '92': 'buyer_assigned',
  ZZ: 'mutually_defined',
};
const REF_IDENTIFIERS: Record<string, PartyIdentifierType> = { DH: 'dea', HI: 'hin' };

const VALIDATORS: Partial<Record<PartyIdentifierType, (v: string) => ValidationResult<string>>> = {
  dea: (v) => normalizeDea(v),
  hin: (v) => normalizeHin(v),
  gln: (v) => normalizeGln(v),
  npi: (v) => normalizeNpi(v),
};

/** True for eleven ASCII digits: an NDC already in the 5-4-2 form, which `normalizeNdc` returns as it is. */
function isNdc11(value: string): boolean {
  if (value.length !== 11) return false;
  for (let i = 0; i < 11; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

export function makeIdentifier(qualifier: string, value: string, source: 'N1' | 'REF'): PartyIdentifier {
  const type = (source === 'N1' ? N1_QUALIFIERS[qualifier] : REF_IDENTIFIERS[qualifier]) ?? 'other';
  const validate = VALIDATORS[type];
  if (!validate) return { qualifier, type, value, source };
  const result = validate(value);
  return result.ok ? { qualifier, type, value: result.value, source, valid: true } : { qualifier, type, value, source, valid: false, invalidReason: result.code };
}

export function isRefIdentifier(qualifier: string): boolean {
  return qualifier in REF_IDENTIFIERS;
}

export function startParty(segment: X12Segment): Party {
  return startPartyFrom(viewOf(segment));
}

/** `startParty` over a view: an N1 segment. */
export function startPartyFrom(segment: SegmentView): Party {
  const id = segment.el(4);
  // A one-element array when the N1 carries an id, not the room for seventeen that a first push reserves.
  const identifiers = id ? [makeIdentifier(segment.el(3), id, 'N1')] : [];
  const party: Party = { entity: segment.el(1), additionalNames: [], identifiers, address: {}, references: [], contacts: [], position: segment.position() };
  const name = segment.el(2);
  if (name) party.name = name;
  return party;
}

/** Adds N2/N3/N4/REF/PER to an open N1 loop. Returns false for a segment that does not belong to the loop. */
export function addToParty(party: Party, segment: X12Segment): boolean {
  return addToPartyFrom(party, viewOf(segment));
}

/** `addToParty` over a view. */
export function addToPartyFrom(party: Party, segment: SegmentView): boolean {
  switch (segment.code) {
    case CODE.N2:
      for (const n of [segment.el(1), segment.el(2)]) if (n) party.additionalNames.push(n);
      return true;
    case CODE.N3: {
      const a = segment.el(1);
      const b = segment.el(2);
      if (!party.address.line1) {
        if (a) party.address.line1 = a;
        if (b) party.address.line2 = b;
      } else if (a || b) party.address.line2 = [party.address.line2, a, b].filter(Boolean).join(' ');
      return true;
    }
    case CODE.N4: {
      const city = segment.el(1);
      const state = segment.el(2);
      const zip = segment.el(3);
      const country = segment.el(4);
      if (city) party.address.city = city;
      if (state) party.address.state = state;
      if (zip) party.address.zip = zip;
      if (country) party.address.country = country;
      return true;
    }
    case CODE.REF: {
      const qualifier = segment.el(1);
      const value = segment.el(2) || segment.el(3);
      if (!value) return true;
      if (isRefIdentifier(qualifier)) party.identifiers.push(makeIdentifier(qualifier, value, 'REF'));
      else party.references.push({ qualifier, value });
      return true;
    }
    case CODE.PER: {
      const contact: Party['contacts'][number] = { function: segment.el(1) };
      const name = segment.el(2);
      if (name) contact.name = name;
      const q = segment.el(3);
      const n = segment.el(4);
      if (q) contact.qualifier = q;
      if (n) contact.number = n;
      party.contacts.push(contact);
      return true;
    }
    default:
      return false;
  }
}

// ---- products ----

/** Reads product id pairs: LIN02/03, LIN04/05 ... (or SII01/02 with `start` 1). */
export function readProduct(segment: X12Segment, start: number, pairs: number): Product {
  const product: Product = { ids: [] };
  for (let i = 0, n = start; i < pairs; i++, n += 2) {
    const qualifier = el(segment, n);
    const value = el(segment, n + 1);
    if (!qualifier && !value) continue;
    addProductId(product, qualifier, value);
  }
  return product;
}

export function addProductId(product: Product, qualifier: string, value: string): void {
  if (!value) return;
  // Most products carry one id: a one-element array, not the room for seventeen that a first push reserves.
  if (product.ids.length === 0) product.ids = [{ qualifier, value }];
  else product.ids.push({ qualifier, value });
  switch (qualifier) {
    case 'N4':
    case 'ND':
    case 'NDC': {
      if (product.ndc11) return;
      // Nearly every 867 sends the 11-digit form: the answer normalizeNdc gives for it, without its general path.
      const ndc = isNdc11(value) ? undefined : normalizeNdc(value);
      if (ndc === undefined || ndc.ok) {
        product.ndc11 = ndc === undefined ? value : ndc.value;
        // Only an earlier id of the line that was not a valid NDC leaves these.
        if ('ndcRaw' in product) delete product.ndcRaw;
        if ('ndcInvalidReason' in product) delete product.ndcInvalidReason;
      } else if (!product.ndcRaw) {
        product.ndcRaw = value;
        product.ndcInvalidReason = ndc.code;
      }
      return;
    }
    case 'UP':
    case 'UA':
      product.upc ??= value;
      return;
    case 'UK':
    case 'EN':
      product.gtin ??= value;
      return;
    default:
      return;
  }
}

export function isLinLike(product: Product): boolean {
  return product.ids.length > 0;
}

/**
 * Wholesalers send a customer's several ids as repeated N1 loops with the same entity code (Cardinal: DEA, HIN,
 * 340B; Cencora: DEA, GLN, HIN, 340B). A loop that repeats the previous one's entity with the same or an empty name
 * is folded into it, so one customer keeps its whole id set. Returns false when `party` is a different party.
 */
export function mergeRepeatedParty(previous: Party | undefined, party: Party): boolean {
  if (!previous || previous.entity !== party.entity) return false;
  if (party.name && previous.name && party.name.toUpperCase() !== previous.name.toUpperCase()) return false;
  if (!previous.name && party.name) previous.name = party.name;
  for (const id of party.identifiers) {
    if (!previous.identifiers.some((p) => p.type === id.type && p.value === id.value)) previous.identifiers.push(id);
  }
  previous.additionalNames.push(...party.additionalNames.filter((n) => !previous.additionalNames.includes(n)));
  for (const key of ['line1', 'line2', 'city', 'state', 'zip', 'country'] as const) {
    const v = party.address[key];
    if (v && !previous.address[key]) previous.address[key] = v;
  }
  previous.references.push(...party.references);
  previous.contacts.push(...party.contacts);
  return true;
}

/** Adds a closed N1 loop to a list, folding a repeat into the previous party. */
export function pushParty(list: Party[], party: Party): Party {
  // Not `list[list.length - 1]` on an empty list: index -1 is a named-property lookup, the slow path of every read.
  const previous = list.length === 0 ? undefined : list[list.length - 1];
  if (mergeRepeatedParty(previous, party)) return previous as Party;
  list.push(party);
  return party;
}

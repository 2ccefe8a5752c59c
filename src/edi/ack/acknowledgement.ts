import type { GroupResult, InterchangeResult, SetResult, X12Issue, X12Separators } from '../x12/types.js';

/**
 * Functional acknowledgements: one 997 (004010) or 999 (005010) transaction set per received functional group,
 * wrapped in an interchange addressed back to the sender and written with the separators the sender used.
 *
 * - Set level (AK2/AK5, IK5 in a 999): A accepted, E accepted with errors noted, R rejected, with AK502 codes
 *   (1 not supported, 2 trailer missing, 3 control numbers differ, 4 segment count wrong, 5 segment errors).
 * - Segment level (AK3 / IK3) and element level (AK4 / IK4) for every issue that names a segment position.
 * - Group level (AK9): A, E, P (partially accepted) or R, with the counts and codes (3 GE missing, 4 control
 *   numbers differ, 5 set count wrong).
 */

export type AcknowledgementType = '997' | '999';

export type Acknowledgement = {
  /** The received interchange this answers. */
  interchangeIndex: number;
  interchangeControlNumber: string;
  /** 997 or 999 per group answered, in order. */
  types: AcknowledgementType[];
  /** The full interchange (ISA ... IEA), terminated segments, one per line. */
  text: string;
};

export type AcknowledgementOptions = {
  /** ISA13 / GS06 of the acknowledgement interchange; defaults to the received ISA13. */
  controlNumber?: number;
  /** When the acknowledgement is made (ISA09/10, GS04/05). Defaults to now. */
  now?: Date;
  /** Put a line break after each segment terminator (readable; most partners accept it). Default true. */
  newlines?: boolean;
};

const MAX_BAD_VALUE = 99;

export function acknowledgementTypeFor(group: GroupResult): AcknowledgementType {
  return group.header.version.startsWith('005') ? '999' : '997';
}

/** One acknowledgement interchange per received interchange that holds at least one functional group. */
export function buildAcknowledgements(interchanges: readonly InterchangeResult[], options: AcknowledgementOptions = {}): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  interchanges.forEach((interchange, i) => {
    if (interchange.groups.length === 0) return;
    const control = options.controlNumber !== undefined ? options.controlNumber + i : Number(interchange.header.controlNumber) || i + 1;
    out.push(buildAcknowledgement(interchange, { ...options, controlNumber: control }));
  });
  return out;
}

export function buildAcknowledgement(interchange: InterchangeResult, options: AcknowledgementOptions = {}): Acknowledgement {
  const h = interchange.header;
  const seps = usableSeparators(h.separators);
  const now = options.now ?? new Date();
  const control = options.controlNumber ?? (Number(h.controlNumber) || 1);
  const types = interchange.groups.map(acknowledgementTypeFor);
  const uses999 = types.includes('999');
  const w = new SegmentWriter(uses999 ? { ...seps, repetition: repetitionFor(seps) } : seps, options.newlines ?? true);
  const yymmdd = formatDate(now).slice(2);
  const hhmm = formatTime(now);
  w.isa([
    '00',
    ''.padEnd(10),
    '00',
    ''.padEnd(10),
    (h.receiverQualifier || 'ZZ').padEnd(2).slice(0, 2),
    h.receiverId.padEnd(15).slice(0, 15),
    (h.senderQualifier || 'ZZ').padEnd(2).slice(0, 2),
    h.senderId.padEnd(15).slice(0, 15),
    yymmdd,
    hhmm,
    uses999 ? repetitionFor(seps) : 'U',
    uses999 ? '00501' : '00401',
    String(control % 1_000_000_000).padStart(9, '0'),
    '0',
    h.usage === 'T' ? 'T' : 'P',
  ]);
  interchange.groups.forEach((group, g) => {
    const type = types[g] as AcknowledgementType;
    const groupControl = String((control % 100_000_000) * 10 + g + 1).slice(-9);
    w.segment(['GS', 'FA', group.header.receiverId || h.receiverId, group.header.senderId || h.senderId, formatDate(now), hhmm, groupControl, 'X', type === '999' ? '005010X231A1' : '004010']);
    writeAckSet(w, group, type, '0001');
    w.segment(['GE', '1', groupControl]);
  });
  w.segment(['IEA', String(interchange.groups.length), String(control % 1_000_000_000).padStart(9, '0')]);
  return { interchangeIndex: h.index, interchangeControlNumber: h.controlNumber, types, text: w.text() };
}

function writeAckSet(w: SegmentWriter, group: GroupResult, type: AcknowledgementType, control: string): void {
  const start = w.count;
  const is999 = type === '999';
  w.segment(is999 ? ['ST', '999', control, '005010X231A1'] : ['ST', '997', control]);
  w.segment(is999 ? ['AK1', group.header.functionalId, group.header.controlNumber, group.header.version] : ['AK1', group.header.functionalId, group.header.controlNumber]);
  for (const set of group.sets) {
    w.segment(is999 && set.header.implementation ? ['AK2', set.header.type, set.header.controlNumber, set.header.implementation] : ['AK2', set.header.type, set.header.controlNumber]);
    for (const issue of set.issues) {
      if (!issue.ack?.segmentError || issue.positionInSet === undefined) continue;
      w.segment([is999 ? 'IK3' : 'AK3', segmentIdFor(issue), String(issue.positionInSet), '', issue.ack.segmentError]);
      if (issue.ack.elementError && issue.ack.elementPosition !== undefined) {
        const bad = issue.ack.badValue ? w.clean(issue.ack.badValue).slice(0, MAX_BAD_VALUE) : '';
        w.segment([is999 ? 'IK4' : 'AK4', String(issue.ack.elementPosition), '', issue.ack.elementError, ...(bad ? [bad] : [])]);
      }
    }
    w.segment([is999 ? 'IK5' : 'AK5', setCode(set), ...setErrorCodes(set)]);
  }
  const received = group.sets.length;
  const accepted = group.sets.filter((s) => s.status !== 'rejected').length;
  const declared = declaredSetCount(group) ?? received;
  w.segment(['AK9', groupCode(group), String(declared), String(received), String(accepted), ...groupErrorCodes(group)]);
  w.segment(['SE', String(w.count - start + 1), control]);
}

/** The sender's separators, unless they could not carry an acknowledgement (then the common `*`, `>`, `~`). */
function usableSeparators(seps: X12Separators): X12Separators {
  const chars = [seps.element, seps.component, seps.segment];
  const bad = chars.some((c) => c.length !== 1 || /[A-Za-z0-9 ]/.test(c)) || new Set(chars).size !== 3;
  return bad ? { element: '*', component: '>', segment: '~' } : seps;
}

/** ISA11 for a 005010 acknowledgement: the sender's repetition separator, or the first one free of clashes. */
function repetitionFor(seps: X12Separators): string {
  if (seps.repetition) return seps.repetition;
  return ['^', '{', '!', '`'].find((c) => c !== seps.element && c !== seps.component && c !== seps.segment) ?? '^';
}

function setCode(set: SetResult): string {
  if (set.status === 'rejected') return 'R';
  return set.status === 'accepted_with_errors' ? 'E' : 'A';
}

function setErrorCodes(set: SetResult): string[] {
  const codes = unique(set.issues.filter((i) => i.severity === 'error' || i.ack?.segmentError).map((i) => i.ack?.setError ?? (i.ack?.segmentError ? '5' : undefined)));
  if (set.status === 'rejected' && codes.length === 0) codes.push('5');
  return codes.slice(0, 5);
}

function groupCode(group: GroupResult): string {
  const rejected = group.sets.filter((s) => s.status === 'rejected').length;
  if (group.sets.length === 0 || rejected === group.sets.length) return 'R';
  if (rejected > 0) return 'P';
  return group.status === 'accepted' ? 'A' : 'E';
}

function groupErrorCodes(group: GroupResult): string[] {
  return unique(group.issues.map((i) => i.ack?.groupError)).slice(0, 5);
}

/** GE01 as declared, when the GE was there and said a number. */
function declaredSetCount(group: GroupResult): number | undefined {
  const mismatch = group.issues.find((i) => i.code === 'ge.count_mismatch');
  const m = mismatch ? /GE01 says (\d+)/.exec(mismatch.message) : null;
  return m ? Number(m[1]) : undefined;
}

function segmentIdFor(issue: X12Issue): string {
  const id = (issue.segmentId ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 3);
  return id.length >= 2 ? id : 'ZZZ';
}

function unique(values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}

function formatDate(d: Date): string {
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

function formatTime(d: Date): string {
  return `${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** Writes segments with given separators; never lets a separator slip into a value. */
class SegmentWriter {
  private readonly parts: string[] = [];
  count = 0;

  constructor(
    private readonly seps: X12Separators,
    private readonly newlines: boolean,
  ) {}

  isa(elements: string[]): void {
    // ISA16 is the component separator itself, written raw.
    // ISA11 (the repetition separator in 005010) and ISA16 (the component separator) are written raw.
    this.parts.push(['ISA', ...elements.map((e, i) => (i === 10 ? e : this.clean(e))), this.seps.component].join(this.seps.element) + this.terminator());
    this.count++;
  }

  segment(elements: string[]): void {
    while (elements.length > 1 && elements[elements.length - 1] === '') elements.pop();
    this.parts.push(elements.map((e) => this.clean(e)).join(this.seps.element) + this.terminator());
    this.count++;
  }

  clean(value: string): string {
    let out = '';
    for (const ch of value) {
      out += ch === this.seps.element || ch === this.seps.component || ch === this.seps.segment || ch === this.seps.repetition || ch === '\r' || ch === '\n' ? ' ' : ch;
    }
    return out;
  }

  private terminator(): string {
    return this.seps.segment + (this.newlines && this.seps.segment !== '\n' ? '\n' : '');
  }

  text(): string {
    return this.parts.join('');
  }
}

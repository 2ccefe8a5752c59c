import { createIssue, hasErrors } from './errors.js';
import { segmentCode, type SegmentSink, type SegmentView } from './segment-reader.js';
import type {
  EnvelopeStatus,
  GroupHeader,
  GroupResult,
  InterchangeHeader,
  InterchangeResult,
  SetHeader,
  SetResult,
  X12Event,
  X12Issue,
  X12Position,
  X12Segment,
  X12Token,
} from './types.js';

/** Interchange versions this reader is written for; any other ISA12 is read all the same, with a warning. */
const KNOWN_ISA_VERSIONS = new Set(['00401', '00501']);
const SEGMENT_ID = /^[A-Z][A-Z0-9]{1,2}$/;

type OpenSet = { header: SetHeader; count: number; issues: X12Issue[] };
type OpenGroup = { header: GroupHeader; sets: SetResult[]; issues: X12Issue[] };
type OpenInterchange = { header: InterchangeHeader; groups: GroupResult[]; issues: X12Issue[] };

const el = (segment: X12Segment, n: number): string => segment.elements[n] ?? '';

const ISA = segmentCode('ISA');
const GS = segmentCode('GS');
const ST = segmentCode('ST');
const SE = segmentCode('SE');
const GE = segmentCode('GE');
const IEA = segmentCode('IEA');

/**
 * Receives the envelope reader's output synchronously: every segment inside a transaction set as a reused view
 * (valid only during the call), and every other event. `segment` is never given an event of kind `segment`.
 */
export interface EnvelopeSink {
  segment(view: SegmentView, set: SetHeader, positionInSet: number): void;
  event(event: X12Event): void;
}

/**
 * Checks the ISA/GS/ST envelopes as segments go by and turns them into events. Counts and control numbers are
 * compared at each trailer; a disagreement is an error for that set or group only. A missing trailer is found when
 * the next header (or the end of the file) arrives. Memory is one small result per set, never the set's segments.
 *
 * Use `push(token)` per token and act on the returned events before pushing the next one: a set's result object is
 * shared with its group, so issues a transaction reader adds at set-end count when the group closes.
 */
export class EnvelopeValidator implements SegmentSink {
  private interchange: OpenInterchange | undefined;
  private group: OpenGroup | undefined;
  private set: OpenSet | undefined;
  private interchangeCount = 0;
  private reportedOutside = false;
  private lastPosition: X12Position | undefined;
  /** The last segment went by as a view: `lastPosition` is built from these when needed. */
  private lastFromView = false;
  private lastOffset = 0;
  private lastOrdinal = 0;
  private lastLine = 0;
  /** Where `segment` and `issue` send what they read (`feeding`). */
  private target: EnvelopeSink | undefined;

  /** Results of every interchange closed so far, in file order. */
  readonly interchanges: InterchangeResult[] = [];
  /** File-level issues (BOM, bytes outside interchanges, unreadable ISA). */
  readonly fileIssues: X12Issue[] = [];

  push(token: X12Token): X12Event[] {
    if (token.kind === 'issue') return this.addFileIssue(token.issue);
    const segment = token.segment;
    this.lastPosition = segment.position;
    this.lastFromView = false;
    switch (segment.id) {
      case 'ISA':
        return this.onIsa(segment);
      case 'GS':
        return this.onGs(segment);
      case 'ST':
        return this.onSt(segment);
      case 'SE':
        return this.onSe(segment);
      case 'GE':
        return this.onGe(segment);
      case 'IEA':
        return this.onIea(segment);
      default:
        return this.onSegment(segment);
    }
  }

  /**
   * The same as `push` for a segment the tokenizer hands over as a view, with the results going to `sink`. A
   * segment inside an open set with a valid id (nearly all of them) costs a counter and one call: no event object,
   * no array, no string. Envelope segments and anything that needs an issue take the `push` path.
   */
  visit(view: SegmentView, sink: EnvelopeSink): void {
    const set = this.set;
    const code = view.code;
    if (set !== undefined && code !== -1 && !view.tooLong && code !== SE && code !== ST && code !== GE && code !== GS && code !== IEA && code !== ISA) {
      this.lastFromView = true;
      this.lastOffset = view.offset;
      this.lastOrdinal = view.ordinal;
      this.lastLine = view.line;
      sink.segment(view, set.header, ++set.count);
      return;
    }
    const events = this.push({ kind: 'segment', segment: view.toSegment() });
    for (const event of events) {
      if (event.kind === 'segment') sink.segment(view, event.set, event.positionInSet);
      else sink.event(event);
    }
  }

  /** `SegmentSink`: `visit`, its output going to the sink given to `feeding`. */
  segment(view: SegmentView): void {
    this.visit(view, this.target as EnvelopeSink);
  }

  /** `SegmentSink`: a file-level issue from the tokenizer, its event going to the sink given to `feeding`. */
  issue(issue: X12Issue): void {
    this.visitIssue(issue, this.target as EnvelopeSink);
  }

  /** Makes this validator a `SegmentSink` whose events go to `sink`. */
  feeding(sink: EnvelopeSink): this {
    this.target = sink;
    return this;
  }

  /** A file-level issue from the tokenizer, its event going to `sink`. */
  visitIssue(issue: X12Issue, sink: EnvelopeSink): void {
    for (const event of this.addFileIssue(issue)) sink.event(event);
  }

  /** `end` with the events going to `sink`. */
  finish(sink: EnvelopeSink): void {
    for (const event of this.end()) sink.event(event);
  }

  /** Closes whatever is still open: each missing trailer is an error for its own envelope. */
  end(): X12Event[] {
    const events: X12Event[] = [];
    this.closeInterchange(events, undefined, 'at the end of the file');
    return events;
  }

  private last(): X12Position | undefined {
    if (this.lastFromView) {
      this.lastFromView = false;
      this.lastPosition = { offset: this.lastOffset, segment: this.lastOrdinal, line: this.lastLine };
    }
    return this.lastPosition;
  }

  private addFileIssue(issue: X12Issue): X12Event[] {
    if (issue.scope === 'interchange' && this.interchange) this.interchange.issues.push(issue);
    else if (issue.scope === 'set' && this.set) this.set.issues.push(issue);
    else this.fileIssues.push(issue);
    return [{ kind: 'issue', issue }];
  }

  private onIsa(segment: X12Segment): X12Event[] {
    const events: X12Event[] = [];
    this.closeInterchange(events, segment.position, 'before the next ISA');
    const separators = segment.separators ?? { element: '*', component: ':', segment: '~' };
    const header: InterchangeHeader = {
      index: this.interchangeCount++,
      authorizationQualifier: el(segment, 1),
      senderQualifier: el(segment, 5).trim(),
      senderId: el(segment, 6).trim(),
      receiverQualifier: el(segment, 7).trim(),
      receiverId: el(segment, 8).trim(),
      date: el(segment, 9),
      time: el(segment, 10),
      standardsId: el(segment, 11),
      version: el(segment, 12),
      controlNumber: el(segment, 13).trim(),
      ackRequested: el(segment, 14),
      usage: el(segment, 15),
      separators,
      position: segment.position,
    };
    this.interchange = { header, groups: [], issues: [] };
    this.reportedOutside = false;
    // After the previous interchange's closing events: a reader must see that one end before this one starts.
    events.push({ kind: 'interchange-start', interchange: header });
    const warn = (code: string, message: string): void => {
      const issue = createIssue('warning', 'interchange', code, message, { position: segment.position, segmentId: 'ISA' });
      this.interchange?.issues.push(issue);
      events.push({ kind: 'issue', issue });
    };
    if (!KNOWN_ISA_VERSIONS.has(header.version)) {
      warn('isa.version', `ISA12 is "${header.version}", not 00401 or 00501: the interchange is read as its GS08 version says.`);
    }
    if (!/^\d{9}$/.test(header.controlNumber)) warn('isa.control_number', `ISA13 "${header.controlNumber}" is not 9 digits.`);
    return events;
  }

  private onGs(segment: X12Segment): X12Event[] {
    const events: X12Event[] = [];
    if (!this.interchange) return this.outside(segment);
    this.closeGroup(events, segment.position, 'before the next GS');
    const header: GroupHeader = {
      interchangeIndex: this.interchange.header.index,
      index: this.interchange.groups.length,
      functionalId: el(segment, 1),
      senderId: el(segment, 2).trim(),
      receiverId: el(segment, 3).trim(),
      date: el(segment, 4),
      time: el(segment, 5),
      controlNumber: el(segment, 6).trim(),
      agency: el(segment, 7),
      version: el(segment, 8).trim(),
      position: segment.position,
    };
    this.group = { header, sets: [], issues: [] };
    events.push({ kind: 'group-start', group: header });
    return events;
  }

  private onSt(segment: X12Segment): X12Event[] {
    const events: X12Event[] = [];
    if (!this.interchange) return this.outside(segment);
    this.closeSet(events, segment.position, 'before the next ST');
    if (!this.group) {
      const header: GroupHeader = {
        interchangeIndex: this.interchange.header.index,
        index: this.interchange.groups.length,
        functionalId: '',
        senderId: '',
        receiverId: '',
        date: '',
        time: '',
        controlNumber: '',
        agency: '',
        version: '',
        position: segment.position,
        implicit: true,
      };
      const issue = createIssue('error', 'group', 'gs.missing', 'A transaction set starts without a GS functional group header.', { position: segment.position, segmentId: 'ST', ack: { groupError: '3' } });
      this.group = { header, sets: [], issues: [issue] };
      events.push({ kind: 'group-start', group: header }, { kind: 'issue', issue });
    }
    const header: SetHeader = {
      interchangeIndex: this.interchange.header.index,
      groupIndex: this.group.header.index,
      index: this.group.sets.length,
      type: el(segment, 1).trim(),
      controlNumber: el(segment, 2).trim(),
      position: segment.position,
    };
    const implementation = el(segment, 3).trim();
    if (implementation) header.implementation = implementation;
    this.set = { header, count: 1, issues: [] };
    // After the previous set's end (when its SE was missing): the transaction reader of that set must finish before
    // this set's reader starts, or this set's segments reach no reader.
    events.push({ kind: 'set-start', set: header });
    if (!header.type || !header.controlNumber) {
      this.setIssue(events, 'error', 'st.incomplete', `ST is missing its ${header.type ? 'control number (ST02)' : 'transaction set id (ST01)'}.`, segment, 1, { setError: header.type ? '7' : '6', segmentError: '8', elementError: '1', elementPosition: header.type ? 2 : 1 });
    }
    if (segment.tooLong) this.tooLong(events, segment, 1);
    return events;
  }

  private onSe(segment: X12Segment): X12Event[] {
    const events: X12Event[] = [];
    const set = this.set;
    if (!set) {
      this.envelopeIssue(events, 'se.unexpected', 'SE without a matching ST: ignored.', segment);
      return events;
    }
    set.count++;
    const declared = el(segment, 1).trim();
    if (declared !== String(set.count)) {
      this.setIssue(events, 'error', 'se.count_mismatch', `SE01 says ${declared || '(empty)'} segments but the set has ${set.count} from ST to SE.`, segment, set.count, { setError: '4', segmentError: '8', elementError: '7', elementPosition: 1, badValue: declared });
    }
    const control = el(segment, 2).trim();
    if (control !== set.header.controlNumber) {
      this.setIssue(events, 'error', 'se.control_mismatch', `SE02 "${control}" does not match ST02 "${set.header.controlNumber}".`, segment, set.count, { setError: '3', segmentError: '8', elementError: '7', elementPosition: 2, badValue: control });
    }
    this.finishSet(events, set, segment.position);
    return events;
  }

  private onGe(segment: X12Segment): X12Event[] {
    const events: X12Event[] = [];
    if (!this.interchange) return this.outside(segment);
    this.closeSet(events, segment.position, 'before GE');
    const group = this.group;
    if (!group) {
      this.envelopeIssue(events, 'ge.unexpected', 'GE without a matching GS: ignored.', segment);
      return events;
    }
    const declared = el(segment, 1).trim();
    if (declared !== String(group.sets.length)) {
      this.groupIssue(events, group, 'ge.count_mismatch', `GE01 says ${declared || '(empty)'} transaction sets but the group has ${group.sets.length}.`, segment, '5');
    }
    const control = el(segment, 2).trim();
    if (control !== group.header.controlNumber) {
      this.groupIssue(events, group, 'ge.control_mismatch', `GE02 "${control}" does not match GS06 "${group.header.controlNumber}".`, segment, '4');
    }
    this.finishGroup(events, group);
    return events;
  }

  private onIea(segment: X12Segment): X12Event[] {
    const events: X12Event[] = [];
    const interchange = this.interchange;
    if (!interchange) return this.outside(segment);
    this.closeGroup(events, segment.position, 'before IEA');
    const declared = el(segment, 1).trim();
    const warn = (code: string, message: string): void => {
      const issue = createIssue('error', 'interchange', code, message, { position: segment.position, segmentId: 'IEA' });
      interchange.issues.push(issue);
      events.push({ kind: 'issue', issue });
    };
    if (declared !== String(interchange.groups.length)) warn('iea.count_mismatch', `IEA01 says ${declared || '(empty)'} functional groups but the interchange has ${interchange.groups.length}.`);
    const control = el(segment, 2).trim();
    if (control !== interchange.header.controlNumber) warn('iea.control_mismatch', `IEA02 "${control}" does not match ISA13 "${interchange.header.controlNumber}".`);
    this.finishInterchange(events, interchange);
    return events;
  }

  private onSegment(segment: X12Segment): X12Event[] {
    const set = this.set;
    if (!set) {
      if (!this.interchange) return this.outside(segment);
      const events: X12Event[] = [];
      this.envelopeIssue(events, 'segment.outside_set', `Segment ${segment.id || '(no id)'} is outside any transaction set: ignored.`, segment);
      return events;
    }
    const positionInSet = ++set.count;
    const event: X12Event = { kind: 'segment', segment, set: set.header, positionInSet };
    if (!segment.tooLong && SEGMENT_ID.test(segment.id)) return [event];
    const events: X12Event[] = [event];
    if (segment.tooLong) this.tooLong(events, segment, positionInSet);
    else {
      this.setIssue(events, 'error', 'segment.unrecognized', `"${segment.id.slice(0, 20)}" is not a segment id.`, segment, positionInSet, { segmentError: '1', setError: '5' });
    }
    return events;
  }

  private tooLong(events: X12Event[], segment: X12Segment, positionInSet: number): void {
    this.setIssue(events, 'error', 'segment.too_long', `Segment ${segment.id} is ${segment.length} bytes, longer than the maximum segment length: the transaction set is rejected.`, segment, positionInSet, { segmentError: '8', elementError: '5', setError: '5' });
  }

  private outside(segment: X12Segment): X12Event[] {
    if (this.reportedOutside) return [];
    this.reportedOutside = true;
    const issue = createIssue('error', 'file', 'segment.outside_interchange', `Segment ${segment.id || '(no id)'} is outside any ISA/IEA interchange; it and what follows up to the next ISA are ignored.`, { position: segment.position, segmentId: segment.id });
    this.fileIssues.push(issue);
    return [{ kind: 'issue', issue }];
  }

  private envelopeIssue(events: X12Event[], code: string, message: string, segment: X12Segment): void {
    const scope = this.group ? 'group' : 'interchange';
    const issue = createIssue('error', scope, code, message, { position: segment.position, segmentId: segment.id });
    const owner = this.group ?? this.interchange;
    if (owner) owner.issues.push(issue);
    else this.fileIssues.push(issue);
    events.push({ kind: 'issue', issue });
  }

  private setIssue(events: X12Event[], severity: 'error' | 'warning', code: string, message: string, segment: X12Segment, positionInSet: number, ack: X12Issue['ack']): void {
    const issue = createIssue(severity, 'set', code, message, { position: segment.position, segmentId: segment.id, positionInSet, ...(ack ? { ack } : {}) });
    this.set?.issues.push(issue);
    events.push({ kind: 'issue', issue });
  }

  private groupIssue(events: X12Event[], group: OpenGroup, code: string, message: string, segment: X12Segment | undefined, groupError: string, position?: X12Position): void {
    const issue = createIssue('error', 'group', code, message, { position: segment?.position ?? position, ...(segment ? { segmentId: segment.id } : {}), ack: { groupError } });
    group.issues.push(issue);
    events.push({ kind: 'issue', issue });
  }

  private closeSet(events: X12Event[], position: X12Position | undefined, where: string): void {
    const set = this.set;
    if (!set) return;
    const issue = createIssue('error', 'set', 'se.missing', `Transaction set ${set.header.type} ${set.header.controlNumber} has no SE trailer (${where}): the set is rejected.`, { ...(position ? { position } : {}), segmentId: 'SE', ack: { setError: '2' } });
    set.issues.push(issue);
    events.push({ kind: 'issue', issue });
    this.finishSet(events, set, undefined);
  }

  private finishSet(events: X12Event[], set: OpenSet, trailerPosition: X12Position | undefined): void {
    const result: SetResult = { header: set.header, status: statusOf(set.issues), segmentCount: set.count, issues: set.issues };
    if (trailerPosition) result.trailerPosition = trailerPosition;
    this.group?.sets.push(result);
    this.set = undefined;
    events.push({ kind: 'set-end', result });
  }

  private closeGroup(events: X12Event[], position: X12Position | undefined, where: string): void {
    this.closeSet(events, position, where);
    const group = this.group;
    if (!group) return;
    this.groupIssue(events, group, 'ge.missing', `Functional group ${group.header.functionalId} ${group.header.controlNumber} has no GE trailer (${where}).`, undefined, '3', position ?? this.last());
    this.finishGroup(events, group);
  }

  private finishGroup(events: X12Event[], group: OpenGroup): void {
    const result: GroupResult = { header: group.header, sets: group.sets, issues: group.issues, status: 'accepted' };
    refreshGroupStatus(result);
    this.interchange?.groups.push(result);
    this.group = undefined;
    events.push({ kind: 'group-end', result });
  }

  private closeInterchange(events: X12Event[], position: X12Position | undefined, where: string): void {
    this.closeGroup(events, position, where);
    const interchange = this.interchange;
    if (!interchange) return;
    const issue = createIssue('error', 'interchange', 'iea.missing', `Interchange ${interchange.header.controlNumber} has no IEA trailer (${where}); its complete transaction sets are kept.`, { ...(position ?? this.last() ? { position: position ?? this.last() } : {}), segmentId: 'IEA' });
    interchange.issues.push(issue);
    events.push({ kind: 'issue', issue });
    this.finishInterchange(events, interchange);
  }

  private finishInterchange(events: X12Event[], interchange: OpenInterchange): void {
    const result: InterchangeResult = { header: interchange.header, groups: interchange.groups, issues: interchange.issues, status: 'accepted' };
    refreshInterchangeStatus(result);
    this.interchanges.push(result);
    this.interchange = undefined;
    events.push({ kind: 'interchange-end', result });
  }
}

/** A set with any error is rejected; warnings leave it accepted with errors noted. */
export function statusOf(issues: readonly X12Issue[]): EnvelopeStatus {
  if (hasErrors(issues)) return 'rejected';
  return issues.length > 0 ? 'accepted_with_errors' : 'accepted';
}

/** Recomputes a set's status after a transaction reader added issues to it. */
export function refreshSetStatus(result: SetResult): void {
  result.status = statusOf(result.issues);
}

export function refreshGroupStatus(result: GroupResult): void {
  const rejected = result.sets.filter((s) => s.status === 'rejected').length;
  if (result.sets.length === 0 || rejected === result.sets.length) result.status = 'rejected';
  else if (rejected > 0 || result.issues.length > 0 || result.sets.some((s) => s.status !== 'accepted')) result.status = 'accepted_with_errors';
  else result.status = 'accepted';
}

export function refreshInterchangeStatus(result: InterchangeResult): void {
  const groups = result.groups;
  if (groups.length > 0 && groups.every((g) => g.status === 'rejected')) result.status = 'rejected';
  else if (hasErrors(result.issues) || groups.some((g) => g.status !== 'accepted')) result.status = 'accepted_with_errors';
  else result.status = 'accepted';
}

/**
 * The shapes the X12 reader hands out. Segments keep X12's own numbering: `elements[0]` is the segment id, so
 * `elements[1]` is XX01 and the code reads like an implementation guide (`seg.elements[3]` is N103).
 */

/** Where something is in the file. `offset` counts bytes from the file's first byte (a BOM included). */
export type X12Position = {
  /** Byte offset of the segment's first character. */
  offset: number;
  /** 1-based ordinal of the segment in the file (ISA of the first interchange is 1). */
  segment: number;
  /** 1-based line of the segment's first character (1 for a file without line breaks). */
  line: number;
};

export type X12Separators = {
  element: string;
  component: string;
  segment: string;
  /** ISA11 in 005010 and later; `undefined` when ISA11 is the 004010 `U`. */
  repetition?: string;
};

export type X12Segment = {
  id: string;
  /** `elements[0]` is the id; `elements[n]` is XXnn. Empty elements are empty strings. */
  elements: string[];
  position: X12Position;
  /** Length in bytes without the terminator. */
  length: number;
  /** The segment was longer than the configured maximum: its elements were dropped, only the id is kept. */
  tooLong?: boolean;
  /** On an ISA only: the separators it declared (they apply until the next ISA). */
  separators?: X12Separators;
};

/** What the tokenizer hands the envelope reader: segments, and file-level issues (a BOM, bytes before an ISA). */
export type X12Token = { kind: 'segment'; segment: X12Segment } | { kind: 'issue'; issue: X12Issue };

export type X12Severity = 'error' | 'warning';

/**
 * Where an issue applies. An error with scope `set` rejects that transaction set and nothing else; a `group` or
 * `interchange` error is reported (and acknowledged) without costing the sets that were themselves complete.
 */
export type X12IssueScope = 'file' | 'interchange' | 'group' | 'set';

/** Codes for the acknowledgement (AK3/IK3 segment syntax error codes, AK4/IK4 element syntax error codes). */
export type X12AckCodes = {
  /** AK304/IK304: 1 unrecognized segment, 2 unexpected, 3 mandatory missing, 8 data element errors ... */
  segmentError?: string;
  /** AK403/IK403: 1 mandatory element missing, 4 too short, 5 too long, 6 invalid character, 7 invalid code, 8 invalid date. */
  elementError?: string;
  /** AK401/IK401: the element's position in the segment (1-based). */
  elementPosition?: number;
  /** AK404/IK404: a copy of the bad value. */
  badValue?: string;
  /** AK502/IK502 (set level) or AK905 (group level) code: 2 trailer missing, 3 control number mismatch, 4 count mismatch ... */
  setError?: string;
  groupError?: string;
};

export type X12Issue = {
  severity: X12Severity;
  scope: X12IssueScope;
  /** Stable code such as `se.count_mismatch`. */
  code: string;
  message: string;
  position?: X12Position;
  /** The segment the issue is about and its position inside its transaction set (ST = 1). */
  segmentId?: string;
  positionInSet?: number;
  ack?: X12AckCodes;
};

export type InterchangeHeader = {
  /** 0-based ordinal of the interchange in the file. */
  index: number;
  authorizationQualifier: string;
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  date: string;
  time: string;
  /** ISA11: `U` in 004010, the repetition separator in 005010. */
  standardsId: string;
  version: string;
  controlNumber: string;
  ackRequested: string;
  usage: string;
  separators: X12Separators;
  position: X12Position;
};

export type GroupHeader = {
  /** 0-based ordinals: interchange, and group within it. */
  interchangeIndex: number;
  index: number;
  functionalId: string;
  senderId: string;
  receiverId: string;
  date: string;
  time: string;
  controlNumber: string;
  agency: string;
  /** GS08, e.g. `004010` or `005010` (a trailing `X...` release suffix is kept as sent). */
  version: string;
  position: X12Position;
  /** True when a set appeared without a GS: the reader made up a group to hold it. */
  implicit?: boolean;
};

export type SetHeader = {
  interchangeIndex: number;
  groupIndex: number;
  /** 0-based ordinal of the set in its group. */
  index: number;
  /** ST01: 867, 852, 844 ... */
  type: string;
  controlNumber: string;
  /** ST03 (005010 implementation convention reference), when present. */
  implementation?: string;
  position: X12Position;
};

/** What became of a transaction set, group or interchange once its trailer (or the end of the file) was reached. */
export type EnvelopeStatus = 'accepted' | 'accepted_with_errors' | 'rejected';

export type SetResult = {
  header: SetHeader;
  status: EnvelopeStatus;
  /** Segments from ST to SE inclusive, as counted. */
  segmentCount: number;
  issues: X12Issue[];
  trailerPosition?: X12Position;
};

export type GroupResult = {
  header: GroupHeader;
  sets: SetResult[];
  issues: X12Issue[];
  /** GE was missing, or its counts or control number disagree. */
  status: EnvelopeStatus;
};

export type InterchangeResult = {
  header: InterchangeHeader;
  groups: GroupResult[];
  issues: X12Issue[];
  status: EnvelopeStatus;
};

/** The flat event stream of the envelope reader. Segments of a set arrive between its set-start and set-end. */
export type X12Event =
  | { kind: 'interchange-start'; interchange: InterchangeHeader }
  | { kind: 'group-start'; group: GroupHeader }
  | { kind: 'set-start'; set: SetHeader }
  | { kind: 'segment'; segment: X12Segment; set: SetHeader; positionInSet: number }
  | { kind: 'set-end'; result: SetResult }
  | { kind: 'group-end'; result: GroupResult }
  | { kind: 'interchange-end'; result: InterchangeResult }
  | { kind: 'issue'; issue: X12Issue };

export type X12ReadOptions = {
  /** Longest segment accepted, in bytes. A longer one is dropped, reported and rejects its set. Default 65536. */
  maxSegmentLength?: number;
  /** How element text is decoded. Default `utf8`; `latin1` for Windows-1252 names. */
  encoding?: 'utf8' | 'latin1';
  /**
   * How separators are found: `simd` (default) 16 bytes at a time in WebAssembly SIMD, falling back to `scalar`,
   * a byte at a time in JavaScript, where the runtime has no WebAssembly SIMD. Both read the same.
   */
  scan?: 'simd' | 'scalar';
};

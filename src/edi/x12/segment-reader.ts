import { isAscii } from 'node:buffer';
import { createIssue } from './errors.js';
import { detectSeparators, ISA_LENGTH, looksLikeIsa, type DetectedSeparators } from './separators.js';
import { createMarker, IS_LF_MARK, IS_TERMINATOR_MARK, MARK_WINDOW, POSITION, type Marker } from './marks.js';
import { parseDateBytes, parseDate, parseNumber, parseNumberBytes } from './values.js';
import type { X12Issue, X12Position, X12ReadOptions, X12Segment, X12Separators, X12Token } from './types.js';

export const DEFAULT_MAX_SEGMENT_LENGTH = 65_536;

const EMPTY = Buffer.alloc(0);
/** Size of a view's table of short element strings (a power of two). */
const SHORT_BITS = 10;
const SHORT_SLOTS = 1 << SHORT_BITS;
const CR = 0x0d;
const LF = 0x0a;
const IS_TERMINATOR = 1;
const IS_ELEMENT = 2;
const IS_LF = 4;
/** Positions must stay below `IS_LF_MARK`; a larger buffer is read by the general path. */
const MARK_LIMIT = IS_LF_MARK;
/**
 * The most bytes `scan` reads at once (and decodes to one string), and what the streaming readers batch. The fewer
 * records a batch holds, the less each young-generation collection has to copy: reading 200 MB as segment objects
 * (`parseX12`) took 1.61 s of CPU at best and 1.80 s at the median in 16 KiB batches, against 1.87 s and 2.02 s in
 * 64 KiB ones (eight interleaved runs each; the typed reader and the views measured the same both ways).
 */
export const X12_PIECE = 16 * 1024;

/**
 * A chunk as pieces of at most `X12_PIECE` bytes, a string as its UTF-8 bytes. The readers take any chunk size but
 * work a piece at a time: each piece is decoded to one string, and a string over 128 KiB is made in V8's
 * large-object space (one per 128 KiB chunk made reading 200 MB 1.5-2x slower); and a batch covers a piece, so the
 * records of a large chunk are not all alive at once (a batch per 1 MiB chunk outlived young-generation collections
 * and made reading 200 MB 2-4x slower).
 */
export function* piecesOf(chunk: Uint8Array | string): Generator<Buffer> {
  const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (buf.length <= X12_PIECE) yield buf;
  else for (let from = 0; from < buf.length; from += X12_PIECE) yield buf.subarray(from, from + X12_PIECE);
}

/** The characters `String.prototype.trim` removes that a single-byte text can hold: TAB..CR, space, NBSP (latin1). */
function isTrimmed(byte: number): boolean {
  // Ordered for the common byte, a letter or digit above 0x20: two comparisons.
  return byte <= 0x20 ? byte === 0x20 || (byte >= 0x09 && byte <= 0x0d) : byte === 0xa0;
}

function isUpper(byte: number): boolean {
  return byte >= 0x41 && byte <= 0x5a;
}

function isUpperOrDigit(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39);
}

/** `line` plus the line feeds in `buf[from..to)`. */
function countLines(buf: Uint8Array, from: number, to: number, line: number): number {
  for (let i = from; i < to; i++) if (buf[i] === LF) line++;
  return line;
}

/**
 * A segment id as a number, for switching on ids without cutting a string per segment: `QTY` is
 * `0x515459`, `N1` is `0x4e3100`. Ids that are not two or three characters, an uppercase letter then uppercase
 * letters or digits (what X12 allows), are -1.
 */
export function segmentCode(id: string): number {
  const len = id.length;
  if (len !== 2 && len !== 3) return -1;
  const a = id.charCodeAt(0);
  const b = id.charCodeAt(1);
  const c = len === 3 ? id.charCodeAt(2) : 0;
  if (!isUpper(a) || !isUpperOrDigit(b) || (len === 3 && !isUpperOrDigit(c))) return -1;
  return (a << 16) | (b << 8) | c;
}

/**
 * One segment as it lies in the bytes read, without an object or a string per element: `el(n)` cuts the
 * element's text only when asked, `number(n)` and `date(n)` read it from the bytes. The tokenizer hands the same
 * view out for every segment, so a view is only valid during the call that receives it; `toSegment()` gives a
 * standalone `X12Segment` to keep.
 *
 * Element numbering is X12's own, as in `X12Segment.elements`: element 0 is the id, element 1 is XX01.
 */
export class SegmentView {
  /** `segmentCode` of the id; -1 for an id X12 does not allow. */
  code = -1;
  /** Byte offset of the segment's first character from the start of the file, its ordinal and its line. */
  offset = 0;
  ordinal = 0;
  line = 1;
  /** Length in bytes without the terminator. */
  length = 0;
  tooLong = false;
  /** The separators of the interchange the segment is in. */
  separators: X12Separators | undefined;
  /** Elements, the id included. */
  count = 0;

  private buf: Buffer = EMPTY;
  /** `buf` decoded one character per byte (ASCII, or latin1 when asked), or undefined for multi-byte UTF-8. */
  private text: string | undefined;
  private encoding: 'utf8' | 'latin1' = 'utf8';
  private start = 0;
  private end = 0;
  /** Byte index of each element separator in the segment: `seps[sepBase]` is the first. */
  private seps: Int32Array = new Int32Array(64);
  private sepBase = 0;
  private kept: X12Segment | undefined;
  /**
   * Elements of one to three characters (qualifiers, units, codes: `32`, `EA`, `N4`, `003`) repeat on nearly every
   * segment: a small direct-mapped table gives the same string back instead of cutting a new one each time.
   */
  private readonly shortKeys = new Int32Array(SHORT_SLOTS).fill(-1);
  private readonly shortValues: string[] = new Array<string>(SHORT_SLOTS).fill('');

  /** The segment id as sent ('' when the segment starts with a separator). */
  get id(): string {
    return this.kept !== undefined ? this.kept.id : this.raw(0);
  }

  position(): X12Position {
    return { offset: this.offset, segment: this.ordinal, line: this.line };
  }

  /** Element `n` as sent, '' when the segment has fewer elements. */
  raw(n: number): string {
    if (this.kept !== undefined) return this.kept.elements[n] ?? '';
    if (n >= this.count) return '';
    return this.decode(this.from(n), this.to(n));
  }

  /** Element `n` trimmed, '' when absent. */
  el(n: number): string {
    if (this.kept !== undefined) return (this.kept.elements[n] ?? '').trim();
    if (n >= this.count) return '';
    let a = this.from(n);
    let b = this.to(n);
    if (this.text === undefined) return this.decode(a, b).trim();
    const buf = this.buf;
    while (a < b && isTrimmed(buf[a] as number)) a++;
    while (b > a && isTrimmed(buf[b - 1] as number)) b--;
    if (b - a <= 3) return a === b ? '' : this.short(a, b, this.text);
    return this.text.slice(a, b);
  }

  /** `parseNumber(el(n))`. */
  number(n: number): number | undefined {
    if (this.kept !== undefined || this.text === undefined) return parseNumber(this.el(n));
    if (n >= this.count) return undefined;
    let a = this.from(n);
    let b = this.to(n);
    const buf = this.buf;
    while (a < b && isTrimmed(buf[a] as number)) a++;
    while (b > a && isTrimmed(buf[b - 1] as number)) b--;
    return parseNumberBytes(buf, a, b, this.text);
  }

  /** `parseDate(el(n))`. */
  date(n: number): string | undefined {
    if (this.kept !== undefined || this.text === undefined) return parseDate(this.el(n));
    if (n >= this.count) return undefined;
    let a = this.from(n);
    let b = this.to(n);
    const buf = this.buf;
    while (a < b && isTrimmed(buf[a] as number)) a++;
    while (b > a && isTrimmed(buf[b - 1] as number)) b--;
    return parseDateBytes(buf, a, b);
  }

  /** The first component of element `n` (trimmed), as `firstComponent(el(n), component)`. */
  firstComponent(n: number, component: string): string {
    if (this.kept !== undefined || this.text === undefined) {
      const v = this.el(n);
      const i = v.indexOf(component);
      return i === -1 ? v : v.slice(0, i);
    }
    if (n >= this.count) return '';
    let a = this.from(n);
    let b = this.to(n);
    const buf = this.buf;
    while (a < b && isTrimmed(buf[a] as number)) a++;
    while (b > a && isTrimmed(buf[b - 1] as number)) b--;
    const c = component.charCodeAt(0);
    let i = a;
    while (i < b && buf[i] !== c) i++;
    if (i - a <= 3) return i === a ? '' : this.short(a, i, this.text);
    return this.text.slice(a, i);
  }

  /** The segment as a standalone object (the same object for repeated calls on one segment). */
  toSegment(): X12Segment {
    if (this.kept !== undefined) return this.kept;
    const count = this.count;
    const elements: string[] = new Array<string>(count);
    for (let n = 0; n < count; n++) elements[n] = this.decode(this.from(n), this.to(n));
    const segment: X12Segment = { id: elements[0] ?? '', elements, position: this.position(), length: this.length };
    if (segment.id === 'ISA' && this.separators) segment.separators = this.separators;
    this.kept = segment;
    return segment;
  }

  /** Points the view at the bytes segments are cut from next, until `setSegment`. */
  setChunk(buf: Buffer, text: string | undefined, encoding: 'utf8' | 'latin1', separators: X12Separators): void {
    this.buf = buf;
    this.text = text;
    this.encoding = encoding;
    this.separators = separators;
  }

  /**
   * Points the view at a segment the tokenizer found in the chunk given to `setChunk`: `buf[start..end)`, with its
   * element separators at `seps[sepBase..sepBase + separatorCount)`.
   */
  set(start: number, end: number, seps: Int32Array, sepBase: number, separatorCount: number, offset: number, ordinal: number, line: number): void {
    this.start = start;
    this.end = end;
    this.seps = seps;
    this.sepBase = sepBase;
    this.count = separatorCount + 1;
    this.offset = offset;
    this.ordinal = ordinal;
    this.line = line;
    this.length = end - start;
    this.tooLong = false;
    this.kept = undefined;
    const buf = this.buf;
    const idLength = (separatorCount > 0 ? (seps[sepBase] as number) : end) - start;
    let code = -1;
    if (idLength === 2 || idLength === 3) {
      const a = buf[start] as number;
      const b = buf[start + 1] as number;
      const c = idLength === 3 ? (buf[start + 2] as number) : 0;
      if (isUpper(a) && isUpperOrDigit(b) && (idLength === 2 || isUpperOrDigit(c))) code = (a << 16) | (b << 8) | c;
    }
    this.code = code;
  }

  /** Points the view at a standalone segment (one dropped as too long, or one a caller built). */
  setSegment(segment: X12Segment): void {
    this.buf = EMPTY;
    this.text = undefined;
    this.count = segment.elements.length;
    this.offset = segment.position.offset;
    this.ordinal = segment.position.segment;
    this.line = segment.position.line;
    this.length = segment.length;
    this.tooLong = segment.tooLong === true;
    this.separators = segment.separators;
    this.kept = segment;
    this.code = segmentCode(segment.id);
  }

  private from(n: number): number {
    return n === 0 ? this.start : (this.seps[this.sepBase + n - 1] as number) + 1;
  }

  private to(n: number): number {
    return n < this.count - 1 ? (this.seps[this.sepBase + n] as number) : this.end;
  }

  private decode(a: number, b: number): string {
    if (a >= b) return '';
    const text = this.text;
    if (text === undefined) return this.buf.toString(this.encoding, a, b);
    return b - a <= 3 ? this.short(a, b, text) : text.slice(a, b);
  }

  /**
   * `text.slice(a, b)` for one to three characters: one character from V8's table of them, two or three from this
   * view's table when seen recently.
   */
  private short(a: number, b: number, text: string): string {
    const buf = this.buf;
    const len = b - a;
    if (len === 1) return text.charAt(a);
    let key = (len << 16) | ((buf[a] as number) << 8) | (buf[a + 1] as number);
    if (len === 3) key = (key << 8) | (buf[a + 2] as number);
    // Fibonacci hashing (the top bits of key times 2^32/phi): ids and qualifiers that differ in one letter, such as
    // `DTM` and `LIN`, land in different slots.
    const slot = Math.imul(key, 0x9e3779b1) >>> (32 - SHORT_BITS);
    if (this.shortKeys[slot] === key) return this.shortValues[slot] as string;
    const value = text.slice(a, b);
    this.shortKeys[slot] = key;
    this.shortValues[slot] = value;
    return value;
  }
}

/** Receives what the tokenizer reads, synchronously. The view is reused for the next segment. */
export interface SegmentSink {
  segment(view: SegmentView): void;
  issue(issue: X12Issue): void;
}

/** Turns sink calls back into tokens, for `push` and `end`. */
class TokenCollector implements SegmentSink {
  out: X12Token[] = [];

  segment(view: SegmentView): void {
    this.out.push({ kind: 'segment', segment: view.toSegment() });
  }

  issue(issue: X12Issue): void {
    this.out.push({ kind: 'issue', issue });
  }
}

/**
 * Cuts a byte stream into segments, one chunk at a time. Memory is bounded by the chunk size plus one segment:
 * bytes are only kept between chunks when a segment spans them, and a segment longer than `maxSegmentLength` is
 * skipped to its terminator instead of being gathered. Work is linear in the input (each byte is looked at a
 * bounded number of times), so no input can make it hang.
 *
 * Separators come from each ISA, so one file may hold interchanges written with different separators.
 * Whitespace between segments (CRLF, LF, indentation) and a UTF-8 BOM are skipped; a final segment without a
 * terminator is accepted with a warning.
 *
 * `push`/`end` return tokens (an `X12Segment` per segment). `scan`/`finish` hand each segment to a sink as a
 * reused `SegmentView` instead, which is what the envelope and transaction readers use: one pass over the bytes
 * finds the terminator and every element separator, and no string is cut until an element is read.
 */
export class SegmentTokenizer {
  private readonly maxSegmentLength: number;
  private readonly encoding: 'utf8' | 'latin1';
  private carry: Buffer = EMPTY;
  private carryOffset = 0;
  private nextChunkOffset = 0;
  private bomChecked = false;
  private seps: DetectedSeparators | undefined;
  private segmentCount = 0;
  private line = 1;
  /** Skipping an oversized segment up to its terminator. */
  private discarding = false;
  /** Skipping bytes that are not inside an interchange, looking for the next ISA. */
  private reportedStray = false;
  private finished = false;
  private readonly view = new SegmentView();
  private sepPositions: Int32Array = new Int32Array(64);
  /** `readPlain`'s first pass (made on first use: the SIMD one holds 384 KiB of WebAssembly memory). */
  private marker: Marker | undefined;
  private readonly scanKind: 'simd' | 'scalar';
  /** What the last `scanSegment` found: element separators in `sepPositions`, line feeds inside the segment. */
  private scanElements = 0;
  private scanLines = 0;
  /** For each byte value: whether it is the terminator, the element separator, a line feed (`IS_*` bits). */
  private readonly classes = new Uint8Array(256);
  /** The separators `classes` was filled for. */
  private classesFor: DetectedSeparators | undefined;
  private collector: TokenCollector | undefined;

  constructor(options: X12ReadOptions = {}) {
    this.maxSegmentLength = Math.max(ISA_LENGTH, options.maxSegmentLength ?? DEFAULT_MAX_SEGMENT_LENGTH);
    this.encoding = options.encoding ?? 'utf8';
    this.scanKind = options.scan ?? 'simd';
  }

  /** Bytes consumed so far (segments handed out or skipped), for progress reports. */
  get bytesConsumed(): number {
    return this.nextChunkOffset - this.carry.length;
  }

  /** Segments read so far (too long ones included, empty ones not). */
  get segmentsRead(): number {
    return this.segmentCount;
  }

  push(chunk: Uint8Array): X12Token[] {
    const collector = (this.collector ??= new TokenCollector());
    collector.out = [];
    this.scan(chunk, collector);
    return collector.out;
  }

  end(): X12Token[] {
    if (this.finished) return [];
    const collector = (this.collector ??= new TokenCollector());
    collector.out = [];
    this.finish(collector);
    return collector.out;
  }

  /**
   * Reads a chunk (a string as its UTF-8 bytes), handing every complete segment and issue in it to `sink` before
   * returning.
   */
  scan(chunk: Uint8Array | string, sink: SegmentSink): void {
    if (this.finished) throw new Error('SegmentTokenizer.push after end()');
    for (const piece of piecesOf(chunk)) this.process(piece, false, sink);
  }

  /** The end of the input: the last segment (terminated or not) and the issues only the end can tell. */
  finish(sink: SegmentSink): void {
    if (this.finished) return;
    this.process(EMPTY, true, sink);
    this.finished = true;
  }

  private process(chunk: Buffer, final: boolean, sink: SegmentSink): void {
    const carry = this.carry;
    const chunkOffset = this.nextChunkOffset;
    this.nextChunkOffset += chunk.length;
    this.carry = EMPTY;
    if (carry.length === 0) return this.read(chunk, chunkOffset, final, sink);
    if (chunk.length === 0) return this.read(carry, this.carryOffset, final, sink);
    // A segment cut by the previous chunk's end: the kept bytes are joined with this chunk only up to its first
    // terminator, and the rest of the chunk is read where it lies instead of being copied after them.
    const seps = this.seps;
    const t = seps !== undefined && !this.discarding ? chunk.indexOf(seps.terminatorByte) : -1;
    if (t === -1) return this.read(Buffer.concat([carry, chunk]), this.carryOffset, final, sink);
    this.read(Buffer.concat([carry, chunk.subarray(0, t + 1)]), this.carryOffset, false, sink);
    const rest = chunk.subarray(t + 1);
    const kept = this.carry;
    if (kept.length === 0) return this.read(rest, chunkOffset + t + 1, final, sink);
    // Something the head could not finish (an ISA cut short): read it again with the rest.
    this.carry = EMPTY;
    return this.read(Buffer.concat([kept, rest]), this.carryOffset, final, sink);
  }

  /** Reads `buf`, whose first byte is at `base` in the file, keeping an unfinished segment at its end in `carry`. */
  private read(buf: Buffer, base: number, final: boolean, sink: SegmentSink): void {
    const len = buf.length;
    // Decoding the chunk once and slicing strings is much cheaper than decoding each element; byte and character
    // offsets agree only for single-byte text, so a chunk with UTF-8 sequences decodes element by element.
    const text = this.encoding === 'latin1' || isAscii(buf) ? buf.toString('latin1', 0, len) : undefined;
    const view = this.view;
    let pos = 0;
    // `pos` and `line` stay plain locals (no closure captures them), so the segment loop keeps them in registers.
    let line = this.line;

    if (!this.bomChecked) {
      if (len < 3 && !final) {
        this.keep(buf, 0, base);
        return;
      }
      this.bomChecked = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        sink.issue(createIssue('warning', 'file', 'file.bom', 'The file starts with a UTF-8 byte-order mark; it was skipped.', { position: this.here(base, false, line) }));
        line = countLines(buf, pos, 3, line);
        pos = 3;
      }
    }

    while (pos < len) {
      if (this.discarding) {
        const t = buf.indexOf((this.seps as DetectedSeparators).terminatorByte, pos);
        if (t === -1) {
          line = countLines(buf, pos, len, line);
          break;
        }
        line = countLines(buf, pos, t + 1, line);
        pos = t + 1;
        this.discarding = false;
        continue;
      }
      if (this.seps !== undefined) {
        // The common run of plain segments; it returns at anything it leaves to the general path below.
        this.line = line;
        pos = this.readPlain(buf, text, pos, len, base, sink);
        line = this.line;
      }
      let p = pos;
      // Most segments start right after the previous terminator or after one line feed.
      while (p < len) {
        const b = buf[p] as number;
        if (b === LF) line++;
        else if (b !== 0x20 && b !== CR && b !== 0x09) break;
        p++;
      }
      pos = p;
      if (pos >= len) break;
      const rest = len - pos;
      if (rest < 4 && !final) {
        this.keep(buf, pos, base);
        break;
      }

      if (buf[pos] === 0x49 && looksLikeIsa(buf, pos)) {
        if (rest < ISA_LENGTH && !final) {
          this.keep(buf, pos, base);
          break;
        }
        const detected = detectSeparators(buf, pos, len);
        if ('error' in detected && detected.needMore && !final) {
          this.keep(buf, pos, base);
          break;
        }
        if ('error' in detected) {
          sink.issue(createIssue('error', 'file', 'isa.unreadable', `${detected.error} The interchange is skipped up to the next ISA.`, { position: this.here(base + pos, false, line), segmentId: 'ISA' }));
          this.seps = undefined;
          this.reportedStray = true;
          line = countLines(buf, pos, pos + 3, line);
          pos = pos + 3;
          continue;
        }
        this.seps = detected;
        this.reportedStray = false;
        for (const w of detected.warnings) {
          sink.issue(createIssue('warning', 'interchange', 'isa.length', w, { position: this.here(base + pos, false, line), segmentId: 'ISA' }));
        }
      }

      const seps = this.seps;
      if (!seps) {
        // Bytes outside any interchange: report once, then look for the next ISA.
        if (!this.reportedStray) {
          sink.issue(createIssue('error', 'file', 'isa.missing', 'Data found where an ISA interchange header was expected; it was skipped up to the next ISA.', { position: this.here(base + pos, false, line) }));
          this.reportedStray = true;
        }
        const next = buf.indexOf('ISA', pos + 1, 'latin1');
        if (next === -1) {
          const from = final ? len : Math.max(pos, len - 3);
          line = countLines(buf, pos, from, line);
          if (!final) this.keep(buf, from, base);
          break;
        }
        line = countLines(buf, pos, next, line);
        pos = next;
        continue;
      }

      const terminator = seps.terminatorByte;
      const classes = seps === this.classesFor ? this.classes : this.classify(seps);
      const t = this.scanSegment(buf, pos, len, classes);
      const positions = this.sepPositions;
      let n = this.scanElements;
      let inside = this.scanLines;
      let end: number;
      let next: number;
      if (t === len) {
        if (!final) {
          if (rest > this.maxSegmentLength) {
            this.segmentCount++;
            this.tooLong(buf, pos, rest, this.here(base + pos, true, line), sink);
            this.discarding = true;
            line += inside;
            break;
          }
          this.keep(buf, pos, base);
          break;
        }
        end = len;
        next = len;
        sink.issue(createIssue('warning', 'file', 'segment.unterminated', `The last segment has no terminator "${seps.separators.segment}"; it was read to the end of the file.`, { position: this.here(base + pos, false, line) }));
      } else {
        end = t;
        next = t + 1;
        if (terminator === LF) inside++;
      }
      // A line break just before the terminator (terminator on its own line) is layout, not data.
      if (terminator !== LF && terminator !== CR) {
        while (end > pos && (buf[end - 1] === LF || buf[end - 1] === CR)) end--;
        while (n > 0 && (positions[n - 1] as number) >= end) n--;
      }
      if (end === pos) {
        // `~~` or a stray terminator at the end: nothing to read, and not counted as a segment.
        sink.issue(createIssue('warning', 'file', 'segment.empty', `An empty segment (a stray "${seps.separators.segment}") was skipped.`, { position: this.here(base + pos, false, line) }));
        line += inside;
        pos = next;
        continue;
      }
      this.segmentCount++;
      const length = end - pos;
      if (length > this.maxSegmentLength) {
        this.tooLong(buf, pos, length, this.here(base + pos, true, line), sink);
      } else {
        view.setChunk(buf, text, this.encoding, seps.separators);
        view.set(pos, end, positions, 0, n, base + pos, this.segmentCount, line);
        this.line = line;
        sink.segment(view);
      }
      line += inside;
      pos = next;
    }
    this.line = line;
  }

  /**
   * Reads segments from `pos` for as long as they are plain: terminated within `buf`, not empty, not too long, not
   * an ISA, with at least four bytes left. Returns where it stopped (after any whitespace, with `this.line` the line
   * there), for `read` to deal with what follows. The same reading as `read`'s, done in two passes over a window of
   * the chunk: the marker (marks.ts) finds every separator, terminator and line feed in it, then each segment is cut
   * from those marks. Keeping the byte loop out of the per-segment loop also keeps its speed from hanging on what V8
   * inlines there (with the byte loop inside it, one run in two came out 60 % slower).
   */
  private readPlain(buf: Buffer, text: string | undefined, pos: number, len: number, base: number, sink: SegmentSink): number {
    const seps = this.seps as DetectedSeparators;
    const terminator = seps.terminatorByte;
    const element = seps.elementByte;
    // Separators that are themselves line breaks (and buffers too large for the marks) take the general path.
    if (terminator === LF || terminator === CR || element === LF || element === CR || len > MARK_LIMIT) return pos;
    const marker = (this.marker ??= createMarker(this.scanKind));
    const marks = marker.marks;
    const view = this.view;
    view.setChunk(buf, text, this.encoding, seps.separators);
    const max = this.maxSegmentLength;
    let line = this.line;
    let count = 0;
    let markedFrom = -1;
    let markedTo = pos;
    let m = 0;
    for (;;) {
      let p = pos;
      while (p < len) {
        const b = buf[p] as number;
        if (b === LF) line++;
        else if (b !== 0x20 && b !== CR && b !== 0x09) break;
        p++;
      }
      pos = p;
      if (len - pos < 4 || (buf[pos] === 0x49 && looksLikeIsa(buf, pos))) break;
      // Marks before `pos` are line feeds of the whitespace just skipped (counted above).
      while (m < count && ((marks[m] as number) & POSITION) < pos) m++;
      const first = m;
      let n = 0;
      let inside = 0;
      let mark = 0;
      while (m < count && (mark = marks[m] as number) < IS_TERMINATOR_MARK) {
        if (mark >= IS_LF_MARK) inside++;
        else n++;
        m++;
      }
      if (m === count) {
        // The window ends inside this segment: mark the next one from the segment's start. When the chunk ends
        // here, or the segment is longer than a window, the general path takes it.
        if (markedTo >= len || markedFrom === pos) break;
        markedFrom = pos;
        markedTo = Math.min(len, pos + MARK_WINDOW);
        count = marker.mark(buf, pos, markedTo, terminator, element);
        m = 0;
        continue;
      }
      m++;
      const t = mark - IS_TERMINATOR_MARK;
      let positions = marks;
      let sepBase = first;
      if (inside > 0) {
        // Line feeds inside the segment: its element separators, without them, go to `sepPositions`.
        positions = this.sepPositions;
        if (positions.length < n) positions = this.grow(n);
        sepBase = 0;
        let k = 0;
        for (let i = first; i < m - 1; i++) {
          const v = marks[i] as number;
          if (v < IS_LF_MARK) positions[k++] = v;
        }
      }
      let end = t;
      while (end > pos && (buf[end - 1] === LF || buf[end - 1] === CR)) end--;
      while (n > 0 && (positions[sepBase + n - 1] as number) >= end) n--;
      if (end === pos || end - pos > max) break;
      this.segmentCount++;
      view.set(pos, end, positions, sepBase, n, base + pos, this.segmentCount, line);
      this.line = line;
      sink.segment(view);
      line += inside;
      pos = t + 1;
    }
    this.line = line;
    return pos;
  }

  /**
   * One pass over a segment from `pos`: returns the index of its terminator (`len` when it has not ended in `buf`),
   * with the element separators' indexes in `sepPositions[0..scanElements)` and the line feeds met in `scanLines`.
   * Bytes are classed through a table so that the common byte (none of the three) costs one lookup and one compare.
   */
  private scanSegment(buf: Buffer, pos: number, len: number, classes: Uint8Array): number {
    let positions = this.sepPositions;
    let n = 0;
    let inside = 0;
    let t = pos;
    for (;;) {
      let k = 0;
      while (t < len && (k = classes[buf[t] as number] as number) === 0) t++;
      if (t === len || (k & IS_TERMINATOR) !== 0) break;
      if ((k & IS_ELEMENT) !== 0) {
        if (n === positions.length) positions = this.grow();
        positions[n++] = t;
      }
      if ((k & IS_LF) !== 0) inside++;
      t++;
    }
    this.scanElements = n;
    this.scanLines = inside;
    return t;
  }

  /** Keeps `buf[from..]` for the next chunk: a segment that has not ended yet. */
  private keep(buf: Buffer, from: number, base: number): void {
    this.carry = Buffer.from(buf.subarray(from));
    this.carryOffset = base + from;
  }

  /** The position of a segment (or an issue) starting at byte `offset` of the file. */
  private here(offset: number, counted: boolean, line: number): X12Position {
    return { offset, segment: counted ? this.segmentCount : this.segmentCount + 1, line };
  }

  private classify(seps: DetectedSeparators): Uint8Array {
    const classes = this.classes;
    classes.fill(0);
    classes[LF] = IS_LF;
    classes[seps.elementByte] = (classes[seps.elementByte] as number) | IS_ELEMENT;
    classes[seps.terminatorByte] = (classes[seps.terminatorByte] as number) | IS_TERMINATOR;
    this.classesFor = seps;
    return classes;
  }

  private grow(least = 0): Int32Array {
    const bigger = new Int32Array(Math.max(least, this.sepPositions.length * 2));
    bigger.set(this.sepPositions);
    this.sepPositions = bigger;
    return bigger;
  }

  private tooLong(buf: Buffer, pos: number, length: number, position: X12Position, sink: SegmentSink): void {
    const seps = this.seps as DetectedSeparators;
    let idEnd = pos;
    while (idEnd < buf.length && idEnd - pos < 3 && buf[idEnd] !== seps.elementByte) idEnd++;
    const id = buf.toString('latin1', pos, idEnd);
    this.view.setSegment({ id, elements: [id], position, length, tooLong: true });
    sink.segment(this.view);
  }
}

/** Segments and file-level issues of a byte stream, in batches (one per piece, see `piecesOf`), without holding the file. */
export async function* tokenizeX12(source: AsyncIterable<Uint8Array | string>, options: X12ReadOptions = {}): AsyncGenerator<X12Token[]> {
  const tokenizer = new SegmentTokenizer(options);
  for await (const chunk of source) {
    for (const piece of piecesOf(chunk)) {
      const out = tokenizer.push(piece);
      if (out.length > 0) yield out;
    }
  }
  const out = tokenizer.end();
  if (out.length > 0) yield out;
}

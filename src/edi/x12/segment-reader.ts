import { isAscii } from 'node:buffer';
import { createIssue } from './errors.js';
import { detectSeparators, ISA_LENGTH, looksLikeIsa, type DetectedSeparators } from './separators.js';
import type { X12Position, X12ReadOptions, X12Segment, X12Token } from './types.js';

export const DEFAULT_MAX_SEGMENT_LENGTH = 65_536;

const EMPTY = Buffer.alloc(0);
const CR = 0x0d;
const LF = 0x0a;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === LF || byte === CR || byte === 0x09;
}

/**
 * Cuts a byte stream into segments, one chunk at a time. Memory is bounded by the chunk size plus one segment:
 * bytes are only kept between chunks when a segment spans them, and a segment longer than `maxSegmentLength` is
 * skipped to its terminator instead of being gathered. Work is linear in the input (each byte is looked at a
 * bounded number of times, `indexOf` does the scanning), so no input can make it hang.
 *
 * Separators come from each ISA, so one file may hold interchanges written with different separators.
 * Whitespace between segments (CRLF, LF, indentation) and a UTF-8 BOM are skipped; a final segment without a
 * terminator is accepted with a warning.
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

  constructor(options: X12ReadOptions = {}) {
    this.maxSegmentLength = Math.max(ISA_LENGTH, options.maxSegmentLength ?? DEFAULT_MAX_SEGMENT_LENGTH);
    this.encoding = options.encoding ?? 'utf8';
  }

  /** Bytes consumed so far (segments handed out or skipped), for progress reports. */
  get bytesConsumed(): number {
    return this.nextChunkOffset - this.carry.length;
  }

  push(chunk: Uint8Array): X12Token[] {
    if (this.finished) throw new Error('SegmentTokenizer.push after end()');
    return this.process(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), false);
  }

  end(): X12Token[] {
    if (this.finished) return [];
    const out = this.process(EMPTY, true);
    this.finished = true;
    return out;
  }

  private process(chunk: Buffer, final: boolean): X12Token[] {
    const out: X12Token[] = [];
    let buf: Buffer;
    let base: number;
    if (this.carry.length > 0) {
      buf = chunk.length > 0 ? Buffer.concat([this.carry, chunk]) : this.carry;
      base = this.carryOffset;
    } else {
      buf = chunk;
      base = this.nextChunkOffset;
    }
    this.nextChunkOffset += chunk.length;
    this.carry = EMPTY;
    const len = buf.length;
    // Decoding the chunk once and slicing strings is much cheaper than decoding each segment; byte and character
    // offsets agree only for single-byte text, so a chunk with UTF-8 sequences decodes segment by segment.
    const text = this.encoding === 'latin1' || isAscii(buf) ? buf.toString('latin1') : undefined;
    let pos = 0;
    // Lines: `nl` is the next line feed at or after `pos`; each line feed is visited once however segments fall.
    let nl = buf.indexOf(LF);
    const advance = (to: number): void => {
      while (nl !== -1 && nl < to) {
        this.line++;
        nl = buf.indexOf(LF, nl + 1);
      }
      pos = to;
    };
    const keep = (from: number): void => {
      this.carry = Buffer.from(buf.subarray(from));
      this.carryOffset = base + from;
    };
    const here = (at: number, counted: boolean): X12Position => ({ offset: base + at, segment: counted ? this.segmentCount : this.segmentCount + 1, line: this.line });

    if (!this.bomChecked) {
      if (len < 3 && !final) {
        keep(0);
        return out;
      }
      this.bomChecked = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        out.push({ kind: 'issue', issue: createIssue('warning', 'file', 'file.bom', 'The file starts with a UTF-8 byte-order mark; it was skipped.', { position: here(0, false) }) });
        advance(3);
      }
    }

    while (pos < len) {
      if (this.discarding) {
        const t = buf.indexOf((this.seps as DetectedSeparators).terminatorByte, pos);
        if (t === -1) {
          advance(len);
          break;
        }
        advance(t + 1);
        this.discarding = false;
        continue;
      }
      let p = pos;
      while (p < len && isWhitespace(buf[p] as number)) p++;
      if (p !== pos) advance(p);
      if (pos >= len) break;
      const rest = len - pos;
      if (rest < 4 && !final) {
        keep(pos);
        break;
      }

      if (looksLikeIsa(buf, pos)) {
        if (rest < ISA_LENGTH && !final) {
          keep(pos);
          break;
        }
        const detected = detectSeparators(buf, pos, len);
        if ('error' in detected && detected.needMore && !final) {
          keep(pos);
          break;
        }
        if ('error' in detected) {
          out.push({ kind: 'issue', issue: createIssue('error', 'file', 'isa.unreadable', `${detected.error} The interchange is skipped up to the next ISA.`, { position: here(pos, false), segmentId: 'ISA' }) });
          this.seps = undefined;
          this.reportedStray = true;
          advance(pos + 3);
          continue;
        }
        this.seps = detected;
        this.reportedStray = false;
        for (const w of detected.warnings) {
          out.push({ kind: 'issue', issue: createIssue('warning', 'interchange', 'isa.length', w, { position: here(pos, false), segmentId: 'ISA' }) });
        }
      }

      const seps = this.seps;
      if (!seps) {
        // Bytes outside any interchange: report once, then look for the next ISA.
        if (!this.reportedStray) {
          out.push({ kind: 'issue', issue: createIssue('error', 'file', 'isa.missing', 'Data found where an ISA interchange header was expected; it was skipped up to the next ISA.', { position: here(pos, false) }) });
          this.reportedStray = true;
        }
        const next = buf.indexOf('ISA', pos + 1, 'latin1');
        if (next === -1) {
          if (!final) {
            const from = Math.max(pos, len - 3);
            advance(from);
            keep(from);
          } else advance(len);
          break;
        }
        advance(next);
        continue;
      }

      const t = buf.indexOf(seps.terminatorByte, pos);
      let end: number;
      let next: number;
      if (t === -1) {
        if (!final) {
          if (rest > this.maxSegmentLength) {
            this.segmentCount++;
            out.push(this.tooLong(buf, pos, rest, here(pos, true)));
            this.discarding = true;
            advance(len);
            break;
          }
          keep(pos);
          break;
        }
        end = len;
        next = len;
        out.push({ kind: 'issue', issue: createIssue('warning', 'file', 'segment.unterminated', `The last segment has no terminator "${seps.separators.segment}"; it was read to the end of the file.`, { position: here(pos, false) }) });
      } else {
        end = t;
        next = t + 1;
      }
      // A line break just before the terminator (terminator on its own line) is layout, not data.
      while (end > pos && (buf[end - 1] === LF || buf[end - 1] === CR) && seps.terminatorByte !== LF && seps.terminatorByte !== CR) end--;
      if (end === pos) {
        // `~~` or a stray terminator at the end: nothing to read, and not counted as a segment.
        out.push({ kind: 'issue', issue: createIssue('warning', 'file', 'segment.empty', `An empty segment (a stray "${seps.separators.segment}") was skipped.`, { position: here(pos, false) }) });
        advance(next);
        continue;
      }
      this.segmentCount++;
      const position = here(pos, true);
      const length = end - pos;
      if (length > this.maxSegmentLength) {
        out.push(this.tooLong(buf, pos, length, position));
        advance(next);
        continue;
      }
      const elements = (text !== undefined ? text.slice(pos, end) : buf.toString('utf8', pos, end)).split(seps.separators.element);
      const segment: X12Segment = { id: elements[0] ?? '', elements, position, length };
      if (segment.id === 'ISA') segment.separators = seps.separators;
      out.push({ kind: 'segment', segment });
      advance(next);
    }
    return out;
  }

  private tooLong(buf: Buffer, pos: number, length: number, position: X12Position): X12Token {
    const seps = this.seps as DetectedSeparators;
    let idEnd = pos;
    while (idEnd < buf.length && idEnd - pos < 3 && buf[idEnd] !== seps.elementByte) idEnd++;
    const id = buf.toString('latin1', pos, idEnd);
    return { kind: 'segment', segment: { id, elements: [id], position, length, tooLong: true } };
  }
}

/** Segments and file-level issues of a byte stream, in batches (one per chunk read), without holding the file. */
export async function* tokenizeX12(source: AsyncIterable<Uint8Array | string>, options: X12ReadOptions = {}): AsyncGenerator<X12Token[]> {
  const tokenizer = new SegmentTokenizer(options);
  for await (const chunk of source) {
    const out = tokenizer.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    if (out.length > 0) yield out;
  }
  const out = tokenizer.end();
  if (out.length > 0) yield out;
}

import { createReadStream } from 'node:fs';

export type Line = { bytes: Buffer; lineNumber: number; start: number; end: number } | { tooLong: true; lineNumber: number; start: number; end: number; head: Buffer };

/**
 * Lines of a file as bytes, with the byte offset where each starts and where the next one starts, so a fixed-width
 * layout slices by byte position and a resumed run seeks straight back. LF or CRLF; a UTF-8 BOM at the start of the
 * file is skipped. A line longer than `maxLineLength` is reported (with its first bytes) and skipped without being
 * held in memory, so a file without newlines can never exhaust memory. Line numbers count from the resume offset.
 */
export async function* readLines(file: string, options: { start?: number; maxLineLength: number; firstLineNumber?: number }): AsyncGenerator<Line> {
  const start = options.start ?? 0;
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let lineStart = start;
  let position = start;
  let lineNumber = options.firstLineNumber ?? 1;
  let overflow: Buffer | undefined;
  let first = start === 0;

  const finish = (end: number, next: number): Line | undefined => {
    let line: Line | undefined;
    if (overflow) {
      line = { tooLong: true, lineNumber, start: lineStart, end: next, head: overflow };
    } else {
      let bytes = pendingLength === 0 ? Buffer.alloc(0) : pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingLength);
      if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
      line = { bytes, lineNumber, start: lineStart, end: next };
    }
    void end;
    pending = [];
    pendingLength = 0;
    overflow = undefined;
    lineNumber += 1;
    lineStart = next;
    return line;
  };

  for await (const chunk of createReadStream(file, { start, highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    let data = chunk;
    let base = position;
    if (first) {
      first = false;
      if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
        data = data.subarray(3);
        base += 3;
        lineStart += 3;
      }
    }
    position = base + data.length;
    let from = 0;
    for (;;) {
      const nl = data.indexOf(0x0a, from);
      const piece = data.subarray(from, nl === -1 ? data.length : nl);
      if (!overflow) {
        if (pendingLength + piece.length > options.maxLineLength) {
          overflow = Buffer.concat([...pending, piece]).subarray(0, 200);
          pending = [];
          pendingLength = 0;
        } else if (piece.length > 0) {
          // Copy: the chunk buffer is reused by nobody, but a slice would pin the whole 256 KB chunk.
          pending.push(nl === -1 ? Buffer.from(piece) : piece);
          pendingLength += piece.length;
        }
      }
      if (nl === -1) break;
      const line = finish(base + nl, base + nl + 1);
      if (line) yield line;
      from = nl + 1;
    }
  }
  if (pendingLength > 0 || overflow) {
    const line = finish(position, position);
    if (line) yield line;
  }
}

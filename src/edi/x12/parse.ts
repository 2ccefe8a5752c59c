import { EnvelopeValidator } from './envelope.js';
import { SegmentTokenizer } from './segment-reader.js';
import type { InterchangeResult, X12Event, X12Issue, X12ReadOptions } from './types.js';

export type X12Source = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * The envelope reader: a byte stream in, batches of events out (one batch per chunk read), checked as it goes.
 * Nothing of the file is kept but one result per transaction set. Take a `Readable` (`createReadStream(file)`),
 * any async iterable of chunks, or an array of buffers in tests.
 */
export async function* parseX12(source: X12Source, options: X12ReadOptions = {}): AsyncGenerator<X12Event[]> {
  const tokenizer = new SegmentTokenizer(options);
  const validator = new EnvelopeValidator();
  for await (const chunk of source) {
    const tokens = tokenizer.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    if (tokens.length === 0) continue;
    const events: X12Event[] = [];
    for (const token of tokens) for (const event of validator.push(token)) events.push(event);
    if (events.length > 0) yield events;
  }
  const events: X12Event[] = [];
  for (const token of tokenizer.end()) for (const event of validator.push(token)) events.push(event);
  for (const event of validator.end()) events.push(event);
  if (events.length > 0) yield events;
}

export type X12Summary = {
  interchanges: InterchangeResult[];
  /** Issues outside any interchange (BOM, stray bytes, an unreadable ISA). */
  fileIssues: X12Issue[];
  segments: number;
  bytes: number;
};

/** Reads a whole source for its structure and issues (the segments themselves are not kept). */
export async function summarizeX12(source: X12Source, options: X12ReadOptions = {}): Promise<X12Summary> {
  const tokenizer = new SegmentTokenizer(options);
  const validator = new EnvelopeValidator();
  let segments = 0;
  const feed = (tokens: ReturnType<SegmentTokenizer['push']>): void => {
    for (const token of tokens) {
      if (token.kind === 'segment') segments++;
      validator.push(token);
    }
  };
  for await (const chunk of source) feed(tokenizer.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk));
  feed(tokenizer.end());
  validator.end();
  return { interchanges: validator.interchanges, fileIssues: validator.fileIssues, segments, bytes: tokenizer.bytesConsumed };
}

import { EnvelopeValidator, type EnvelopeSink } from './envelope.js';
import { piecesOf, SegmentTokenizer, type SegmentView } from './segment-reader.js';
import type { InterchangeResult, SetHeader, X12Event, X12Issue, X12ReadOptions } from './types.js';

export type X12Source = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * The tokenizer and the envelope validator joined up: chunks in, segments (as reused views) and envelope events
 * out to `sink`, synchronously, before `push` returns. The streaming readers below and the transaction reader are
 * built on it; a caller decides how to batch (they yield once per piece, see `piecesOf`).
 */
export class EnvelopeReader {
  readonly tokenizer: SegmentTokenizer;
  readonly validator = new EnvelopeValidator();

  constructor(
    private readonly sink: EnvelopeSink,
    options: X12ReadOptions = {},
  ) {
    this.tokenizer = new SegmentTokenizer(options);
    this.validator.feeding(sink);
  }

  push(chunk: Uint8Array | string): void {
    this.tokenizer.scan(chunk, this.validator);
  }

  /** The end of the input: the last segment, then every envelope still open is closed (and reported). */
  end(): void {
    this.tokenizer.finish(this.validator);
    this.validator.finish(this.sink);
  }
}

/** Collects events into the current batch, segments as standalone `X12Segment`s. */
class EventCollector implements EnvelopeSink {
  out: X12Event[] = [];

  segment(view: SegmentView, set: SetHeader, positionInSet: number): void {
    this.out.push({ kind: 'segment', segment: view.toSegment(), set, positionInSet });
  }

  event(event: X12Event): void {
    this.out.push(event);
  }
}

/**
 * The envelope reader: a byte stream in, batches of events out (one batch per `X12_PIECE`, 16 KiB, of input, or per
 * chunk when chunks are smaller), checked as it goes.
 * Nothing of the file is kept but one result per transaction set. Take a `Readable` (`createReadStream(file)`),
 * any async iterable of chunks, or an array of buffers in tests.
 */
export async function* parseX12(source: X12Source, options: X12ReadOptions = {}): AsyncGenerator<X12Event[]> {
  const collector = new EventCollector();
  const reader = new EnvelopeReader(collector, options);
  for await (const chunk of source) {
    for (const piece of piecesOf(chunk)) {
      reader.push(piece);
      if (collector.out.length > 0) {
        const events = collector.out;
        collector.out = [];
        yield events;
      }
    }
  }
  reader.end();
  if (collector.out.length > 0) yield collector.out;
}

export type X12Summary = {
  interchanges: InterchangeResult[];
  /** Issues outside any interchange (BOM, stray bytes, an unreadable ISA). */
  fileIssues: X12Issue[];
  segments: number;
  bytes: number;
};

const IGNORE: EnvelopeSink = {
  segment: () => undefined,
  event: () => undefined,
};

/** Reads a whole source for its structure and issues (the segments themselves are not kept). */
export async function summarizeX12(source: X12Source, options: X12ReadOptions = {}): Promise<X12Summary> {
  const reader = new EnvelopeReader(IGNORE, options);
  for await (const chunk of source) reader.push(chunk);
  reader.end();
  const validator = reader.validator;
  return { interchanges: validator.interchanges, fileIssues: validator.fileIssues, segments: reader.tokenizer.segmentsRead, bytes: reader.tokenizer.bytesConsumed };
}

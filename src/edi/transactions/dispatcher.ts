import { createIssue } from '../x12/errors.js';
import { refreshGroupStatus, refreshInterchangeStatus, refreshSetStatus, type EnvelopeSink } from '../x12/envelope.js';
import { EnvelopeReader, type X12Source } from '../x12/parse.js';
import { piecesOf, type SegmentView } from '../x12/segment-reader.js';
import type { GroupHeader, InterchangeHeader, SetHeader, X12Event, X12ReadOptions } from '../x12/types.js';
import { Reader844 } from './reader-844.js';
import { Reader852 } from './reader-852.js';
import { Reader867, type TransactionReader } from './reader-867.js';
import type { SetContext, TransactionRecord } from './types.js';

export type TransactionItem = X12Event | TransactionRecord;

/** GS01 expected for each transaction set this reader understands (`SQ` is seen on one public 852). */
const FUNCTIONAL_IDS: Record<string, string[]> = { '867': ['PT'], '852': ['PD', 'SQ'], '844': ['CF'] };

export const SUPPORTED_TRANSACTION_SETS = Object.keys(FUNCTIONAL_IDS);

/**
 * Feeds envelope events to the right transaction reader (867, 852, 844) and passes records and events on in file
 * order. At each set-end the reader's own issues join the set's result before the group and interchange close, so
 * an acknowledgement built from the results sees them. Segment events are dropped unless asked for.
 *
 * Events come in one at a time through `handle`, or straight from an `EnvelopeReader` (the dispatcher is an
 * `EnvelopeSink`): then segments reach the 867 reader as views, read without building a segment object, and
 * records go to the batch last given to `collect`.
 */
export class TransactionDispatcher implements EnvelopeSink {
  private interchange: InterchangeHeader | undefined;
  private group: GroupHeader | undefined;
  private reader: TransactionReader | undefined;
  /** `reader` when it can read views (the 867 reader). */
  private viewReader: Reader867 | undefined;
  private readonly includeSegments: boolean;
  /** The batch being filled: readers emit into whichever batch is current, not the one of their set-start. */
  private out: TransactionItem[] = [];

  constructor(options: { includeSegments?: boolean } = {}) {
    this.includeSegments = options.includeSegments === true;
  }

  /** Where records and events go from now on, for the `EnvelopeSink` calls. */
  collect(out: TransactionItem[]): void {
    this.out = out;
  }

  /** `EnvelopeSink`: a segment inside a set. */
  segment(view: SegmentView, set: SetHeader, positionInSet: number): void {
    if (this.includeSegments) this.out.push({ kind: 'segment', segment: view.toSegment(), set, positionInSet });
    const fast = this.viewReader;
    if (fast !== undefined) fast.visit(view, positionInSet);
    else this.reader?.segment(view.toSegment(), positionInSet);
  }

  /** `EnvelopeSink`: any other event. */
  event(event: X12Event): void {
    this.handle(event, this.out);
  }

  handle(event: X12Event, out: TransactionItem[]): void {
    this.out = out;
    switch (event.kind) {
      case 'interchange-start':
        this.interchange = event.interchange;
        out.push(event);
        return;
      case 'group-start':
        this.group = event.group;
        out.push(event);
        return;
      case 'set-start': {
        out.push(event);
        if (!this.interchange || !this.group) return;
        const context: SetContext = { interchange: this.interchange, group: this.group, set: event.set };
        const emit = (record: TransactionRecord): void => {
          this.out.push(record);
        };
        this.reader = createReader(context, emit);
        this.viewReader = this.reader instanceof Reader867 ? this.reader : undefined;
        return;
      }
      case 'segment':
        if (this.includeSegments) out.push(event);
        this.reader?.segment(event.segment, event.positionInSet);
        return;
      case 'set-end': {
        const result = event.result;
        const reader = this.reader;
        this.reader = undefined;
        this.viewReader = undefined;
        if (reader) {
          reader.end();
          result.issues.push(...reader.collector.issues);
        } else if (!SUPPORTED_TRANSACTION_SETS.includes(result.header.type)) {
          result.issues.push(createIssue('error', 'set', 'set.unsupported', `Transaction set ${result.header.type || '(none)'} is not one this connector reads (867, 852, 844).`, { position: result.header.position, segmentId: 'ST', positionInSet: 1, ack: { setError: '1' } }));
        }
        const expected = FUNCTIONAL_IDS[result.header.type];
        const functionalId = this.group?.functionalId ?? '';
        if (expected && functionalId && !expected.includes(functionalId)) {
          result.issues.push(createIssue('warning', 'set', 'gs.functional_id', `Transaction set ${result.header.type} arrived in a ${functionalId} group (expected ${expected.join(' or ')}).`, { position: result.header.position, segmentId: 'ST', positionInSet: 1 }));
        }
        refreshSetStatus(result);
        out.push(event);
        return;
      }
      case 'group-end':
        refreshGroupStatus(event.result);
        this.group = undefined;
        out.push(event);
        return;
      case 'interchange-end':
        refreshInterchangeStatus(event.result);
        this.interchange = undefined;
        out.push(event);
        return;
      case 'issue':
        out.push(event);
        return;
    }
  }
}

function createReader(context: SetContext, emit: (record: TransactionRecord) => void): TransactionReader | undefined {
  switch (context.set.type) {
    case '867':
      return new Reader867(context, emit);
    case '852':
      return new Reader852(context, emit);
    case '844':
      return new Reader844(context, emit);
    default:
      return undefined;
  }
}

/**
 * Reads a whole X12 stream into typed records, in batches (one per `X12_PIECE`, 16 KiB, of input, or per chunk when
 * chunks are smaller).
 * Envelope events come along so a caller knows which set each record belongs to and whether that set was accepted:
 * a set's records come before its `set-end`, so a caller that must drop the records of a rejected set either
 * buffers per set or reads twice (the connector reads twice: the first pass decides, the second emits).
 */
export async function* readX12Transactions(source: X12Source, options: X12ReadOptions & { includeSegments?: boolean } = {}): AsyncGenerator<TransactionItem[]> {
  const dispatcher = new TransactionDispatcher(options);
  const reader = new EnvelopeReader(dispatcher, options);
  let out: TransactionItem[] = [];
  dispatcher.collect(out);
  for await (const chunk of source) {
    for (const piece of piecesOf(chunk)) {
      reader.push(piece);
      if (out.length > 0) {
        yield out;
        out = [];
        dispatcher.collect(out);
      }
    }
  }
  reader.end();
  if (out.length > 0) yield out;
}

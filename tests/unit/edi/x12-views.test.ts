import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reader867, readX12Transactions, TransactionDispatcher, type SetContext, type TransactionItem, type TransactionRecord } from '../../../src/edi/transactions/index.js';
import { parseDate, parseNumber } from '../../../src/edi/transactions/index.js';
import {
  EnvelopeReader,
  EnvelopeValidator,
  parseX12,
  segmentCode,
  SegmentTokenizer,
  summarizeX12,
  type EnvelopeSink,
  type SegmentView,
  type SetHeader,
  type X12Event,
  type X12Issue,
  type X12ReadOptions,
  type X12Segment,
  type X12Token,
} from '../../../src/edi/x12/index.js';
import { parseDateBytes, parseNumberBytes } from '../../../src/edi/x12/values.js';
import { chunked, fixture, ISA, SIMPLE_867, x12 } from './helpers.js';

const FIXTURES = ['867-basic.x12', '867-caret-element.x12', '867-caret-terminator.x12', '867-cencora-pipe.x12', '852-inventory.x12', '844-chargeback.x12', 'two-interchanges.x12', '867-005010.x12', '867-segment-errors.x12'];

/** Everything a view answers for one segment, element by element (two past the last element as well). */
function readView(view: SegmentView, component: string): unknown {
  const out: unknown[] = [view.code, view.id, view.count, view.position(), view.length, view.tooLong];
  for (let n = 0; n < view.count + 2; n++) out.push([view.raw(n), view.el(n), view.number(n), view.date(n), view.firstComponent(n, component)]);
  return out;
}

/** The same answers from a standalone segment, with the text functions the readers used before views. */
function readSegment(segment: X12Segment, component: string): unknown {
  const out: unknown[] = [segmentCode(segment.id), segment.id, segment.elements.length, segment.position, segment.length, segment.tooLong === true];
  for (let n = 0; n < segment.elements.length + 2; n++) {
    const raw = segment.elements[n] ?? '';
    const el = raw.trim();
    const i = el.indexOf(component);
    out.push([raw, el, parseNumber(el), parseDate(el), i === -1 ? el : el.slice(0, i)]);
  }
  return out;
}

/** Reads `buf` through `scan` with a recording sink, and through `push` for tokens, and returns both readings. */
function bothWays(buf: Buffer, chunks: number[], options: X12ReadOptions = {}): { viewed: unknown[]; tokens: unknown[]; count: number } {
  const viewed: unknown[] = [];
  const viewer = new SegmentTokenizer(options);
  const sink = {
    segment: (view: SegmentView): void => {
      viewed.push(readView(view, view.separators?.component ?? '>'));
    },
    issue: (issue: X12Issue): void => {
      viewed.push(issue);
    },
  };
  for (const chunk of chunked(buf, chunks)) viewer.scan(chunk, sink);
  viewer.finish(sink);
  const tokenizer = new SegmentTokenizer(options);
  const tokens: unknown[] = [];
  let separators: X12Segment['separators'];
  const add = (list: ReturnType<SegmentTokenizer['push']>): void => {
    for (const t of list) {
      if (t.kind === 'issue') tokens.push(t.issue);
      else {
        separators = t.segment.separators ?? separators;
        tokens.push(readSegment(t.segment, separators?.component ?? '>'));
      }
    }
  };
  for (const chunk of chunked(buf, chunks)) add(tokenizer.push(chunk));
  add(tokenizer.end());
  return { viewed, tokens, count: viewer.segmentsRead };
}

describe('segment views', () => {
  it('give every element, trimmed element, number, date and first component exactly as the segment objects do', () => {
    for (const name of FIXTURES) {
      for (const chunks of [[65536], [7], [1, 2, 3]]) {
        const { viewed, tokens } = bothWays(fixture(name), chunks);
        expect(viewed, `${name} ${chunks.join(',')}`).toEqual(tokens);
      }
    }
  });

  it('read awkward values the same way: padding, signs, long numbers, impossible dates, latin1 and UTF-8 text', () => {
    const body = [
      ['QTY', ' 32 ', '-0', ' EA>1 '],
      ['UIT', 'EA', '+.5'],
      ['AMT', '1', '12345678901234567.25'],
      ['AMT', '1', '1e5'],
      ['AMT', '1', '5.'],
      ['AMT', '1', '.'],
      ['DTM', '003', '20240230'],
      ['DTM', '003', '240229'],
      ['DTM', '003', ' 20240212\t'],
      ['N1', 'ST', '\u00a0CAFÉ PHARMACY\u00a0', '11', 'BC2345672'],
      ['N3', ''],
      ['qty', '1'],
    ];
    const text = x12([body]);
    for (const encoding of ['utf8', 'latin1'] as const) {
      const buf = Buffer.from(text, encoding === 'latin1' ? 'latin1' : 'utf8');
      for (const chunks of [[65536], [5], [64]]) {
        const { viewed, tokens } = bothWays(buf, chunks, { encoding });
        expect(viewed, `${encoding} ${chunks.join(',')}`).toEqual(tokens);
      }
    }
  });

  it('count every segment read, too long ones included', () => {
    const body = [...SIMPLE_867, ['N2', 'Y'.repeat(3000)]];
    const { count, tokens } = bothWays(Buffer.from(x12([body])), [100], { maxSegmentLength: 1000 });
    expect(count).toBe(tokens.filter((t) => Array.isArray(t)).length);
    expect(count).toBe(body.length + 6);
  });

  it('hand out a standalone segment that outlives the view', () => {
    const kept: X12Segment[] = [];
    const tokenizer = new SegmentTokenizer();
    const sink = { segment: (view: SegmentView): void => void kept.push(view.toSegment()), issue: (): void => undefined };
    tokenizer.scan(Buffer.from(`${ISA()}GS*PT*S*R*20240305*1015*1*X*004010~ST*867*0001~`), sink);
    tokenizer.finish(sink);
    expect(kept.map((s) => s.elements)).toEqual([expect.arrayContaining(['ISA']), ['GS', 'PT', 'S', 'R', '20240305', '1015', '1', 'X', '004010'], ['ST', '867', '0001']]);
    expect(kept[0]?.separators).toMatchObject({ element: '*', component: '>', segment: '~' });
    // ISA (106 bytes) and GS (35) come before the ST.
    expect(kept[2]?.position).toEqual({ offset: 141, segment: 3, line: 1 });
  });
});

describe('chunk boundaries', () => {
  /** Every token of `buf` read in the given pieces, positions included. */
  function tokensOf(pieces: Buffer[], options: X12ReadOptions = {}): unknown[] {
    const tokenizer = new SegmentTokenizer(options);
    const out: unknown[] = [];
    for (const piece of pieces) out.push(...tokenizer.push(piece));
    out.push(...tokenizer.end());
    return out;
  }

  it('give the same segments, positions and issues wherever a file is cut in two', () => {
    // Two interchanges with different separators, CRLF layout and a stray terminator: a cut can fall inside an
    // ISA, just before or after a terminator, or in the line break after it.
    const first = x12([SIMPLE_867], { nl: '\r\n' });
    const second = x12([SIMPLE_867], { e: '|', t: '^', c: ':', nl: '\n', control: '000000002' });
    const buf = Buffer.from(`${first}~~\n${second}`, 'latin1');
    const whole = tokensOf([buf]);
    for (let i = 1; i < buf.length; i++) {
      expect(tokensOf([buf.subarray(0, i), buf.subarray(i)]), `cut at ${i}`).toEqual(whole);
    }
  });

  it('carry an over-long segment across chunks as one skipped segment', () => {
    const long = `REF*ZZ*${'X'.repeat(300)}`;
    const buf = Buffer.from(x12([[...SIMPLE_867.slice(0, 2), long.split('*'), ...SIMPLE_867.slice(2)]]), 'latin1');
    // A segment dropped before its end was seen gives the length read so far, more than the limit.
    const tooLongAs = (tokens: unknown[]): unknown[] =>
      tokens.map((t) => {
        const token = t as X12Token;
        if (token.kind !== 'segment' || token.segment.tooLong !== true) return token;
        expect(token.segment.length).toBeGreaterThan(200);
        return { ...token, segment: { ...token.segment, length: 'over 200' } };
      });
    const whole = tooLongAs(tokensOf([buf], { maxSegmentLength: 200 }));
    for (const size of [7, 64, 150, 250]) expect(tooLongAs(tokensOf(chunked(buf, [size]), { maxSegmentLength: 200 })), `chunks of ${size}`).toEqual(whole);
  });
});

describe('segmentCode', () => {
  it('packs two- and three-character ids and refuses anything X12 does not allow', () => {
    expect(segmentCode('QTY')).toBe(0x515459);
    expect(segmentCode('N1')).toBe(0x4e3100);
    expect(segmentCode('ST')).not.toBe(segmentCode('SE'));
    for (const bad of ['', 'Q', 'qty', '1AB', 'QTYX', 'Q-1', ' N1']) expect(segmentCode(bad), bad).toBe(-1);
  });
});

describe('numbers and dates read from bytes', () => {
  it('give what Number() gives for every X12 numeric text, and undefined for anything else', () => {
    const numeric = fc.tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^\d{0,20}$/), fc.boolean(), fc.stringMatching(/^\d{0,20}$/)).map(([sign, whole, dot, fraction]) => `${sign}${whole}${dot ? '.' : ''}${dot ? fraction : ''}`);
    fc.assert(
      fc.property(fc.oneof(numeric, fc.string({ maxLength: 12 })), (text) => {
        const buf = Buffer.from(text, 'latin1');
        const expected = /^[-+]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : undefined;
        expect(Object.is(parseNumberBytes(buf, 0, buf.length, text), expected)).toBe(true);
        expect(Object.is(parseNumber(text), expected)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('read CCYYMMDD and YYMMDD dates from bytes as parseDate reads them from text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^\d{8}$/), fc.stringMatching(/^\d{6}$/), fc.string({ maxLength: 9 })), (text) => {
        const buf = Buffer.from(text, 'latin1');
        const first = parseDateBytes(buf, 0, buf.length);
        expect(first).toBe(parseDate(text));
        expect(parseDateBytes(buf, 0, buf.length)).toBe(first);
      }),
      { numRuns: 3000 },
    );
    // Leap years and month ends, computed from the digits as Date.UTC would (years 00-99 are 1900-1999 there).
    for (const text of ['20240229', '20230229', '21000229', '20000229', '19000229', '00000229', '00040229', '000229', '20240431', '20241231', '20241301', '20240100', '991231']) {
      const buf = Buffer.from(text, 'latin1');
      expect(parseDateBytes(buf, 0, buf.length)).toBe(parseDate(text));
    }
    expect(parseDate('20240229')).toBe('2024-02-29');
    expect(parseDate('20230229')).toBeUndefined();
    expect(parseDate('240101')).toBe('2024-01-01');
  });
});

/** An envelope sink that keeps everything, segments as standalone objects. */
class Recorder implements EnvelopeSink {
  events: X12Event[] = [];

  segment(view: SegmentView, set: SetHeader, positionInSet: number): void {
    this.events.push({ kind: 'segment', segment: view.toSegment(), set, positionInSet });
  }

  event(event: X12Event): void {
    this.events.push(event);
  }
}

async function collect(source: AsyncIterable<X12Event[]>): Promise<X12Event[]> {
  const out: X12Event[] = [];
  for await (const batch of source) out.push(...batch);
  return out;
}

describe('the envelope reader as calls', () => {
  it('gives the events the token interface gives, in the same order, for any chunking', async () => {
    const inputs = [...FIXTURES.map((f) => fixture(f)), Buffer.from(x12([SIMPLE_867]).replace('SE*9*0001~\n', '')), Buffer.from(x12([SIMPLE_867]).replace('GE*1*1~', 'REF*XX*1~\nGE*1*1~') + 'ST*867*0009~\n')];
    for (const buf of inputs) {
      // Reference: tokens pushed one by one into a validator.
      const tokenizer = new SegmentTokenizer();
      const validator = new EnvelopeValidator();
      const expected: X12Event[] = [];
      for (const token of [...tokenizer.push(buf), ...tokenizer.end()]) expected.push(...validator.push(token));
      expected.push(...validator.end());
      for (const chunks of [[65536], [3], [50]]) {
        const recorder = new Recorder();
        const reader = new EnvelopeReader(recorder);
        for (const chunk of chunked(buf, chunks)) reader.push(chunk);
        reader.end();
        expect(recorder.events).toEqual(expected);
        expect(await collect(parseX12(chunked(buf, chunks)))).toEqual(expected);
        expect(reader.validator.interchanges).toEqual(validator.interchanges);
      }
      const summary = await summarizeX12([buf]);
      const again = new SegmentTokenizer();
      expect(summary.segments).toBe([...again.push(buf), ...again.end()].filter((t) => t.kind === 'segment').length);
    }
  });

  it('hands a validator view by view what push gets token by token: visit, visitIssue and finish', () => {
    const buf = Buffer.from(`\ufeff${x12([SIMPLE_867, SIMPLE_867])}`);
    const byToken = new EnvelopeValidator();
    const tokens = new SegmentTokenizer();
    const expected: X12Event[] = [];
    for (const token of [...tokens.push(buf), ...tokens.end()]) expected.push(...byToken.push(token));
    expected.push(...byToken.end());

    const byView = new EnvelopeValidator();
    const recorder = new Recorder();
    const tokenizer = new SegmentTokenizer();
    const sink = { segment: (view: SegmentView): void => byView.visit(view, recorder), issue: (issue: X12Issue): void => byView.visitIssue(issue, recorder) };
    tokenizer.scan(buf, sink);
    tokenizer.finish(sink);
    byView.finish(recorder);
    expect(recorder.events).toEqual(expected);
    expect(recorder.events.filter((e) => e.kind === 'issue').map((e) => (e.kind === 'issue' ? e.issue.code : ''))).toEqual(['file.bom']);
    expect(byView.interchanges).toEqual(byToken.interchanges);
  });
});

describe('the transaction dispatcher as an envelope sink', () => {
  it('reads the same records from views as from events, segments included when asked', async () => {
    for (const name of FIXTURES) {
      const buf = fixture(name);
      const expected: TransactionItem[] = [];
      const byEvents = new TransactionDispatcher({ includeSegments: true });
      for await (const events of parseX12([buf])) for (const event of events) byEvents.handle(event, expected);

      const dispatcher = new TransactionDispatcher({ includeSegments: true });
      const first: TransactionItem[] = [];
      dispatcher.collect(first);
      const reader = new EnvelopeReader(dispatcher);
      const half = Math.floor(buf.length / 2);
      reader.push(buf.subarray(0, half));
      const second: TransactionItem[] = [];
      dispatcher.collect(second);
      reader.push(buf.subarray(half));
      reader.end();
      expect([...first, ...second], name).toEqual(expected);

      const streamed: TransactionItem[] = [];
      for await (const items of readX12Transactions(chunked(buf, [11]), { includeSegments: true })) streamed.push(...items);
      expect(streamed, name).toEqual(expected);
    }
  });
});

describe('Reader867.visit', () => {
  it('reads a set from views exactly as segment() reads it from segment objects, and its lines are plain objects', () => {
    const buf = fixture('867-basic.x12');
    let context: SetContext | undefined;
    const fromViews: TransactionRecord[] = [];
    const fromSegments: TransactionRecord[] = [];
    let viewReader: Reader867 | undefined;
    let segmentReader: Reader867 | undefined;
    let interchange: SetContext['interchange'] | undefined;
    let group: SetContext['group'] | undefined;
    const sink: EnvelopeSink = {
      segment: (view, _set, positionInSet) => {
        viewReader?.visit(view, positionInSet);
        segmentReader?.segment(view.toSegment(), positionInSet);
      },
      event: (event) => {
        if (event.kind === 'interchange-start') interchange = event.interchange;
        else if (event.kind === 'group-start') group = event.group;
        else if (event.kind === 'set-start' && interchange && group) {
          context = { interchange, group, set: event.set };
          viewReader = new Reader867(context, (r) => fromViews.push(r));
          segmentReader = new Reader867(context, (r) => fromSegments.push(r));
        } else if (event.kind === 'set-end') {
          viewReader?.end();
          segmentReader?.end();
          expect(viewReader?.collector.issues).toEqual(segmentReader?.collector.issues);
        }
      },
    };
    const reader = new EnvelopeReader(sink);
    reader.push(buf);
    reader.end();
    expect(fromViews.filter((r) => r.kind === 'sales-line')).toHaveLength(3);
    expect(fromViews).toEqual(fromSegments);
    for (const record of fromViews) if (record.kind === 'sales-line') expect(Object.getPrototypeOf(record.line)).toBe(Object.prototype);
    const line = fromViews.find((r) => r.kind === 'sales-line');
    expect(line?.kind === 'sales-line' ? { ...line.line } : undefined).toStrictEqual(line?.kind === 'sales-line' ? line.line : undefined);
  });
});

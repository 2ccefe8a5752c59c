import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segmentCode, SegmentTokenizer, type SegmentView, type X12ReadOptions } from '../../../src/edi/x12/index.js';
import { chunked, ISA } from './helpers.js';

type Expected = { elements: string[]; offset: number; line: number };

/**
 * What the tokenizer must find in `text` (one interchange header, then segments with `*` and `~`), worked out the
 * plain way: split at every terminator, skip the whitespace before a segment, drop a line break just before its
 * terminator, and count the line feeds before it for its line.
 */
function expectedSegments(text: string): Expected[] {
  const out: Expected[] = [];
  let from = 0;
  for (const piece of text.split('~')) {
    const at = from;
    from += piece.length + 1;
    let start = 0;
    while (start < piece.length && ' \t\r\n'.includes(piece[start] as string)) start++;
    let end = piece.length;
    while (end > start && '\r\n'.includes(piece[end - 1] as string)) end--;
    if (start === end) continue;
    const offset = at + start;
    let line = 1;
    for (let i = 0; i < offset; i++) if (text[i] === '\n') line++;
    out.push({ elements: piece.slice(start, end).split('*'), offset, line });
  }
  return out;
}

function tokenize(buf: Buffer, sizes: number[] | undefined, options: X12ReadOptions = {}): Expected[] {
  const tokenizer = new SegmentTokenizer(options);
  const out: Expected[] = [];
  for (const chunk of sizes ? chunked(buf, sizes) : [buf]) {
    for (const t of tokenizer.push(chunk)) if (t.kind === 'segment') out.push({ elements: t.segment.elements, offset: t.segment.position.offset, line: t.segment.position.line });
  }
  for (const t of tokenizer.end()) if (t.kind === 'segment') out.push({ elements: t.segment.elements, offset: t.segment.position.offset, line: t.segment.position.line });
  return out;
}

const word = fc.stringMatching(/^[A-Z0-9 .-]{0,12}$/);
/** Element text that may hold a line break (a wrapped address line). */
const element = fc.oneof({ weight: 6, arbitrary: word }, { weight: 1, arbitrary: fc.tuple(word, word).map(([a, b]) => `${a}\n${b}`) });
const segment = fc.tuple(fc.constantFrom('N1', 'N3', 'REF', 'QTY', 'LIN', 'DTM'), fc.array(element, { minLength: 0, maxLength: 6 })).map(([id, els]) => [id, ...els].join('*'));
/** What a sender puts after a terminator: nothing, a line feed, CRLF, indentation, or a line break before it. */
const layout = fc.constantFrom('', '\n', '\r\n', '\n  ', '\t', '\r\n\r\n');

describe.each(['simd', 'scalar'] as const)('the segment tokenizer (%s separator scan)', (scan) => {
  it('finds every segment, its elements, offset and line as a plain split of the text does, however the bytes are cut', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(segment, layout, fc.boolean()), { minLength: 1, maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 4 }), (segments, sizes) => {
        const body = segments.map(([s, after, breakBefore]) => `${s}${breakBefore ? '\n' : ''}~${after}`).join('');
        const text = `${ISA()}\n${body}`;
        const buf = Buffer.from(text, 'latin1');
        const expected = expectedSegments(text);
        expect(tokenize(buf, undefined, { scan })).toEqual(expected);
        expect(tokenize(buf, sizes, { scan })).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a segment longer than the 64 KiB it marks at a time whole, with the segments and lines after it', () => {
    const long = `REF*ZZ*${'X'.repeat(100_000)}*${'Y\n'.repeat(3)}END`;
    const text = `${ISA()}\n${'N3*1 MAIN ST~\n'.repeat(5000)}${long}~\nN4*COLUMBUS*OH*43215~\n${'DTM*003*20240212~\n'.repeat(5000)}`;
    const buf = Buffer.from(text, 'latin1');
    const expected = expectedSegments(text);
    for (const sizes of [undefined, [65_536], [1000], [150_000, 7]]) {
      const read = tokenize(buf, sizes, { maxSegmentLength: 200_000, scan });
      expect(read.length).toBe(expected.length);
      expect(read).toEqual(expected);
    }
  });

  it("gives each view the code segmentCode gives its id, -1 for ids X12 does not allow", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Za-z0-9]{1,4}$/), { minLength: 1, maxLength: 20 }), (ids) => {
        const tokenizer = new SegmentTokenizer({ scan });
        const codes: number[] = [];
        const sink = { segment: (view: SegmentView): void => void codes.push(view.code), issue: (): void => undefined };
        tokenizer.scan(Buffer.from(`${ISA()}\n${ids.map((id) => `${id}*X~`).join('\n')}`, 'latin1'), sink);
        tokenizer.finish(sink);
        expect(codes).toEqual([segmentCode('ISA'), ...ids.map(segmentCode)]);
      }),
      { numRuns: 200 },
    );
  });
});

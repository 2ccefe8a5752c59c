import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleMarks } from '../../../scripts/build-wasm.js';
import { createMarker, IS_LF_MARK, IS_TERMINATOR_MARK, MARK_WINDOW, ScalarMarker, SimdMarker } from '../../../src/edi/x12/marks.js';
import { MARKS_WASM } from '../../../src/edi/x12/marks-wasm.js';

/** The marks of `buf[from..to)` worked out one byte at a time from their definition. */
function expectedMarks(buf: Uint8Array, from: number, to: number, terminator: number, element: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    const b = buf[i];
    if (b === terminator) out.push(IS_TERMINATOR_MARK + i);
    else if (b === element) out.push(i);
    else if (b === 0x0a) out.push(IS_LF_MARK + i);
  }
  return out;
}

function marksOf(marker: { marks: Int32Array; mark: SimdMarker['mark'] }, buf: Uint8Array, from: number, to: number, terminator: number, element: number): number[] {
  const n = marker.mark(buf, from, to, terminator, element);
  return Array.from(marker.marks.subarray(0, n));
}

describe('the separator scan', () => {
  it('runs in WebAssembly SIMD on this runtime', () => {
    expect(createMarker()).toBeInstanceOf(SimdMarker);
    expect(createMarker('scalar')).toBeInstanceOf(ScalarMarker);
  });

  it('marks every terminator, element separator and line feed of any window, in order, both ways alike', () => {
    const simd = createMarker('simd');
    const scalar = createMarker('scalar');
    // Bytes drawn mostly from the separators and a line feed, so that windows are dense with marks and blocks of
    // sixteen hold several; any window start and end, so every alignment and every short last block is met.
    const separator = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(
        separator,
        separator,
        fc.array(fc.oneof(fc.constantFrom(0x7e, 0x2a, 0x7c, 0x5e, 0x0a, 0x0d), fc.integer({ min: 0, max: 255 })), { minLength: 0, maxLength: 300 }),
        fc.nat(),
        fc.nat(),
        (terminator, element, bytes, a, b) => {
          const buf = Uint8Array.from(bytes);
          const from = bytes.length === 0 ? 0 : a % (bytes.length + 1);
          const to = from + (b % (bytes.length - from + 1));
          const expected = expectedMarks(buf, from, to, terminator, element);
          expect(marksOf(simd, buf, from, to, terminator, element)).toEqual(expected);
          expect(marksOf(scalar, buf, from, to, terminator, element)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('marks a whole 64 KiB window, the most it is given, to its last byte', () => {
    const buf = new Uint8Array(MARK_WINDOW + 100);
    for (let i = 0; i < buf.length; i++) buf[i] = i % 3 === 0 ? 0x2a : i % 7 === 0 ? 0x0a : 0x41 + (i % 26);
    buf[MARK_WINDOW + 9] = 0x7e;
    buf[100 + MARK_WINDOW - 1] = 0x7e;
    const expected = expectedMarks(buf, 100, 100 + MARK_WINDOW, 0x7e, 0x2a);
    expect(expected.at(-1)).toBe(IS_TERMINATOR_MARK + 100 + MARK_WINDOW - 1);
    expect(marksOf(createMarker('simd'), buf, 100, 100 + MARK_WINDOW, 0x7e, 0x2a)).toEqual(expected);
    expect(marksOf(createMarker('scalar'), buf, 100, 100 + MARK_WINDOW, 0x7e, 0x2a)).toEqual(expected);
  });

  it('carries the module assembled from marks.wat as it stands', async () => {
    expect(await assembleMarks()).toBe(MARKS_WASM);
  });
});

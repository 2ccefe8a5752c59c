import { MARKS_WASM } from './marks-wasm.js';

/**
 * The tokenizer's first pass over a window of bytes: where every element separator, segment terminator and line
 * feed is, in order, as one number each in `marks`: the byte's index itself for an element separator,
 * `IS_TERMINATOR_MARK + index` for a terminator, `IS_LF_MARK + index` for a line feed. A byte that is a line feed and
 * a separator too is marked as the separator.
 */
export const IS_LF_MARK = 1 << 29;
export const IS_TERMINATOR_MARK = 1 << 30;
/** A mark's index: `mark & POSITION`. Indexes must stay below `IS_LF_MARK`. */
export const POSITION = IS_LF_MARK - 1;
/** The most bytes marked in one call; the marks of a window take at most four times as many bytes. */
export const MARK_WINDOW = 64 * 1024;

const LF = 0x0a;

export interface Marker {
  /** Where `mark` writes; valid until its next call. */
  readonly marks: Int32Array;
  /** Marks `buf[from..to)` (at most `MARK_WINDOW` bytes) into `marks[0..n)` and returns n. */
  mark(buf: Uint8Array, from: number, to: number, terminator: number, element: number): number;
}

/** The scan in plain JavaScript, a byte at a time through a table. */
export class ScalarMarker implements Marker {
  readonly marks = new Int32Array(MARK_WINDOW);
  /** For each byte value, what its mark adds to its index, or -1 for a byte that is not marked. */
  private readonly table = new Int32Array(256);
  private terminator = -1;
  private element = -1;

  mark(buf: Uint8Array, from: number, to: number, terminator: number, element: number): number {
    if (terminator !== this.terminator || element !== this.element) this.fill(terminator, element);
    const table = this.table;
    const marks = this.marks;
    let m = 0;
    for (let t = from; t < to; t++) {
      const add = table[buf[t] as number] as number;
      if (add !== -1) marks[m++] = add + t;
    }
    return m;
  }

  private fill(terminator: number, element: number): void {
    const table = this.table;
    table.fill(-1);
    table[LF] = IS_LF_MARK;
    table[element] = 0;
    table[terminator] = IS_TERMINATOR_MARK;
    this.terminator = terminator;
    this.element = element;
  }
}

/** Where marks.wat reads its input and writes its marks. */
const WASM_INPUT = 0;
const WASM_MARKS = 65_552;

let compiled: WebAssembly.Module | null | undefined;

/**
 * The scan in WebAssembly SIMD (marks.wat): sixteen bytes compared at once, and a mark written per set bit of
 * their mask. Over the generated 200 MB 867 file of bench/x12-throughput.ts (48 million marks) this pass takes
 * 0.10 s of CPU, against 0.30 s a byte at a time. The window is copied into the module's memory first (a memcpy of
 * at most 64 KiB).
 */
export class SimdMarker implements Marker {
  readonly marks: Int32Array;
  private readonly input: Uint8Array;
  private readonly run: (len: number, base: number, terminator: number, element: number) => number;

  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module);
    const memory = instance.exports.memory as WebAssembly.Memory;
    this.input = new Uint8Array(memory.buffer, WASM_INPUT, MARK_WINDOW);
    this.marks = new Int32Array(memory.buffer, WASM_MARKS, MARK_WINDOW);
    this.run = instance.exports.mark as SimdMarker['run'];
  }

  mark(buf: Uint8Array, from: number, to: number, terminator: number, element: number): number {
    this.input.set(buf.subarray(from, to));
    return this.run(to - from, from, terminator, element);
  }
}

/** marks.wat compiled once per process; null where WebAssembly SIMD is not available. */
function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(MARKS_WASM, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** The SIMD scan where the runtime has it, else the plain one; `scalar` asks for the plain one. */
export function createMarker(kind: 'simd' | 'scalar' = 'simd'): Marker {
  const module = kind === 'simd' ? simdModule() : null;
  return module !== null ? new SimdMarker(module) : new ScalarMarker();
}

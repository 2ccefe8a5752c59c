import type { X12Separators } from './types.js';

/** An ISA is fixed length: 106 characters, the element separator at index 3, ISA16 at 104, the terminator at 105. */
export const ISA_LENGTH = 106;
/** How far a malformed (unpadded) ISA is searched for its sixteenth element separator. */
const ISA_SCAN_LIMIT = 512;

export type DetectedSeparators = {
  separators: X12Separators;
  elementByte: number;
  componentByte: number;
  terminatorByte: number;
  /** The ISA's length in bytes without its terminator (105 for a conforming one). */
  isaLength: number;
  warnings: string[];
};

/** `needMore`: the bytes ran out before the ISA could be read; with more input it may read fine. */
export type SeparatorFailure = { error: string; needMore?: boolean };

function isAlphanumeric(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

/** True when `buf[pos..]` starts with `ISA` followed by a character that can be an element separator. */
export function looksLikeIsa(buf: Uint8Array, pos: number): boolean {
  return buf[pos] === 0x49 && buf[pos + 1] === 0x53 && buf[pos + 2] === 0x41 && pos + 3 < buf.length && !isAlphanumeric(buf[pos + 3] as number);
}

/**
 * Reads the separators from the ISA that starts at `pos`. A conforming ISA gives them at fixed positions; an ISA
 * whose ids were not padded is read by counting its 16 element separators instead (with a warning), because such
 * files exist and the rest of them is usually fine. Scans at most 512 bytes, so a hostile input costs nothing.
 */
export function detectSeparators(buf: Uint8Array, pos: number, end: number = buf.length): DetectedSeparators | SeparatorFailure {
  const elementByte = buf[pos + 3];
  if (elementByte === undefined) return { error: 'The ISA segment is cut short before its element separator.' };
  const warnings: string[] = [];
  let componentAt: number;
  if (end - pos >= ISA_LENGTH && buf[pos + 103] === elementByte && countByte(buf, elementByte, pos, pos + 104) === 16) {
    componentAt = pos + 104;
  } else {
    let found = 0;
    let i = pos + 3;
    const limit = Math.min(end, pos + ISA_SCAN_LIMIT);
    for (; i < limit; i++) {
      if (buf[i] === elementByte && ++found === 16) break;
    }
    if (found < 16) return { error: 'The ISA segment does not have 16 elements: its separators cannot be read.', needMore: limit === end && end - pos < ISA_SCAN_LIMIT };
    componentAt = i + 1;
    warnings.push(`The ISA segment is ${componentAt + 2 - pos} characters long instead of 106 (ids not padded): separators were read by counting elements.`);
  }
  const componentByte = buf[componentAt];
  const terminatorByte = buf[componentAt + 1];
  if (componentByte === undefined || terminatorByte === undefined || componentAt + 1 >= end) return { error: 'The ISA segment is cut short before ISA16 and its segment terminator.', needMore: true };
  if (isAlphanumeric(terminatorByte) || terminatorByte === elementByte || terminatorByte === componentByte) {
    return { error: `The ISA declares an unusable segment terminator "${printable(terminatorByte)}": it must differ from the element (${printable(elementByte)}) and component (${printable(componentByte)}) separators and not be a letter or digit.` };
  }
  if (componentByte === elementByte) return { error: `ISA16 (component separator) equals the element separator "${printable(elementByte)}".` };
  if (isAlphanumeric(componentByte) || componentByte === 0x20) return { error: `ISA16 (component separator) is "${printable(componentByte)}": a letter, digit or space cannot separate anything, so the ISA is misread.` };
  const separators: X12Separators = {
    element: String.fromCharCode(elementByte),
    component: String.fromCharCode(componentByte),
    segment: String.fromCharCode(terminatorByte),
  };
  // ISA11 sits after the 11th element separator; in 005010 it is the repetition separator, in 004010 the letter U.
  const isa11 = byteAfterNthSeparator(buf, elementByte, pos, componentAt, 11);
  if (isa11 !== undefined && !isAlphanumeric(isa11) && isa11 !== elementByte && isa11 !== 0x20) separators.repetition = String.fromCharCode(isa11);
  return { separators, elementByte, componentByte, terminatorByte, isaLength: componentAt + 1 - pos, warnings };
}

function countByte(buf: Uint8Array, byte: number, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === byte) n++;
  return n;
}

function byteAfterNthSeparator(buf: Uint8Array, sep: number, from: number, to: number, n: number): number | undefined {
  let found = 0;
  for (let i = from; i < to; i++) if (buf[i] === sep && ++found === n) return buf[i + 1];
  return undefined;
}

export function printable(byte: number): string {
  if (byte === 0x0a) return '\\n';
  if (byte === 0x0d) return '\\r';
  if (byte < 0x20 || byte > 0x7e) return `0x${byte.toString(16).padStart(2, '0')}`;
  return String.fromCharCode(byte);
}

import { isDigits, readText } from './input.js';
import { invalid, valid, type ValidationResult } from './result.js';

export type NormalizeNdcOptions = {
  /**
   * Looks a bare 10-digit NDC up in a product directory and returns its 11-digit or hyphenated form. Without it a
   * bare 10-digit NDC is rejected: it could be 4-4-2, 5-3-2 or 5-4-1 and each reading is a different product.
   */
  resolveBare10?: (digits: string) => string | undefined;
};

/** Segment lengths of the hyphenated forms, and which segment gets the leading zero to reach 5-4-2. */
const SEGMENT_LAYOUTS: Record<string, number | undefined> = { '4-4-2': 0, '5-3-2': 1, '5-4-1': 2, '5-4-2': -1 };
const TARGET_LENGTHS = [5, 4, 2];

/** Returns the 11-digit 5-4-2 NDC without hyphens; `formatNdc11` adds them back for display. */
export function normalizeNdc(input: unknown, opts: NormalizeNdcOptions = {}): ValidationResult<string> {
  const text = readText(input, 'ndc', 'NDC');
  if (typeof text !== 'string') return text;
  if (isDigits(text, 10)) return resolveBare10(text, opts.resolveBare10);
  const ndc = toNdc11(text);
  if (ndc === undefined) {
    return invalid(
      'ndc.format',
      `NDC "${text}" is not 11 digits or a hyphenated 4-4-2, 5-3-2, 5-4-1 or 5-4-2 code: correct it from the package label`,
    );
  }
  return valid(ndc);
}

/** `00002143380` -> `00002-1433-80`. Throws RangeError unless given 11 digits (normalize first). */
export function formatNdc11(ndc11: string): string {
  if (!isDigits(ndc11, 11)) throw new RangeError(`formatNdc11 needs an 11-digit NDC, got "${ndc11}"`);
  return `${ndc11.slice(0, 5)}-${ndc11.slice(5, 9)}-${ndc11.slice(9)}`;
}

function toNdc11(text: string): string | undefined {
  if (isDigits(text, 11)) return text;
  const segments = text.split(/\s*[-\s]\s*/);
  if (segments.length !== 3 || !segments.every((s) => isDigits(s))) return undefined;
  const padded = SEGMENT_LAYOUTS[segments.map((s) => s.length).join('-')];
  if (padded === undefined) return undefined;
  return segments.map((s, i) => (i === padded ? s.padStart(TARGET_LENGTHS[i] ?? 0, '0') : s)).join('');
}

function resolveBare10(digits: string, resolve: NormalizeNdcOptions['resolveBare10']): ValidationResult<string> {
  const resolved = resolve?.(digits);
  if (resolved === undefined) {
    return invalid(
      'ndc.ambiguous',
      `NDC ${digits} has 10 digits and no hyphens, so it could be 4-4-2, 5-3-2 or 5-4-1: send it hyphenated or as 11 digits`,
    );
  }
  const ndc = toNdc11(resolved.trim());
  if (ndc === undefined || !isPaddingOf(ndc, digits)) {
    return invalid(
      'ndc.resolved_mismatch',
      `The product directory resolved NDC ${digits} to "${resolved}", which is not that NDC padded to 11 digits: fix the directory entry`,
    );
  }
  return valid(ndc, [`NDC ${digits} was resolved to ${formatNdc11(ndc)} through the product directory`]);
}

/** A directory answer must be the same digits with one zero added at the front of a segment (positions 0, 5, 9). */
function isPaddingOf(ndc11: string, digits10: string): boolean {
  return [0, 5, 9].some((i) => ndc11[i] === '0' && ndc11.slice(0, i) + ndc11.slice(i + 1) === digits10);
}

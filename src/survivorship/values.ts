/**
 * How survivorship sees a value: when it is empty (an empty value never competes: a source that does not know a
 * middle name is not voting for "none"), when two values are the same after light normalization, and how
 * complete one is.
 */

/** Case, spacing and periods do not make a different value: "SMITH", "Smith " and "smith" compare equal, "M.D." equals "MD". */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\./g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return normalizeText(value) === '';
  if (typeof value === 'number') return Number.isNaN(value);
  if (Array.isArray(value)) return value.every(isEmptyValue);
  if (typeof value === 'object') return Object.values(value).every(isEmptyValue);
  return false;
}

/**
 * A comparison key: equal keys mean the same value. Lists of strings compare as sets (["MD","PhD"] equals
 * ["PHD","MD"]); object keys are sorted so field order never matters.
 */
export function valueKey(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return JSON.stringify(normalizeText(value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const keys = value.filter((item) => !isEmptyValue(item)).map(valueKey);
    if (value.every((item) => typeof item === 'string')) keys.sort();
    return `[${keys.join(',')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => !isEmptyValue(v))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${valueKey(v)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(String(value));
}

/** [non-empty leaves, characters]: "James" beats "J", an address with ZIP+4 and suite beats one without. */
export function completeness(value: unknown): [number, number] {
  if (isEmptyValue(value)) return [0, 0];
  if (typeof value === 'string') return [1, normalizeText(value).replace(/ /g, '').length];
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    let leaves = 0;
    let chars = 0;
    for (const item of Object.values(value)) {
      const [l, c] = completeness(item);
      leaves += l;
      chars += c;
    }
    return [leaves, chars];
  }
  return [1, String(value).length];
}

/**
 * How well a string is cased for display: written in mixed case ("McDonald") beats all capitals or all lower
 * case, which a system produced by shouting or flattening the name.
 */
export function casingScore(text: string): number {
  const hasUpper = /\p{Lu}/u.test(text);
  const hasLower = /\p{Ll}/u.test(text);
  return hasUpper && hasLower ? 1 : 0;
}

export function compareIso(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  const na = Number.isNaN(ta) ? Number.NEGATIVE_INFINITY : ta;
  const nb = Number.isNaN(tb) ? Number.NEGATIVE_INFINITY : tb;
  return na === nb ? 0 : na < nb ? -1 : 1;
}

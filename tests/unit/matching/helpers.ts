import { luhnValid } from '../../../src/matching/identifier-validators.js';

/** A valid NPI (Luhn over 80840 + 10 digits) built from a 9-digit base. */
export function makeNpi(base9: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`80840${base9}${d}`)) return `${base9}${d}`;
  throw new Error('unreachable');
}

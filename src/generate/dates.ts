/** Calendar helpers on UTC day numbers; never the wall clock, so output depends on the seed alone. */

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for an ISO date (YYYY-MM-DD). */
export function toDayNumber(isoDate: string): number {
  const ms = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO date: ${isoDate}`);
  return Math.floor(ms / MS_PER_DAY);
}

/** Day number -> YYYY-MM-DD (Howard Hinnant's civil_from_days: no Date object in the hot loop). */
export function fromDayNumber(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

function civilFromDays(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** YYYY-MM-DD -> MM/DD/YYYY, the NPPES date form. */
export function toUsDate(isoDate: string): string {
  return `${isoDate.slice(5, 7)}/${isoDate.slice(8, 10)}/${isoDate.slice(0, 4)}`;
}

/** The most recent Friday on or before the day (weekly Rx data periods end on Friday). */
export function fridayOnOrBefore(day: number): number {
  // 1970-01-01 was a Thursday: weekday 0 = Thursday, 1 = Friday.
  const weekday = (((day % 7) + 7) % 7 + 6) % 7; // 0 = Friday
  return day - weekday;
}

/** ISO 8601 UTC with milliseconds, as Salesforce writes SystemModstamp: 2026-03-04T05:06:07.000Z. */
export function isoTimestamp(day: number, secondOfDay: number): string {
  const pad = (n: number): string => (n < 10 ? '0' : '') + n;
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  return `${fromDayNumber(day)}T${pad(h)}:${pad(m)}:${pad(secondOfDay % 60)}.000Z`;
}

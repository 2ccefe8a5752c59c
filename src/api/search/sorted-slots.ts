/** An order on slots (small integers standing for search rows): negative, zero or positive, as for `Array.sort`. */
export type SlotOrder = (a: number, b: number) => number;

/** Below this many changes a sorted list is edited in place; above, it is filtered and merged in one pass. */
const SPLICE_LIMIT = 16;

/** The first position in `list` for which `before` is false (`before` true for a prefix of the list, then false). */
export function partitionPoint(list: readonly number[], before: (slot: number) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first position in `list` (sorted by `order`) whose slot does not come before `slot`. */
function lowerBound(list: readonly number[], slot: number, order: SlotOrder): number {
  return partitionPoint(list, (s) => order(s, slot) < 0);
}

/**
 * `list` without `gone`: the slots must still sort where they were put (remove them before changing what they
 * sort by). Returns the list, edited in place or new.
 */
export function removeSlots(list: number[], gone: ReadonlySet<number>, order: SlotOrder): number[] {
  if (gone.size > SPLICE_LIMIT) return list.filter((s) => !gone.has(s));
  for (const slot of gone) {
    const at = lowerBound(list, slot, order);
    if (list[at] === slot) list.splice(at, 1);
  }
  return list;
}

/** `list` with `added` (slots not in it yet) in their places. Returns the list, edited in place or new. */
export function insertSlots(list: number[], added: number[], order: SlotOrder): number[] {
  if (added.length <= SPLICE_LIMIT) {
    for (const slot of added) list.splice(lowerBound(list, slot, order), 0, slot);
    return list;
  }
  added.sort(order);
  const out = new Array<number>(list.length + added.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < list.length && j < added.length) out[k++] = order(list[i]!, added[j]!) <= 0 ? list[i++]! : added[j++]!;
  while (i < list.length) out[k++] = list[i++]!;
  while (j < added.length) out[k++] = added[j++]!;
  return out;
}

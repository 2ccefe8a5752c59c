/**
 * Given-name nickname groups (mappings/reference/nicknames.csv): bill ~ william, peggy ~ margaret.
 * A name may belong to several groups (al: albert, alan, alfred); two names are nickname-equal when they share one.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type NicknameTable = ReadonlyMap<string, readonly number[]>;

export const DEFAULT_NICKNAMES_FILE = fileURLToPath(new URL('../../mappings/reference/nicknames.csv', import.meta.url));

export function parseNicknames(csv: string): NicknameTable {
  const table = new Map<string, number[]>();
  let group = 0;
  for (const raw of csv.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const names = new Set(line.split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== ''));
    for (const name of names) {
      const groups = table.get(name);
      if (groups) groups.push(group);
      else table.set(name, [group]);
    }
    group++;
  }
  return table;
}

let cached: NicknameTable | undefined;

/** The bundled table, read once per process. */
export function loadNicknames(file: string = DEFAULT_NICKNAMES_FILE): NicknameTable {
  if (file === DEFAULT_NICKNAMES_FILE) {
    cached ??= parseNicknames(readFileSync(file, 'utf8'));
    return cached;
  }
  return parseNicknames(readFileSync(file, 'utf8'));
}

/** Sorted group ids of a name (empty when the name is in no group). */
export function nicknameGroups(name: string, table: NicknameTable = loadNicknames()): readonly number[] {
  return table.get(name.trim().toLowerCase()) ?? [];
}

/** True when both names share a nickname group (the same name is trivially equal). */
export function nicknameEqual(a: string, b: string, table: NicknameTable = loadNicknames()): boolean {
  const x = a.trim().toLowerCase();
  const y = b.trim().toLowerCase();
  if (x === '' || y === '') return false;
  if (x === y) return true;
  return sharesGroup(nicknameGroups(x, table), nicknameGroups(y, table));
}

/** Intersection test of two ascending id lists. */
export function sharesGroup(ga: readonly number[], gb: readonly number[]): boolean {
  let i = 0;
  let j = 0;
  while (i < ga.length && j < gb.length) {
    const x = ga[i] as number;
    const y = gb[j] as number;
    if (x === y) return true;
    if (x < y) i++;
    else j++;
  }
  return false;
}

import type { Queryable } from '../../store/database.js';
import { queryPrepared } from '../queries/prepared.js';
import { insertSlots, partitionPoint, removeSlots, type SlotOrder } from './sorted-slots.js';
import { WordDictionary } from './word-dictionary.js';

/** What the index keeps of a `master_search` row: what search selects and orders by, not what a hit shows. */
export type SearchKeys = {
  id: string;
  entityType: 'hcp' | 'hco';
  active: boolean;
  nameKey: string | null;
  lastKey: string | null;
  firstKey: string | null;
  filters: string[];
};

export type IndexQuery = {
  /** the words of the name asked for (`nameTokens`); none: every master the scope keeps, in name order */
  tokens: string[];
  entityType?: 'hcp' | 'hco';
  /** filter terms every hit must carry ('state:MA', 'place:MA:BOSTON', 'specialty:Cardiology') */
  filters: string[];
  /** only these masters (an identifier's) */
  within?: readonly string[];
  /** how many ids to answer at most */
  need: number;
};

/** Similar words: at least this trigram similarity, the closest few of each query word. */
const SIMILAR_MIN = 0.4;
const SIMILAR_TOP = 5;
/** Rows read per statement while loading. */
const LOAD_PAGE = 20_000;

const compare = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

type KeyRow = [string, 'hcp' | 'hco', boolean, string | null, string | null, string | null, string[]];
/** A `master_search` row `s` as a `KeyRow`, in the statements that load the index and catch it up. */
const KEY_ROW = 'json_build_array(s.master_id, s.entity_type, s.active, s.name_key, s.last_key, s.first_key, s.filters)';
const LOAD_PAGE_SQL = 'SELECT ' + KEY_ROW + ' AS k FROM master_search s WHERE s.master_id > $1 ORDER BY s.master_id LIMIT $2';
const CHANGES_SQL =
  'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon, ' +
  "(SELECT coalesce(json_agg(" + KEY_ROW + "), '[]') FROM master_search s WHERE s.changed_xid >= $1::xid8) AS changed, " +
  "(SELECT coalesce(json_agg(r.master_id), '[]') FROM master_search_removed r " +
  'WHERE r.removed_xid >= $1::xid8 AND NOT EXISTS (SELECT 1 FROM master_search s WHERE s.master_id = r.master_id)) AS removed';

/**
 * Master search in memory: the keys of every `master_search` row (migration 011), ordered the ways search answers
 * (by name, with a letter-pair signature per name; by last name, then first name; by filter term, in name order), and the dictionary of name words for similar-word search. The API process holds one; a search walks these lists and reads from the store only the
 * page it answers (by id), so a name search costs the store what an exact NPI lookup costs, at any size of master.
 *
 * It follows the store, whoever writes it (the sync worker, the API, another API process): every row is stamped
 * with the transaction that last wrote it and a deleted row leaves a tombstone (migration 016). `catchUp` reads the
 * rows written by transactions that had not finished when the index last looked (its horizon: the oldest
 * transaction still running then). A search checks, in the statement that reads its page, whether any such row
 * exists; if one does, it catches up and answers again, so it sees every write committed before it began: a
 * steward's merge, then a search, finds the merged master gone. Concurrent searches share one catch-up.
 *
 * Slots: each master id gets a small integer; the lists hold slots, the arrays below hold each slot's keys.
 */
export class MasterSearchIndex {
  readonly words = new WordDictionary();
  private readonly slotOf = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly types: Array<'hcp' | 'hco'> = [];
  private readonly actives: boolean[] = [];
  private readonly nameKeys: Array<string | null> = [];
  private readonly lastKeys: Array<string | null> = [];
  private readonly firstKeys: Array<string | null> = [];
  private readonly filterSets: Array<readonly string[]> = [];
  /** active slots by name key (nulls last), then id: the order of the answer */
  private nameOrder: number[] = [];
  /** The letter-pair signature of each slot's name key (`pairSignature`), set as the slot's keys are. */
  private slotSigs = new Int32Array(1024);
  /**
   * `slotSigs` of `nameOrder`, position for position, gathered again after the order changes (14 ms at a million
   * names, against 0.6 s to compute them from the names): the prefix step tests every name of a range for the other
   * words of the query, and reading these side by side costs a fraction of reading a million strings, or
   * signatures by slot, scattered over memory.
   */
  private nameSigs: Int32Array | null = null;
  /** last name key -> its active slots by first name key, name key, id */
  private byLast = new Map<string, number[]>();
  /** filter term -> its active slots in name order */
  private byTerm = new Map<string, number[]>();
  /** one copy of each filter term and of each distinct set of them (a million rows share a few thousand sets) */
  private readonly terms = new Map<string, string>();
  private readonly filterSetOf = new Map<string, readonly string[]>();
  private horizon: string | null = null;
  private loading: Promise<void> | null = null;
  private loadError: Error | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(
    private readonly db: Queryable,
    private readonly options: { pageSize?: number } = {},
  ) {}

  /** Search rows held (active or not). */
  get size(): number {
    return this.slotOf.size;
  }

  private readonly byName: SlotOrder = (a, b) => compare(this.nameKeys[a]!, this.nameKeys[b]!) || compare(this.ids[a]!, this.ids[b]!);
  private readonly byPerson: SlotOrder = (a, b) => compare(this.firstKeys[a]!, this.firstKeys[b]!) || this.byName(a, b);

  /** For /health: loading (the first search waits), ready, or failed (the last load failed; the next search retries). */
  get state(): { status: 'loading' | 'ready' | 'failed'; masters: number; detail: string } {
    if (this.horizon !== null) return { status: 'ready', masters: this.size, detail: `${this.size} search rows, ${this.words.size} name words` };
    if (this.loadError && !this.loading) return { status: 'failed', masters: this.size, detail: this.loadError.message };
    return { status: 'loading', masters: this.size, detail: `${this.size} search rows read so far` };
  }

  /** Loaded (the first call loads it). Whether it is up to date is for the caller to check: see `seenUpTo`. */
  async ready(): Promise<void> {
    if (this.horizon === null) await this.catchUp();
  }

  /**
   * The oldest transaction that was still running when the index last read the store (as text, for `$n::xid8`):
   * a search row stamped with it or a later one, or a tombstone, may be a change the index has not seen.
   */
  get seenUpTo(): string | null {
    return this.horizon;
  }

  /**
   * Brings the index up to date with every write committed before this call: loads it the first time, then reads
   * what changed since. Concurrent callers share the reads: one runs at a time, and callers that arrive while it
   * runs share the next.
   */
  async catchUp(): Promise<void> {
    if (this.horizon === null) {
      this.loading ??= this.load()
        .then(
          () => {
            this.loadError = null;
          },
          (error: unknown) => {
            this.loadError = error instanceof Error ? error : new Error(String(error));
            throw error;
          },
        )
        .finally(() => {
          this.loading = null;
        });
      await this.loading;
      // Pages read early in the load may predate writes committed before this call.
    }
    if (!this.running) {
      this.running = this.readChanges().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.catchUp();
      });
    return this.queued;
  }

  private async load(): Promise<void> {
    // Stamps from another server's transaction ids (a store restored from a dump) lie ahead of this server's: every
    // search would find them "changed" and catch up. Stamp them anew (the trigger gives them this transaction's id)
    // and drop such tombstones.
    await this.db.query('UPDATE master_search SET changed_xid = NULL WHERE changed_xid >= pg_snapshot_xmax(pg_current_snapshot())');
    await this.db.query('DELETE FROM master_search_removed WHERE removed_xid >= pg_snapshot_xmax(pg_current_snapshot())');
    // The horizon first: a row written while the pages are read is read again by the first catch-up.
    const { rows: at } = await this.db.query<{ horizon: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon');
    const pageSize = this.options.pageSize ?? LOAD_PAGE;
    let after = '';
    for (;;) {
      const { rows } = await queryPrepared<{ k: KeyRow }>(this.db, LOAD_PAGE_SQL, [after, pageSize]);
      if (rows.length === 0) break;
      this.apply(rows.map((r) => r.k), [], { list: false });
      after = rows[rows.length - 1]!.k[0];
      if (rows.length < pageSize) break;
    }
    this.relist();
    this.horizon = at[0]!.horizon;
  }

  /**
   * Builds every list from the slots at once (after loading): one sort by name, and the other lists filled in
   * that order, so only the last-name lists need sorting again, by first name alone (a stable sort keeps name
   * order within each first name). Merging page after page into lists of a million costs far more.
   */
  private relist(): void {
    const active: number[] = [];
    for (const slot of this.slotOf.values()) if (this.actives[slot]) active.push(slot);
    this.nameOrder = active.sort(this.byName);
    this.nameSigs = null;
    // Grouped in name order, so each list is in name order already.
    this.byLast = this.group(this.nameOrder, (s) => this.lastKeyOf(s));
    this.byTerm = this.group(this.nameOrder, (s) => this.filterSets[s]!);
    for (const group of this.byLast.values()) group.sort((a, b) => compare(this.firstKeys[a]!, this.firstKeys[b]!));
  }

  private async readChanges(): Promise<void> {
    // Not prepared: planned for this horizon, the range is an index scan; a generic plan would read every row.
    const { rows } = await this.db.query<{ horizon: string; changed: KeyRow[]; removed: string[] }>(CHANGES_SQL, [this.horizon]);
    const { horizon, changed, removed } = rows[0]!;
    if (changed.length > 0 || removed.length > 0) this.apply(changed, removed);
    this.horizon = horizon;
  }

  /** Applies rows as they now are and ids whose rows are gone (`list: false`: leave the lists to `relist`). */
  apply(rows: KeyRow[], removed: string[], options: { list?: boolean } = {}): void {
    // Rows read again unchanged (a long transaction holds the horizon back) change nothing.
    const fresh = rows.filter((r) => !this.holds(r));
    const leaving = [...new Set([...fresh.map((r) => r[0]), ...removed])].map((id) => this.slotOf.get(id)).filter((s): s is number => s !== undefined);
    // Out of the lists while their keys are still the ones they were sorted by.
    this.unlist(leaving);
    for (const slot of leaving) {
      this.words.add(this.lastKeys[slot]!, -1);
      this.words.add(this.firstKeys[slot]!, -1);
    }
    for (const id of removed) {
      const slot = this.slotOf.get(id);
      if (slot === undefined) continue;
      this.slotOf.delete(id);
      this.actives[slot] = false;
      this.filterSets[slot] = [];
    }
    const entering: number[] = [];
    for (const [id, entityType, active, nameKey, lastKey, firstKey, filters] of fresh) {
      let slot = this.slotOf.get(id);
      if (slot === undefined) {
        slot = this.ids.length;
        this.ids.push(id);
        this.slotOf.set(id, slot);
      }
      this.words.add(lastKey, 1);
      this.words.add(firstKey, 1);
      this.types[slot] = entityType;
      this.actives[slot] = active;
      this.nameKeys[slot] = nameKey;
      if (slot >= this.slotSigs.length) {
        const grown = new Int32Array(Math.max(slot + 1, this.slotSigs.length * 2));
        grown.set(this.slotSigs);
        this.slotSigs = grown;
      }
      this.slotSigs[slot] = pairSignature(nameKey ?? '');
      this.lastKeys[slot] = lastKey === null ? null : this.words.intern(lastKey);
      this.firstKeys[slot] = firstKey === null ? null : this.words.intern(firstKey);
      this.filterSets[slot] = this.internFilters(filters ?? []);
      entering.push(slot);
    }
    if (options.list !== false) this.list(entering);
  }

  private internFilters(filters: string[]): readonly string[] {
    const key = filters.join('\u0000');
    let set = this.filterSetOf.get(key);
    if (!set) {
      set = filters.map((t) => {
        const known = this.terms.get(t);
        if (known !== undefined) return known;
        this.terms.set(t, t);
        return t;
      });
      this.filterSetOf.set(key, set);
    }
    return set;
  }

  private holds([id, entityType, active, nameKey, lastKey, firstKey, filters]: KeyRow): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const had = this.filterSets[slot]!;
    return (
      this.types[slot] === entityType &&
      this.actives[slot] === active &&
      this.nameKeys[slot] === nameKey &&
      this.lastKeys[slot] === lastKey &&
      this.firstKeys[slot] === firstKey &&
      had.length === (filters ?? []).length &&
      had.every((t, i) => t === filters[i])
    );
  }

  /** Takes slots out of every list they are in (active slots are listed; inactive ones only counted as words). */
  private unlist(slots: number[]): void {
    const listed = slots.filter((s) => this.actives[s]);
    if (listed.length === 0) return;
    this.nameOrder = removeSlots(this.nameOrder, new Set(listed), this.byName);
    this.nameSigs = null;
    for (const [key, group] of this.group(listed, (s) => this.lastKeyOf(s))) {
      const rest = removeSlots(this.byLast.get(key) ?? [], new Set(group), this.byPerson);
      if (rest.length > 0) this.byLast.set(key, rest);
      else this.byLast.delete(key);
    }
    for (const [term, group] of this.group(listed, (s) => this.filterSets[s]!)) {
      const rest = removeSlots(this.byTerm.get(term) ?? [], new Set(group), this.byName);
      if (rest.length > 0) this.byTerm.set(term, rest);
      else this.byTerm.delete(term);
    }
  }

  private list(slots: number[]): void {
    const listed = slots.filter((s) => this.actives[s]);
    if (listed.length === 0) return;
    this.nameOrder = insertSlots(this.nameOrder, listed, this.byName);
    this.nameSigs = null;
    for (const [key, group] of this.group(listed, (s) => this.lastKeyOf(s))) {
      this.byLast.set(key, insertSlots(this.byLast.get(key) ?? [], group, this.byPerson));
    }
    for (const [term, group] of this.group(listed, (s) => this.filterSets[s]!)) {
      this.byTerm.set(term, insertSlots(this.byTerm.get(term) ?? [], group, this.byName));
    }
  }

  /** The key of `byLast` a slot is listed under: its last name key, if it has one. */
  private lastKeyOf(slot: number): readonly string[] {
    const last = this.lastKeys[slot];
    return last === null || last === undefined ? [] : [last];
  }

  private group(slots: number[], keysOf: (slot: number) => readonly string[]): Map<string, number[]> {
    const groups = new Map<string, number[]>();
    for (const slot of slots) {
      for (const key of keysOf(slot)) {
        const group = groups.get(key);
        if (group) group.push(slot);
        else groups.set(key, [slot]);
      }
    }
    return groups;
  }

  /** The name key of a master the index holds (for scoring a hit). */
  nameKeyOf(id: string): string | null {
    const slot = this.slotOf.get(id);
    return slot === undefined ? null : this.nameKeys[slot]!;
  }

  /**
   * The ids a search answers, in order, at most `need`. With words, the steps below in turn, cheapest and closest
   * first, each only filling what the earlier ones left and never repeating a master they found:
   *
   * 1. exact: physicians whose last name is one of the words and, with two words or more, whose first name is
   *    another ("william harrington" and "harrington william" alike), by last, first and whole name;
   * 2. prefix: masters whose name starts with one of the words (not an initial, unless all words are initials)
   *    and holds all of them, in name order (how organizations are found);
   * 3. similar words: the words of the dictionary closest to each query word (trigram similarity 0.4 or more, the
   *    5 closest); physicians whose last name is one of them and whose first name is one of another word's first,
   *    then those whose last name alone is, closest first.
   *
   * Without words: every master in scope, in name order.
   */
  find(query: IndexQuery): string[] {
    return this.answer(query).map((s) => this.ids[s]!);
  }

  /** `find`, with each master's name key (what a hit's score is computed from). */
  findNamed(query: IndexQuery): Array<{ id: string; nameKey: string | null }> {
    return this.answer(query).map((s) => ({ id: this.ids[s]!, nameKey: this.nameKeys[s]! }));
  }

  private answer(query: IndexQuery): number[] {
    const { tokens, need } = query;
    const within = query.within ? new Set(query.within.map((id) => this.slotOf.get(id)).filter((s): s is number => s !== undefined)) : undefined;
    const filters = query.filters.map((t) => this.terms.get(t) ?? t);
    const inScope = (s: number) =>
      this.actives[s] === true &&
      (query.entityType === undefined || this.types[s] === query.entityType) &&
      (within === undefined || within.has(s)) &&
      (filters.length === 0 || filters.every((t) => this.filterSets[s]!.includes(t)));
    const found: number[] = [];
    const taken = new Set<number>();
    const accept = (s: number) => inScope(s) && !taken.has(s);
    const take = (slots: number[]) => {
      for (const s of slots) {
        if (found.length >= need) break;
        found.push(s);
        taken.add(s);
      }
    };

    if (tokens.length === 0) {
      take(this.inOrder(within, filters, inScope, need));
    } else {
      take(this.exact(tokens, accept, need));
      if (found.length < need) take(this.prefix(tokens, accept, need - found.length));
      if (found.length < need) take(this.similarWords(tokens, accept, need - found.length));
    }
    return found;
  }

  private inOrder(within: Set<number> | undefined, filters: string[], accept: (s: number) => boolean, need: number): number[] {
    if (within) return [...within].filter(accept).sort(this.byName).slice(0, need);
    // The shortest of the filter terms' lists, else every active master.
    const lists = filters.map((t) => this.byTerm.get(t) ?? []);
    const list = lists.length > 0 ? lists.reduce((a, b) => (b.length < a.length ? b : a)) : this.nameOrder;
    return walk(list, 0, list.length, accept, need);
  }

  private exact(tokens: string[], accept: (s: number) => boolean, need: number): number[] {
    if (tokens.length === 1) {
      const list = this.byLast.get(tokens[0]!) ?? [];
      return walk(list, 0, list.length, accept, need);
    }
    // Every (last, first) pair of two different positions, each pair once, in (last, first) order.
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < tokens.length; i++) {
      const last = tokens[i]!;
      if (!this.byLast.has(last)) continue;
      for (let j = 0; j < tokens.length; j++) {
        const first = tokens[j]!;
        if (j !== i && !pairs.some((p) => p[0] === last && p[1] === first)) pairs.push([last, first]);
      }
    }
    pairs.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
    const out: number[] = [];
    for (const [last, first] of pairs) {
      if (out.length >= need) break;
      out.push(...this.withFirst(last, first, accept, need - out.length));
    }
    return out;
  }

  /**
   * Active physicians with this last and first name key, in name order: the run of the last name's list (sorted by
   * first name, then name) that has this first name.
   */
  private withFirst(last: string, first: string, accept: (s: number) => boolean, need: number): number[] {
    const list = this.byLast.get(last);
    if (!list) return [];
    const firstKeys = this.firstKeys;
    const from = partitionPoint(list, (s) => compare(firstKeys[s]!, first) < 0);
    const to = partitionPoint(list, (s) => compare(firstKeys[s]!, first) <= 0);
    return walk(list, from, to, accept, need);
  }

  private prefix(tokens: string[], accept: (s: number) => boolean, need: number): number[] {
    const union = new Set<number>();
    const order = this.nameOrder;
    const sigs = (this.nameSigs ??= this.gatherSigs(order));
    // An initial ("john a smith") starts a twenty-sixth of all names: it must appear in the name, but only starts
    // one when every word is an initial.
    const starts = tokens.some((t) => t.length > 1) ? tokens.filter((t) => t.length > 1) : tokens;
    for (const t of new Set(starts)) {
      // The words other than the one the name starts with: each must appear in it too. A name whose signature
      // lacks one of their letter pairs cannot hold them; only the others are read.
      const others = tokens.filter((u) => u !== t);
      const wanted = others.reduce((mask, u) => mask | pairSignature(u), 0);
      const from = partitionPoint(order, (s) => this.nameKeys[s] !== null && this.nameKeys[s]! < t);
      const to = partitionPoint(order, (s) => this.nameKeys[s] !== null && (this.nameKeys[s]! < t || this.nameKeys[s]!.startsWith(t)));
      let kept = 0;
      for (let at = from; at < to && kept < need; at++) {
        if ((sigs[at]! & wanted) !== wanted) continue;
        const s = order[at]!;
        const name = this.nameKeys[s]!;
        let holds = true;
        for (const u of others) {
          if (!name.includes(u)) {
            holds = false;
            break;
          }
        }
        if (holds && accept(s)) {
          union.add(s);
          kept++;
        }
      }
    }
    return [...union].sort(this.byName).slice(0, need);
  }

  private gatherSigs(order: readonly number[]): Int32Array {
    const bySlot = this.slotSigs;
    const sigs = new Int32Array(order.length);
    for (let i = 0; i < order.length; i++) sigs[i] = bySlot[order[i]!]!;
    return sigs;
  }

  private similarWords(tokens: string[], accept: (s: number) => boolean, need: number): number[] {
    const near: Array<{ pos: number; term: string; sim: number }> = [];
    for (let pos = 0; pos < tokens.length; pos++) {
      for (const w of this.words.similar(tokens[pos]!, SIMILAR_MIN, SIMILAR_TOP)) near.push({ pos, term: w.term, sim: w.sim });
    }
    const rank = new Map<number, number>();
    const offer = (slots: number[], score: number) => {
      for (const s of slots) if (score > (rank.get(s) ?? -1)) rank.set(s, score);
    };
    if (tokens.length > 1) {
      for (const l of near) {
        // A word nobody has as a last name pairs with nothing (most first names): skip its pairs unbuilt.
        if (!this.byLast.has(l.term)) continue;
        for (const f of near) if (f.pos !== l.pos) offer(this.withFirst(l.term, f.term, accept, need), Math.fround(l.sim + f.sim));
      }
    }
    for (const l of near) {
      const list = this.byLast.get(l.term) ?? [];
      offer(walk(list, 0, list.length, accept, need), l.sim);
    }
    // Closest first, then by name: sorted by rank alone first, so only the page and its ties are compared by name.
    const ranked = [...rank].sort((a, b) => b[1] - a[1]);
    let cut = Math.min(need, ranked.length);
    while (cut > 0 && cut < ranked.length && ranked[cut]![1] === ranked[cut - 1]![1]) cut++;
    return ranked
      .slice(0, cut)
      .sort((a, b) => b[1] - a[1] || this.byName(a[0], b[0]))
      .slice(0, need)
      .map(([slot]) => slot);
  }
}

/** 30 bits, one for each pair of adjacent characters of `text` (hashed): a text holding another has all its bits. */
export function pairSignature(text: string): number {
  let mask = 0;
  for (let i = 1; i < text.length; i++) mask |= 1 << ((text.charCodeAt(i - 1) * 31 + text.charCodeAt(i)) % 30);
  return mask;
}

/** Up to `need` slots of `list[from, to)` that `accept` keeps, in list order. */
function walk(list: readonly number[], from: number, to: number, accept: (s: number) => boolean, need: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to && out.length < need; i++) if (accept(list[i]!)) out.push(list[i]!);
  return out;
}

import { createMatcher, type Matcher, type MatchModel } from '../matching/index.js';
import type { MatchRecord } from '../matching/project-draft.js';
import type { MasterEntityType } from '../model/index.js';
import type { Queryable } from '../store/database.js';
import type { MemberRef } from '../store/master.repository.js';

/** A draft that is not linked to a master (yet): matched on every resolution until it links. */
export type UnlinkedDraft = { ref: MemberRef; connector: string; record: MatchRecord };

/**
 * What master resolution knows of one entity type's crosswalk: every linked member's match record in the
 * matcher's blocking indexes, who belongs to which master, and the drafts still waiting for a master (Rx
 * prescribers that resolve only). Kept in the process between resolutions, so a resolution costs what its new
 * and changed records cost, not what the whole master costs.
 */
export class MasterIndex {
  readonly matcher: Matcher;
  readonly masterOf = new Map<MemberRef, string>();
  readonly membersOf = new Map<string, Set<MemberRef>>();
  /** Drafts of resolve-only sources that found no master yet. */
  readonly unresolved = new Map<MemberRef, UnlinkedDraft>();
  /** Values of the exclusive identifiers (a person has one NPI) of each member, for the chaining guard. */
  private readonly exclusiveOf = new Map<MemberRef, MatchRecord>();

  constructor(
    readonly model: MatchModel,
    private readonly exclusive: readonly string[],
    linked: Array<{ ref: MemberRef; masterId: string; record: MatchRecord }>,
  ) {
    this.matcher = createMatcher(
      model,
      linked.map((l) => l.record),
      { idColumn: 'id' },
    );
    for (const l of linked) this.placeRef(l.ref, l.masterId, l.record);
  }

  /** Links a member to a master and indexes its record. */
  place(ref: MemberRef, masterId: string, record: MatchRecord): void {
    this.matcher.add(record, ref);
    this.placeRef(ref, masterId, record);
  }

  /** A linked member's draft changed: its record is indexed anew; its master stays. */
  update(ref: MemberRef, record: MatchRecord): void {
    this.matcher.remove(ref);
    this.matcher.add(record, ref);
    this.setExclusive(ref, record);
  }

  /** A member's link is gone (its record was deleted, or no longer makes that draft). */
  remove(ref: MemberRef): void {
    const masterId = this.masterOf.get(ref);
    if (masterId === undefined) return;
    this.matcher.remove(ref);
    this.masterOf.delete(ref);
    this.membersOf.get(masterId)?.delete(ref);
    this.exclusiveOf.delete(ref);
  }

  /** Would joining this master link two different values of an identifier a person has only one of? */
  conflicts(masterId: string, record: MatchRecord): boolean {
    if (this.exclusive.length === 0) return false;
    for (const other of this.membersOf.get(masterId) ?? []) {
      const values = this.exclusiveOf.get(other);
      if (values && this.exclusive.some((f) => values[f] !== undefined && record[f] !== undefined && values[f] !== record[f])) return true;
    }
    return false;
  }

  get size(): number {
    return this.masterOf.size + this.unresolved.size;
  }

  private placeRef(ref: MemberRef, masterId: string, record: MatchRecord): void {
    this.masterOf.set(ref, masterId);
    let set = this.membersOf.get(masterId);
    if (!set) this.membersOf.set(masterId, (set = new Set()));
    set.add(ref);
    this.setExclusive(ref, record);
  }

  private setExclusive(ref: MemberRef, record: MatchRecord): void {
    const values: MatchRecord = {};
    let any = false;
    for (const f of this.exclusive) {
      const v = record[f];
      if (v !== undefined) {
        values[f] = v;
        any = true;
      }
    }
    if (any) this.exclusiveOf.set(ref, values);
    else this.exclusiveOf.delete(ref);
  }
}

/**
 * The indexes of this process, per store and entity type, each with the crosswalk generation it reflects. An
 * index is used only while the store's generation is the one it recorded: any crosswalk change made elsewhere (a
 * steward merge, an erasure, master resolution in another worker process) moves the generation and the next
 * resolution rebuilds from the store.
 */
const cache = new WeakMap<Queryable, Map<MasterEntityType, { index: MasterIndex; generation: number }>>();

export function cachedMasterIndex(db: Queryable, entityType: MasterEntityType, model: MatchModel, generation: number): MasterIndex | undefined {
  const entry = cache.get(db)?.get(entityType);
  return entry && entry.generation === generation && entry.index.model === model ? entry.index : undefined;
}

export function keepMasterIndex(db: Queryable, entityType: MasterEntityType, index: MasterIndex, generation: number): void {
  let byType = cache.get(db);
  if (!byType) cache.set(db, (byType = new Map()));
  byType.set(entityType, { index, generation });
}

export function forgetMasterIndex(db: Queryable, entityType: MasterEntityType): void {
  cache.get(db)?.delete(entityType);
}

import { trigrams } from './trigram.js';

export type SimilarWord = { term: string; sim: number };

type Entry = { id: number; word: string; count: number; trigrams: number };

/** How many query words' similar words are kept between changes of the dictionary. */
const CACHE_LIMIT = 10_000;

/**
 * The distinct name words of the master (physicians' last and first name keys) with how many search rows carry
 * each, and their trigrams: fuzzy search looks for the words closest to a query word here (thousands of words, not
 * a million names), then finds the masters by exact word. The same dictionary as `master_search_term` in the store
 * (migration 011), kept in memory: a word goes as soon as nobody has it. The similar words of a query word are
 * remembered until a word comes or goes.
 */
export class WordDictionary {
  private readonly entries = new Map<string, Entry>();
  /** word id -> its entry (ids of words gone are reused) */
  private readonly byId: Array<Entry | undefined> = [];
  private readonly freeIds: number[] = [];
  /** trigram -> ids of the words that have it */
  private readonly postings = new Map<number, Set<number>>();
  /** shared trigram counts per word id, zeroed after each lookup */
  private shared = new Int32Array(0);
  private readonly cache = new Map<string, SimilarWord[]>();

  get size(): number {
    return this.entries.size;
  }

  /** The dictionary's own copy of a word it holds, so a million rows share a few thousand strings. */
  intern(word: string): string {
    return this.entries.get(word)?.word ?? word;
  }

  /** One more (or one fewer) search row carries `word`. */
  add(word: string | null, delta: 1 | -1): void {
    if (word === null) return;
    const entry = this.entries.get(word);
    if (entry) {
      entry.count += delta;
      if (entry.count > 0) return;
      this.entries.delete(word);
      this.byId[entry.id] = undefined;
      this.freeIds.push(entry.id);
      for (const g of trigrams(word)) {
        const ids = this.postings.get(g);
        ids?.delete(entry.id);
        if (ids?.size === 0) this.postings.delete(g);
      }
      this.cache.clear();
    } else if (delta > 0) {
      const grams = trigrams(word);
      const id = this.freeIds.pop() ?? this.byId.length;
      const added: Entry = { id, word, count: 1, trigrams: grams.size };
      this.entries.set(word, added);
      this.byId[id] = added;
      for (const g of grams) {
        let ids = this.postings.get(g);
        if (!ids) this.postings.set(g, (ids = new Set()));
        ids.add(id);
      }
      this.cache.clear();
    }
  }

  count(word: string): number {
    return this.entries.get(word)?.count ?? 0;
  }

  /**
   * The `top` words most similar to `word` with a similarity of at least `min`, closest first and then in byte
   * order: what `SELECT term FROM master_search_term WHERE term % $1 ORDER BY similarity(term, $1) DESC, term`
   * gives. Only words sharing a trigram with it are compared.
   */
  similar(word: string, min: number, top: number): SimilarWord[] {
    const key = `${min}:${top}:${word}`;
    const known = this.cache.get(key);
    if (known) return known;
    const grams = trigrams(word);
    if (this.shared.length < this.byId.length) this.shared = new Int32Array(Math.max(1024, this.byId.length * 2));
    const shared = this.shared;
    const seen: number[] = [];
    for (const g of grams) {
      const ids = this.postings.get(g);
      if (!ids) continue;
      for (const id of ids) {
        if (shared[id] === 0) seen.push(id);
        shared[id] = shared[id]! + 1;
      }
    }
    const found: SimilarWord[] = [];
    for (const id of seen) {
      const n = shared[id]!;
      shared[id] = 0;
      const entry = this.byId[id]!;
      const sim = Math.fround(n / (grams.size + entry.trigrams - n));
      if (sim >= min) found.push({ term: entry.word, sim });
    }
    found.sort((a, b) => b.sim - a.sim || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    const answer = found.slice(0, top);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, answer);
    return answer;
  }
}

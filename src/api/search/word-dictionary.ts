import { trigrams } from './trigram.js';

export type SimilarWord = { term: string; sim: number };

/**
 * The distinct name words of the master (physicians' last and first name keys) with how many search rows carry
 * each, and their trigrams: fuzzy search looks for the words closest to a query word here (thousands of words, not
 * a million names), then finds the masters by exact word. The same dictionary as `master_search_term` in the store
 * (migration 011), kept in memory: a word goes as soon as nobody has it.
 */
type Entry = { word: string; count: number; trigrams: number };

export class WordDictionary {
  private readonly entries = new Map<string, Entry>();
  /** trigram -> the words that have it */
  private readonly postings = new Map<string, Set<string>>();

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
      for (const g of trigrams(word)) {
        const words = this.postings.get(g);
        words?.delete(word);
        if (words?.size === 0) this.postings.delete(g);
      }
    } else if (delta > 0) {
      const grams = trigrams(word);
      this.entries.set(word, { word, count: 1, trigrams: grams.size });
      for (const g of grams) {
        let words = this.postings.get(g);
        if (!words) this.postings.set(g, (words = new Set()));
        words.add(word);
      }
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
    const grams = trigrams(word);
    const shared = new Map<string, number>();
    for (const g of grams) {
      const words = this.postings.get(g);
      if (words) for (const w of words) shared.set(w, (shared.get(w) ?? 0) + 1);
    }
    const found: SimilarWord[] = [];
    for (const [term, n] of shared) {
      const sim = Math.fround(n / (grams.size + this.entries.get(term)!.trigrams - n));
      if (sim >= min) found.push({ term, sim });
    }
    found.sort((a, b) => b.sim - a.sim || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    return found.slice(0, top);
  }
}

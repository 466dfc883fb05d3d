/**
 * What the search index reads of a paper, and the terms it indexes: title, authors and abstract
 * (weighted as BM25 weighs them) and the categories as filter terms that score nothing.
 * @module
 */
import { WEIGHTS } from './bm25.js';
import type { Fts5Tokenizer } from './tokenizer.js';

export interface IndexedPaper {
  pk: number;
  title: string;
  /** The stored JSON array. */
  authors: string;
  abstract: string;
  /** The stored JSON array. */
  categories: string;
  publishedAt: string | null;
}

/** Category filter terms start with a character no word can hold. */
const CATEGORY = '\u0001';
/** So do compound terms: the words of one hyphenated (or otherwise joined) word, `multi step` of `multi-step`. */
const COMPOUND = '\u0003';

/** And author terms: a word of the authors column, what `author:` looks for. */
const AUTHOR = '\u0004';
export const authorTerm = (term: string) => `${AUTHOR}${term}`;

/**
 * A word's postings are kept in two tiers: papers with it in the title or authors (each such hit weighs
 * 4 or 10, so they score high) and papers with it only in the abstract. A search bounds each tier on its
 * own, and combinations of tiers that cannot reach the k-th best score are never read (tiered.ts).
 */
const STRONG = '\u0005';
const WEAK = '\u0006';
export const tierTerms = (term: string): readonly [string, string] => [`${STRONG}${term}`, `${WEAK}${term}`];

/** The compound term of the stemmed words of one joined word. */
export const compoundTerm = (terms: readonly string[]) => `${COMPOUND}${terms.join(' ')}`;

/** The filter term of an arXiv category or archive (`cs.cl`, `cs`): any case. */
export const categoryTerm = (category: string) => `${CATEGORY}${category.toLowerCase()}`;

/** No publication date: fails every since: filter. */
export const NO_DAY = -0x80000000;

/** Days since 1970-01-01 of an ISO date or date-time, compared as published_at >= 'YYYY-MM-DD' compares. */
export function dayOf(date: string | null): number {
  if (!date) return NO_DAY;
  const ms = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(ms) ? NO_DAY : Math.floor(ms / 86_400_000);
}

function parseList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export interface PaperTerms {
  /** Term ids (the tokenizer's) and their weighted frequencies, aligned; filter terms have frequency 0. */
  ids: number[];
  freqs: number[];
  /** Tokens in title, authors and abstract together: FTS5's row size. */
  length: number;
}

/**
 * Counts the terms of papers as papers_fts sees them (authors joined with ", " as PaperStore indexes
 * them), into one scratch array reused for every paper.
 */
export class TermCounter {
  private counts = new Uint32Array(1024);
  /** Per term id of this paper: 1 a word seen in the abstract only so far, 2 a word in the title or authors. */
  private tiers = new Uint8Array(1024);
  private readonly seen: number[] = [];
  private readonly authorIds: number[] = [];
  private readonly tierIds: [number, number][] = [];
  /** Compound terms of two words, by the first word's id, then the second's. */
  private readonly pairIds: (Map<number, number> | undefined)[] = [];
  /** Category filter term ids by the stored categories (JSON): few combinations recur. */
  private readonly categoryIds = new Map<string, number[]>();
  // The column being counted, and the run of words joined without a space that ends at `runEnd`.
  private text = '';
  private weight = 0;
  private tier = 1;
  private authors = false;
  private length = 0;
  /** The run's words: the first two, then any more (`runMore`). */
  private runLength = 0;
  private runFirst = 0;
  private runSecond = 0;
  private readonly runMore: number[] = [];
  private runEnd = -1;
  private readonly onToken = (id: number, start: number, stop: number): void => {
    this.length++;
    this.bump(id, this.weight);
    if (this.tiers[id]! < this.tier) this.tiers[id] = this.tier;
    if (this.authors) this.bump(this.authorIdOf(id), this.weight);
    // Words joined by punctuation without a space (multi-step, GPT-4) also count as one compound term.
    if (!(this.runEnd >= 0 && start > this.runEnd && !hasSpace(this.text, this.runEnd, start))) this.closeRun();
    if (this.runLength === 0) this.runFirst = id;
    else if (this.runLength === 1) this.runSecond = id;
    else this.runMore.push(id);
    this.runLength++;
    this.runEnd = stop;
  };

  constructor(readonly tokenizer: Fts5Tokenizer) {}

  count(paper: Omit<IndexedPaper, 'pk' | 'publishedAt'>): PaperTerms {
    return this.countText(paper.title, parseList(paper.authors).join(', '), paper.abstract, paper.categories);
  }

  /** {@link count} of a paper whose authors are already joined with ", " (as an import packs them). */
  countText(title: string, authors: string, abstract: string, categories: string): PaperTerms {
    const { seen } = this;
    seen.length = 0;
    this.length = 0;
    this.column(title, WEIGHTS.title, false);
    this.column(authors, WEIGHTS.authors, true);
    this.column(abstract, WEIGHTS.abstract, false);
    const ids: number[] = [];
    const freqs: number[] = [];
    for (const id of seen) {
      const tier = this.tiers[id]!;
      ids.push(tier === 0 ? id : this.tierIdOf(id, tier === 2));
      freqs.push(this.counts[id]!);
      this.counts[id] = 0;
      this.tiers[id] = 0;
    }
    for (const id of this.categoryIdsOf(categories)) {
      ids.push(id);
      freqs.push(0);
    }
    return { ids, freqs, length: this.length };
  }

  private column(text: string, weight: number, authors: boolean): void {
    this.text = text;
    this.weight = weight;
    this.tier = weight > WEIGHTS.abstract ? 2 : 1;
    this.authors = authors;
    this.runEnd = -1;
    this.tokenizer.tokenIds(text, this.onToken);
    this.closeRun();
  }

  private bump(id: number, weight: number): void {
    if (id >= this.counts.length) this.grow(id);
    if (this.counts[id] === 0) this.seen.push(id);
    this.counts[id]! += weight;
  }

  private closeRun(): void {
    if (this.runLength === 2) this.bump(this.pairIdOf(this.runFirst, this.runSecond), this.weight);
    else if (this.runLength > 2) {
      const { terms } = this.tokenizer;
      this.bump(this.tokenizer.idOfTerm(compoundTerm([terms[this.runFirst]!, terms[this.runSecond]!, ...this.runMore.map((id) => terms[id]!)])), this.weight);
      this.runMore.length = 0;
    }
    this.runLength = 0;
  }

  private pairIdOf(first: number, second: number): number {
    let pairs = this.pairIds[first];
    if (!pairs) this.pairIds[first] = pairs = new Map();
    let id = pairs.get(second);
    if (id === undefined) {
      id = this.tokenizer.idOfTerm(compoundTerm([this.tokenizer.terms[first]!, this.tokenizer.terms[second]!]));
      pairs.set(second, id);
    }
    return id;
  }

  private categoryIdsOf(categories: string): number[] {
    let ids = this.categoryIds.get(categories);
    if (!ids) {
      if (this.categoryIds.size >= 10_000) this.categoryIds.clear();
      ids = [...new Set(parseList(categories).flatMap(categoryTerms))].map((term) => this.tokenizer.idOfTerm(term));
      this.categoryIds.set(categories, ids);
    }
    return ids;
  }

  /** The id of word term `id`'s strong or weak tier, remembered by id. */
  private tierIdOf(id: number, strong: boolean): number {
    let pair = this.tierIds[id];
    if (!pair) {
      const [a, b] = tierTerms(this.tokenizer.terms[id]!);
      pair = [this.tokenizer.idOfTerm(a), this.tokenizer.idOfTerm(b)];
      this.tierIds[id] = pair;
    }
    return strong ? pair[0] : pair[1];
  }

  /** The author term of word term `id`, remembered by id. */
  private authorIdOf(id: number): number {
    let author = this.authorIds[id];
    if (author === undefined) {
      author = this.tokenizer.idOfTerm(authorTerm(this.tokenizer.terms[id]!));
      this.authorIds[id] = author;
    }
    return author;
  }

  private grow(id: number): void {
    const counts = new Uint32Array(Math.max(id + 1, this.counts.length * 2));
    counts.set(this.counts);
    this.counts = counts;
    const tiers = new Uint8Array(counts.length);
    tiers.set(this.tiers);
    this.tiers = tiers;
  }
}

/** True when text[from, to) holds whitespace. */
function hasSpace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(text[i]!))) return true;
  }
  return false;
}

/** A category's filter terms: itself, and its archive (`cs` of `cs.CL`). */
function categoryTerms(category: string): string[] {
  const lower = category.toLowerCase();
  const dot = lower.indexOf('.');
  return dot > 0 ? [categoryTerm(lower), categoryTerm(lower.slice(0, dot))] : [categoryTerm(lower)];
}

/** The word and compound terms of a paper (no filter terms): what a replaced version takes out of the statistics. */
export function wordTerms(paper: Omit<IndexedPaper, 'pk' | 'publishedAt'>, counter: TermCounter): Set<string> {
  const { ids, freqs } = counter.count(paper);
  return new Set(ids.filter((_, i) => freqs[i]! > 0).map((id) => counter.tokenizer.terms[id]!));
}

/**
 * Answers a parsed /search query from the search index: the exact top of BM25 over every match. Single
 * words, hyphenated compounds and author words come from our postings, phrases typed in quotes and
 * prefixes from FTS5 (phrase-lists.ts); the scores are FTS5's bm25() for everything but compounds, which
 * FTS5 knows only as phrases. An index that is behind returns undefined, and the caller asks FTS5.
 * @module
 */
import type { SearchQuery } from '../search-query.js';
import { authorTerm, categoryTerm, compoundTerm, dayOf } from './documents.js';
import { expressionTerm } from './phrase-lists.js';
import type { SearchIndex } from './index.js';
import { Best, type Scored, type TopKQuery } from './top-k.js';

/** Above this many words, the any-word fallback (2^n - 1 word sets) is left to FTS5. */
const MAX_OR_WORDS = 4;

/**
 * The stored term of a quoted single word, or of a joined word (`multi-step`: its compound term); a
 * phrase typed in quotes, or a prefix, is handed to FTS5 as it is.
 */
function indexTerm(index: SearchIndex, quoted: string, joined: boolean): string {
  const terms = quoted.startsWith('"') && quoted.endsWith('"') ? index.terms(quoted.slice(1, -1)) : [];
  if (terms.length === 1) return terms[0]!;
  return joined && terms.length > 1 ? compoundTerm(terms) : expressionTerm(quoted);
}

/** The top `limit` papers, all words (`AND`) or any (`OR`), as { pk, BM25 score } best first. */
export function rankedSearch(index: SearchIndex, query: SearchQuery, join: 'AND' | 'OR', limit: number, exhaustive = false): Scored[] | undefined {
  if (query.sort !== 'relevance') return undefined;
  const quoted = join === 'AND' ? query.terms : query.words;
  if (join === 'OR' && quoted.length > MAX_OR_WORDS) return undefined;
  // In FTS5's order: the words, then the author terms (see matchExpression).
  const terms = quoted.map((q) => indexTerm(index, q, join === 'AND' && query.joined.includes(q)));
  const authors = query.authorTerms.map((a) => {
    const words = index.terms(a.slice(1, -1));
    return words.length === 1 ? authorTerm(words[0]!) : expressionTerm(`authors : ${a}`);
  });
  if (terms.length + authors.length === 0 || !index.ready()) return undefined;
  const categories = query.categories.map(categoryTerm);
  const base: Omit<TopKQuery, 'terms'> = {
    required: categories.length === 1 ? categories : [],
    anyOf: categories.length > 1 ? categories : [],
    ...(query.since ? { sinceDay: dayOf(query.since) } : {}),
    k: limit,
    exhaustive,
  };
  if (join === 'AND') return index.topK({ ...base, terms: [...terms, ...authors] });
  // Any word (the author terms always): a paper's score is that of the words it has, so the best of
  // each set of words, kept once per paper at its highest, is exact. Larger sets score higher: searched
  // first, they leave the smaller ones a higher score to beat.
  const best = new Best(limit);
  const masks = Array.from({ length: (1 << terms.length) - 1 }, (_, i) => i + 1);
  masks.sort((a, b) => bitCount(b) - bitCount(a) || a - b);
  for (const mask of masks) {
    const subset = [...terms.filter((_, i) => mask & (1 << i)), ...authors];
    if (!index.topK({ ...base, terms: subset }, best)) return undefined;
  }
  return best.items;
}

const bitCount = (n: number) => n.toString(2).replaceAll('0', '').length;

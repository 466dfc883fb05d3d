/**
 * Turns what a user typed into safe FTS5 terms and filters. Nothing the user types reaches FTS5
 * syntax as it is: every term is reduced to letters and digits and quoted, so quotes, operators,
 * parentheses, `*`, NEAR and column names are only ever words.
 * @module
 */
import { BadInputError } from '../../errors.js';
import { dateProblem, isCalendarDay } from '../../strings.js';
import { cutPosition, quote } from '../reply-limits.js';

export interface SearchQuery {
  /** FTS5 terms, each already quoted: `"gemma"`, `"gpt 4"` (a phrase), `"diffu"*` (a prefix). */
  terms: string[];
  /** Every single word of the terms, quoted: what an any-word fallback searches for. */
  words: string[];
  /** Terms that must match in the authors column. */
  authorTerms: string[];
  /** YYYY-MM-DD: only papers published on or after. */
  since?: string;
  /** arXiv categories, lower case; `cs` matches every `cs.*`. */
  categories: string[];
  /** `relevance` (BM25, a pasted title first) or `new` (newest first): `sort:new`. */
  sort: 'relevance' | 'new';
  /** The words typed, as titleWords() makes them: what the pasted-title rule compares with titles. */
  titleWords: string[];
  /** Terms of several parts typed as one word (`multi-step`, `GPT-4`): compound terms of the search index. */
  joined: string[];
}

export const SEARCH_EXAMPLE = 'diffusion video author:Rombach since:2024-01-01 cat:cs.CV';

const MAX_TITLE_WORDS = 60;

const MAX_TERMS = 12;
const MAX_TOKEN_CHARS = 64;
// The unicode61 tokeniser splits on everything that is not a letter, digit or mark; so do we.
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

function tokens(text: string): string[] {
  return (text.normalize('NFKC').match(TOKEN) ?? []).map((t) => t.slice(0, MAX_TOKEN_CHARS).toLowerCase());
}

/**
 * The words of a title for the pasted-title rule: any case, accents and punctuation ignored, not
 * stemmed. Used alike on what was typed and on stored titles (core/papers/title-index.ts).
 */
export function titleWords(text: string): string[] {
  // Most titles are ASCII: they need no Unicode normalisation (every title is counted at ingest).
  const words = /^[\x20-\x7e]*$/.test(text)
    ? text.toLowerCase().match(/[a-z0-9]+/g)
    : text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().match(/[\p{L}\p{N}]+/gu);
  return (words ?? []).map((t) => t.slice(0, MAX_TOKEN_CHARS));
}

function quoted(words: string[], prefix = false): string | undefined {
  if (words.length === 0) return undefined;
  return `"${words.join(' ')}"${prefix ? '*' : ''}`;
}

/** Splits on whitespace, keeping "quoted phrases" together (an unclosed quote runs to the end). */
function words(input: string): string[] {
  return input.match(/[^\s"]*"[^"]*"?|[^\s"]+/g) ?? [];
}

function parseSince(value: string): string {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  const date = m ? `${m[1]}-${m[2] ?? '01'}-${m[3] ?? '01'}` : '';
  if (!m || !isCalendarDay(date)) throw new BadInputError(`since: needs a date like 2024-03-01 (or 2024-03, 2024), not "${quote(value, 20)}".`);
  const problem = dateProblem(date);
  if (problem) throw new BadInputError(`since: ${problem}`);
  return date;
}

function parseSort(value: string): SearchQuery['sort'] {
  const sort = value.toLowerCase();
  if (sort === 'new' || sort === 'newest' || sort === 'date') return 'new';
  if (sort === 'relevance' || sort === 'best') return 'relevance';
  throw new BadInputError(`sort: is sort:new (newest first) or sort:relevance, not "${quote(value, 20)}".`);
}

export function parseSearchQuery(input: string): SearchQuery {
  const query: SearchQuery = { terms: [], words: [], authorTerms: [], categories: [], sort: 'relevance', titleWords: [], joined: [] };
  // Bound the work on a 10,000-character argument: later words add nothing a search can use.
  for (const word of words(input.slice(0, cutPosition(input, 2000)))) {
    const filter = /^(author|au|since|cat|category|sort):(.*)$/i.exec(word);
    if (filter) {
      const name = filter[1]!.toLowerCase();
      const value = (filter[2] ?? '').replace(/^"|"$/g, '').trim();
      if (!value) continue;
      if (name === 'since') query.since = parseSince(value);
      else if (name === 'sort') query.sort = parseSort(value);
      else if (name === 'cat' || name === 'category') {
        if (!/^[a-z-]+(\.[A-Za-z-]+)?$/i.test(value)) throw new BadInputError(`cat: needs an arXiv category like cs.CL or cs, not "${quote(value, 20)}".`);
        query.categories.push(value.toLowerCase());
      } else {
        const term = quoted(tokens(value));
        if (term) query.authorTerms.push(term);
      }
      continue;
    }
    if (query.titleWords.length < MAX_TITLE_WORDS) query.titleWords.push(...titleWords(word));
    const isPhrase = word.startsWith('"');
    const prefix = !isPhrase && word.endsWith('*');
    const parts = tokens(word);
    const term = quoted(parts, prefix);
    if (!term || query.terms.length >= MAX_TERMS || query.terms.includes(term)) continue;
    query.terms.push(term);
    if (!isPhrase && !prefix && parts.length > 1) query.joined.push(term);
    parts.forEach((part, i) => {
      const single = quoted([part], prefix && i === parts.length - 1)!;
      if (!query.words.includes(single)) query.words.push(single);
    });
  }
  if (input.trim() === '') throw new BadInputError(`Nothing to search for. Try words from a title or abstract, e.g. ${SEARCH_EXAMPLE}`);
  return query;
}

/** True when the query can match nothing: only punctuation or symbols, no words and no filters. */
export function isEmptyQuery(query: SearchQuery): boolean {
  return query.terms.length === 0 && query.authorTerms.length === 0 && !query.since && query.categories.length === 0 && query.sort === 'relevance';
}

/** The FTS5 MATCH expression for a query, or undefined when it has filters only. */
export function matchExpression(query: SearchQuery, join: 'AND' | 'OR' = 'AND'): string | undefined {
  const parts: string[] = [];
  // AND keeps phrases whole; the OR fallback takes any single word.
  const terms = join === 'AND' ? query.terms : query.words;
  if (terms.length > 0) parts.push(terms.length === 1 ? terms[0]! : `(${terms.join(` ${join} `)})`);
  if (query.authorTerms.length > 0) parts.push(`authors : (${query.authorTerms.join(' AND ')})`);
  return parts.length > 0 ? parts.join(' AND ') : undefined;
}

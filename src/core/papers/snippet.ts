/**
 * The few words of an abstract around what was searched for, as FTS5's snippet() gives them (16 tokens,
 * `…` where text was cut) but from the text alone: FTS5 looked every hit up again in its index, a few
 * milliseconds per search at a million papers.
 * @module
 */
import type { SearchQuery } from './search-query.js';

/** Tokens shown. */
const SNIPPET_TOKENS = 16;

/** Calls `emit` with each token of `text`: its term as the full-text index has it, and where it is. */
export type Tokenize = (text: string, emit: (term: string, start: number, end: number) => void) => void;

/** Whether a token's term is one the query searched for (its words, phrases' words, prefixes). */
export function queryTermMatcher(query: SearchQuery, termsOf: (text: string) => string[]): (term: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const word of [...query.words, ...query.terms]) {
    const prefix = word.endsWith('*');
    const inner = word.replace(/^"|"?\*?$/g, '');
    const terms = termsOf(inner);
    if (prefix && terms.length > 0) prefixes.push(terms.at(-1)!);
    for (const term of prefix ? terms.slice(0, -1) : terms) exact.add(term);
  }
  return (term) => exact.has(term) || prefixes.some((p) => term.startsWith(p));
}

/**
 * The window of {@link SNIPPET_TOKENS} tokens with the most different terms searched for, then the most
 * hits, then the hits nearest its middle (some words of context on each side), or '' when none is there.
 */
export function snippetOf(text: string, matches: (term: string) => boolean, tokenize: Tokenize): string {
  const tokens: { start: number; end: number; term: string | undefined }[] = [];
  tokenize(text, (term, start, end) => tokens.push({ start, end, term: matches(term) ? term : undefined }));
  if (!tokens.some((t) => t.term !== undefined)) return '';
  let best = { from: 0, distinct: -1, hits: -1, margin: -1 };
  for (let from = 0; from < Math.max(1, tokens.length - SNIPPET_TOKENS + 1); from++) {
    const window = tokens.slice(from, from + SNIPPET_TOKENS);
    const hits = window.flatMap((t) => (t.term === undefined ? [] : [t.term]));
    if (hits.length === 0) continue;
    const distinct = new Set(hits).size;
    const first = window.findIndex((t) => t.term !== undefined);
    const margin = Math.min(first, window.length - 1 - window.findLastIndex((t) => t.term !== undefined));
    const better = distinct - best.distinct || hits.length - best.hits || margin - best.margin;
    if (better > 0) best = { from, distinct, hits: hits.length, margin };
  }
  const last = Math.min(tokens.length, best.from + SNIPPET_TOKENS) - 1;
  const body = text.slice(tokens[best.from]!.start, tokens[last]!.end);
  return `${best.from > 0 ? '…' : ''}${body}${last < tokens.length - 1 ? '…' : ''}`;
}

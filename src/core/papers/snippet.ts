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
  const starts: number[] = [];
  const ends: number[] = [];
  /** Hits: token index and term. */
  const hitAt: number[] = [];
  const hitTerm: string[] = [];
  tokenize(text, (term, start, end) => {
    if (matches(term)) {
      hitAt.push(starts.length);
      hitTerm.push(term);
    }
    starts.push(start);
    ends.push(end);
  });
  if (hitAt.length === 0) return '';
  const n = starts.length;
  // Windows [from, from + SNIPPET_TOKENS), slid one token at a time over the hits they hold.
  const inWindow = new Map<string, number>();
  let first = 0; // first hit in the window
  let next = 0; // first hit after it
  let best = { from: 0, distinct: -1, hits: -1, margin: -1 };
  for (let from = 0; from < Math.max(1, n - SNIPPET_TOKENS + 1); from++) {
    const to = from + SNIPPET_TOKENS;
    while (next < hitAt.length && hitAt[next]! < to) {
      inWindow.set(hitTerm[next]!, (inWindow.get(hitTerm[next]!) ?? 0) + 1);
      next++;
    }
    while (first < next && hitAt[first]! < from) {
      const left = inWindow.get(hitTerm[first]!)! - 1;
      if (left === 0) inWindow.delete(hitTerm[first]!);
      else inWindow.set(hitTerm[first]!, left);
      first++;
    }
    const hits = next - first;
    if (hits === 0) continue;
    const margin = Math.min(hitAt[first]! - from, Math.min(to, n) - 1 - hitAt[next - 1]!);
    const better = inWindow.size - best.distinct || hits - best.hits || margin - best.margin;
    if (better > 0) best = { from, distinct: inWindow.size, hits, margin };
  }
  const last = Math.min(n, best.from + SNIPPET_TOKENS) - 1;
  const body = text.slice(starts[best.from], ends[last]);
  return `${best.from > 0 ? '…' : ''}${body}${last < n - 1 ? '…' : ''}`;
}

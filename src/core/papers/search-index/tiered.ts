/**
 * The top k over words kept in two tiers (documents.ts): every paper has each query word in exactly one
 * tier, so the papers split into one group per choice of tier for each word. A group's best possible
 * score is known from its chunks' bounds alone; groups are searched best bound first, with one shared
 * k-th best score, and the search stops at the first group that cannot reach it. Papers with common
 * words only in their abstracts are then mostly never read.
 * @module
 */
import { idf } from './bm25.js';
import { tierTerms } from './documents.js';
import type { DocTable } from './doc-table.js';
import type { ChunkInfo } from './store.js';
import { Best, filterDrives, postingsIn, topK, type ChunkSource, type Scored, type TopKQuery } from './top-k.js';

/** Words above this many go to FTS5: their 2^n groups would be too many to bound one by one. */
export const MAX_TIERED_WORDS = 8;

/** A term of our own that is a word (not a category, compound, author or FTS5 expression term). */
export const isWordTerm = (term: string) => term.charCodeAt(0) > 6;

/** Papers with each word in one tier: their terms, best possible score and smallest list. */
interface Group { terms: string[]; bound: number; smallest: number }

export function tieredTopK(query: TopKQuery, docs: DocTable, dead: ReadonlyMap<string, number>, source: ChunkSource, best = new Best(query.k)): Scored[] | undefined {
  const words = [...new Set(query.terms.filter(isWordTerm))];
  if (words.length > MAX_TIERED_WORDS) return undefined;
  const count = (term: string) => postingsIn(source.chunks(term)) - (dead.get(term) ?? 0);
  const hits = (term: string) => (isWordTerm(term) ? tierTerms(term).reduce((n, t) => n + count(t), 0) : count(term));
  const weights = query.terms.map((term) => idf(docs.papers, hits(term), source.ln));
  const weightOf = new Map<string, number>();
  query.terms.forEach((term, i) => weightOf.set(term, (weightOf.get(term) ?? 0) + weights[i]!));

  // The highest score a list's papers can add, at today's average length.
  const top = (chunks: readonly ChunkInfo[]) => chunks.reduce((m, c) => Math.max(m, c.bound * docs.boundScale(c.segment)), 0);
  const others = [...new Set(query.terms.filter((t) => !isWordTerm(t)))].reduce((sum, t) => sum + (weightOf.get(t) ?? 0) * top(source.chunks(t)), 0);

  // A list that is not a word (an author, a compound, a rare category) can drive one search over whole
  // words instead: it is taken as soon as that costs fewer postings than the groups still to search
  // (each is driven by its smallest list). It scores again the papers of the groups searched before,
  // which changes nothing (a paper is kept once, at its score).
  const smallestStrong = Math.min(...words.map((w) => postingsIn(source.chunks(tierTerms(w)[0]))));
  const smallestWord = Math.min(...words.map((w) => tierTerms(w).reduce((n, t) => n + postingsIn(source.chunks(t)), 0)));
  const driving = query.required.filter((t) => filterDrives(postingsIn(source.chunks(t)), smallestWord));
  const smallestOther = Math.min(...[...query.terms.filter((t) => !isWordTerm(t)), ...driving].map((t) => postingsIn(source.chunks(t))));
  const whole = () => topK({ ...query, weights, expand: (t) => (isWordTerm(t) ? tierTerms(t) : [t]) }, docs, dead, source, best);
  if (words.length === 0 || smallestOther < smallestStrong) return whole();

  const groups: Group[] = [];
  for (let mask = 0; mask < 1 << words.length; mask++) {
    const tiers = new Map(words.map((w, i) => [w, tierTerms(w)[(mask >> i) & 1]!]));
    if ([...tiers.values()].some((t) => source.chunks(t).length === 0)) continue;
    const bound = words.reduce((sum, w) => sum + (weightOf.get(w) ?? 0) * top(source.chunks(tiers.get(w)!)), others);
    const smallest = Math.min(...[...tiers.values()].map((t) => postingsIn(source.chunks(t))));
    groups.push({ terms: query.terms.map((t) => tiers.get(t) ?? t), bound: bound * (1 + 1e-9) + 1e-12, smallest });
  }
  groups.sort((a, b) => b.bound - a.bound);
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    if (!query.exhaustive && group.bound < best.threshold) break;
    let ahead = 0;
    for (let h = g; h < groups.length && ahead < smallestOther; h++) if (query.exhaustive || groups[h]!.bound >= best.threshold) ahead += groups[h]!.smallest;
    if (ahead >= smallestOther) return whole();
    topK({ ...query, terms: group.terms, weights }, docs, dead, source, best);
  }
  return best.items;
}

/**
 * BM25 exactly as FTS5's bm25() computes it for papers_fts (ext/fts5/fts5_aux.c), with our column
 * weights: the same operations in the same order, so a score here equals FTS5's bit for bit.
 * @module
 */

export const K1 = 1.2;
export const B = 0.75;
/** Column weights of title, authors and abstract: the `bm25(papers_fts, 10.0, 4.0, 1.0)` of search.ts. */
export const WEIGHTS = { title: 10, authors: 4, abstract: 1 } as const;

/**
 * FTS5's idf: never below a millionth, so a word in most papers still counts a little. `ln` should be
 * the C library's log (SQLite's ln()): V8's Math.log differs from it in the last bit now and then.
 */
export function idf(rows: number, hits: number, ln: (x: number) => number = Math.log): number {
  const value = ln((rows - hits + 0.5) / (hits + 0.5));
  return value <= 0 ? 1e-6 : value;
}

/** The term-frequency part of one term's score, for weighted frequency `f` in a paper of `length` tokens. */
export function saturation(f: number, length: number, averageLength: number): number {
  return (f * (K1 + 1.0)) / (f + K1 * (1 - B + (B * length) / averageLength));
}

/** Makes a bound safe against the rounding of the sums it is compared with. */
export const roundUp = (bound: number) => bound * (1 + 1e-9) + 1e-12;

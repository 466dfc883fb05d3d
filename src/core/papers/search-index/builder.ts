/**
 * Collects the postings of a batch of papers and cuts them into chunks: per term, pks ascending with
 * their weighted frequencies, and for each block of 64 the highest saturation any of them reaches (the
 * bound that lets a search skip the block).
 * @module
 */
import { roundUp, saturation } from './bm25.js';
import { packFilters, type SegmentDocs } from './doc-table.js';
import type { PaperTerms } from './documents.js';

export const CHUNK = 4096;
export const BLOCK = 64;

export interface Chunk {
  term: string;
  firstPk: number;
  lastPk: number;
  pks: Uint32Array;
  freqs: Uint16Array;
  /** Per block of 64: the highest saturation in it, at the segment's average length. */
  bounds: Float64Array;
  bound: number;
}

interface Postings { pks: Uint32Array; freqs: Uint16Array; n: number }

export class SegmentBuilder {
  /** Postings by term id (the tokenizer's). */
  private readonly postings: (Postings | undefined)[] = [];
  private readonly docs: number[] = [];
  private readonly lengths: number[] = [];
  private readonly days: number[] = [];
  /** Per paper: its filter terms' ids. */
  private readonly filters: number[][] = [];
  private lastPk = -1;

  get size(): number {
    return this.docs.length;
  }

  /** Adds a paper; papers come in ascending pk order. */
  add(pk: number, paper: PaperTerms, day: number): void {
    if (pk <= this.lastPk) throw new Error(`search index: papers must come in pk order (${pk} after ${this.lastPk})`);
    this.lastPk = pk;
    this.docs.push(pk);
    this.lengths.push(paper.length);
    this.days.push(day);
    const { ids, freqs: counts } = paper;
    const filters: number[] = [];
    this.filters.push(filters);
    for (let t = 0; t < ids.length; t++) {
      const id = ids[t]!;
      const f = counts[t]!;
      if (f === 0) filters.push(id);
      let list = this.postings[id];
      if (!list) {
        list = { pks: new Uint32Array(4), freqs: new Uint16Array(4), n: 0 };
        this.postings[id] = list;
      } else if (list.n === list.pks.length) {
        const pks = new Uint32Array(list.n * 2);
        pks.set(list.pks);
        const freqs = new Uint16Array(list.n * 2);
        freqs.set(list.freqs);
        list.pks = pks;
        list.freqs = freqs;
      }
      list.pks[list.n] = pk;
      list.freqs[list.n] = Math.min(f, 0xffff);
      list.n++;
    }
  }

  /** The segment, its bounds computed with `averageLength` (`terms`: each id's term). */
  build(averageLength: number, terms: readonly string[]): { documents: Omit<SegmentDocs, 'id'>; chunks: Chunk[] } {
    return { documents: { ...this.documents(terms), averageLength }, chunks: [...this.chunks(averageLength, terms)] };
  }

  /** The segment's papers (`terms`: each id's term). */
  private documents(terms: readonly string[]): Omit<SegmentDocs, 'id' | 'averageLength'> {
    return {
      docs: Uint32Array.from(this.docs),
      lengths: Uint32Array.from(this.lengths),
      days: Int32Array.from(this.days),
      ...packFilters(this.filters, (id) => terms[id]!),
    };
  }


  /** The chunks of every term (`terms`: each id's term), their bounds computed with `averageLength`. */
  private *chunks(averageLength: number, terms: readonly string[]): Generator<Chunk> {
    const first = this.docs[0] ?? 0;
    const lengths = new Uint32Array(this.docs.length === 0 ? 0 : this.lastPk - first + 1);
    this.docs.forEach((pk, i) => (lengths[pk - first] = this.lengths[i]!));
    const lengthOf = (pk: number) => lengths[pk - first]!;
    for (let id = 0; id < this.postings.length; id++) {
      const list = this.postings[id];
      if (list) yield* cutChunks(terms[id]!, list.pks.subarray(0, list.n), list.freqs.subarray(0, list.n), lengthOf, averageLength);
    }
  }
}

/**
 * One term's postings (pks ascending) cut into chunks, each block of 64 with the highest saturation it
 * reaches at `averageLength` (papers' lengths from `lengthOf`).
 */
export function* cutChunks(term: string, pks: Uint32Array, freqs: Uint16Array, lengthOf: (pk: number) => number, averageLength: number): Generator<Chunk> {
  for (let start = 0; start < pks.length; start += CHUNK) {
    const end = Math.min(pks.length, start + CHUNK);
    const chunkPks = pks.slice(start, end);
    const chunkFreqs = freqs.slice(start, end);
    const bounds = new Float64Array(Math.ceil(chunkPks.length / BLOCK));
    let bound = 0;
    for (let b = 0; b < bounds.length; b++) {
      let best = 0;
      for (let j = b * BLOCK; j < Math.min(chunkPks.length, (b + 1) * BLOCK); j++) {
        const f = chunkFreqs[j]!;
        if (f === 0) continue;
        const s = saturation(f, lengthOf(chunkPks[j]!), averageLength);
        if (s > best) best = s;
      }
      bounds[b] = best === 0 ? 0 : roundUp(best);
      if (bounds[b]! > bound) bound = bounds[b]!;
    }
    yield { term, firstPk: chunkPks[0]!, lastPk: chunkPks[chunkPks.length - 1]!, pks: chunkPks, freqs: chunkFreqs, bounds, bound };
  }
}

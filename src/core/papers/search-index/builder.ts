/**
 * Collects the postings of a batch of papers and cuts them into chunks: per term, pks ascending with
 * their weighted frequencies, and for each block of 64 the highest saturation any of them reaches (the
 * bound that lets a search skip the block).
 * @module
 */
import { roundUp, saturation } from './bm25.js';

export const CHUNK = 4096;
export const BLOCK = 64;
/** Papers per segment when catching up or importing: bounds the memory a segment's build holds (about 100 MB). */
export const SEGMENT_PAPERS = 100_000;

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
  private lastPk = -1;

  get size(): number {
    return this.docs.length;
  }

  /** Adds a paper; papers come in ascending pk order. */
  add(pk: number, paper: Readonly<{ ids: ArrayLike<number>; freqs: ArrayLike<number>; length: number }>, day: number): void {
    if (pk <= this.lastPk) throw new Error(`search index: papers must come in pk order (${pk} after ${this.lastPk})`);
    this.lastPk = pk;
    this.docs.push(pk);
    this.lengths.push(paper.length);
    this.days.push(day);
    const { ids, freqs: counts } = paper;
    for (let t = 0; t < ids.length; t++) {
      const id = ids[t]!;
      const f = counts[t]!;
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

  get documents(): { docs: Uint32Array; lengths: Uint32Array; days: Int32Array } {
    return { docs: Uint32Array.from(this.docs), lengths: Uint32Array.from(this.lengths), days: Int32Array.from(this.days) };
  }

  /** The chunks of every term (`terms`: each id's term), their bounds computed with `averageLength`. */
  *chunks(averageLength: number, terms: readonly string[]): Generator<Chunk> {
    const first = this.docs[0] ?? 0;
    const lengthOf = new Uint32Array(this.docs.length === 0 ? 0 : this.lastPk - first + 1);
    this.docs.forEach((pk, i) => (lengthOf[pk - first] = this.lengths[i]!));
    for (let id = 0; id < this.postings.length; id++) {
      const list = this.postings[id];
      if (!list) continue;
      const term = terms[id]!;
      for (let start = 0; start < list.n; start += CHUNK) {
        const end = Math.min(list.n, start + CHUNK);
        const pks = list.pks.slice(start, end);
        const freqs = list.freqs.slice(start, end);
        const bounds = new Float64Array(Math.ceil(pks.length / BLOCK));
        let bound = 0;
        for (let b = 0; b < bounds.length; b++) {
          let best = 0;
          for (let j = b * BLOCK; j < Math.min(pks.length, (b + 1) * BLOCK); j++) {
            const f = freqs[j]!;
            if (f === 0) continue;
            const s = saturation(f, lengthOf[pks[j]! - first]!, averageLength);
            if (s > best) best = s;
          }
          bounds[b] = best === 0 ? 0 : roundUp(best);
          if (bounds[b]! > bound) bound = bounds[b]!;
        }
        yield { term, firstPk: pks[0]!, lastPk: pks[pks.length - 1]!, pks, freqs, bounds, bound };
      }
    }
  }
}

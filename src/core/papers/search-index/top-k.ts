/**
 * The exact top k of BM25 over every paper that has all the query's terms, without scoring them all:
 * chunks (and the blocks of 64 inside them) whose highest possible score cannot reach the k-th best
 * score found so far are never read (block-max pruning). Chunks are taken best bound first, so that
 * k-th best score rises fast. Ties go to the paper stored last, as `ORDER BY score, pk DESC` does.
 * @module
 */
import { idf, roundUp, saturation } from './bm25.js';
import { BLOCK } from './builder.js';
import type { DocTable } from './doc-table.js';
import type { ChunkData, ChunkInfo } from './store.js';

export interface TopKQuery {
  /** Stemmed query terms in query order (a term typed twice counts twice, as in FTS5). */
  terms: readonly string[];
  /** Filter terms a paper must have (one category). */
  required: readonly string[];
  /** Filter terms of which a paper must have at least one (several categories). */
  anyOf: readonly string[];
  /** Publication day a paper must be on or after. */
  sinceDay?: number;
  k: number;
  /** Score every match, skipping nothing: the reference the pruned search is checked against. */
  exhaustive?: boolean;
  /** Each position's idf, when its postings are a part of a word's (a tier): the word's, not the part's. */
  weights?: readonly number[];
  /** The stored lists a term's postings are in (a word: its two tiers); default the term itself. */
  expand?: (term: string) => readonly string[];
}

/** A paper and its BM25 score (higher is better; FTS5's bm25() is its negative). */
export interface Scored { pk: number; score: number }

export interface ChunkSource {
  chunks(term: string): ChunkInfo[];
  chunk: (info: ChunkInfo) => ChunkData;
  /** The natural logarithm as FTS5 computes it. */
  ln: (x: number) => number;
}

/**
 * The chunks of one term in one segment that a driving chunk overlaps, with two cursors that only move
 * forward: one finds a paper's frequency, one the highest block bound over a range of pks.
 */
class Cursor {
  private readonly data: (ChunkData | undefined)[];
  private index = 0;
  private pos = 0;
  private boundChunk = 0;
  private boundBlock = 0;

  constructor(readonly chunks: ChunkInfo[], private readonly source: ChunkSource) {
    this.data = new Array<ChunkData | undefined>(chunks.length);
  }

  private at(i: number): ChunkData {
    return (this.data[i] ??= this.source.chunk(this.chunks[i]!));
  }

  /** The weighted frequency of the term in paper `pk`, or -1; pks asked must not decrease. */
  seek(pk: number): number {
    const { chunks } = this;
    while (this.index < chunks.length && chunks[this.index]!.lastPk < pk) {
      this.index++;
      this.pos = 0;
    }
    const info = chunks[this.index];
    if (!info || info.firstPk > pk) return -1;
    const data = this.at(this.index);
    const { pks } = data;
    // A few steps forward first (a dense list's next match is near, and a plain loop's branch is
    // predictable); then gallop and binary search from there.
    let lo = this.pos;
    for (const near = Math.min(pks.length - 1, lo + 16); lo < near && pks[lo]! < pk; ) lo++;
    let step = 1;
    let hi = lo;
    while (hi < pks.length && pks[hi]! < pk) {
      lo = hi;
      hi += step;
      step *= 2;
    }
    if (hi > pks.length - 1) hi = pks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pks[mid]! < pk) lo = mid + 1;
      else hi = mid;
    }
    this.pos = lo;
    return pks[lo] === pk ? data.freqs[lo]! : -1;
  }

  /**
   * The highest block bound among postings in [lo, hi], or -1 when the term has none there; lo must not
   * decrease. A range across several chunks takes the bound of those not read yet as a whole: reading
   * them only for a bound (a sparse driver's block spans many) costs more than the bound saves.
   */
  maxBound(lo: number, hi: number): number {
    const { chunks } = this;
    while (this.boundChunk < chunks.length && chunks[this.boundChunk]!.lastPk < lo) {
      this.boundChunk++;
      this.boundBlock = 0;
    }
    const several = this.boundChunk + 1 < chunks.length && chunks[this.boundChunk + 1]!.firstPk <= hi;
    let best = -1;
    for (let c = this.boundChunk; c < chunks.length && chunks[c]!.firstPk <= hi; c++) {
      if (several && !this.data[c]) {
        if (chunks[c]!.bound > best) best = chunks[c]!.bound;
        continue;
      }
      const { pks, bounds } = this.at(c);
      for (let b = c === this.boundChunk ? this.boundBlock : 0; b < bounds.length; b++) {
        const first = pks[b * BLOCK]!;
        const last = pks[Math.min(pks.length, (b + 1) * BLOCK) - 1]!;
        if (last < lo) {
          if (c === this.boundChunk) this.boundBlock = b + 1;
          continue;
        }
        if (first > hi) return best;
        if (bounds[b]! > best) best = bounds[b]!;
      }
    }
    return best;
  }
}

/** Chunks of a sorted, non-overlapping list that overlap [lo, hi]. */
function overlapping(chunks: readonly ChunkInfo[], lo: number, hi: number): ChunkInfo[] {
  let a = 0;
  let b = chunks.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (chunks[mid]!.lastPk < lo) a = mid + 1;
    else b = mid;
  }
  const out: ChunkInfo[] = [];
  for (let i = a; i < chunks.length && chunks[i]!.firstPk <= hi; i++) out.push(chunks[i]!);
  return out;
}

const maxBound = (chunks: readonly ChunkInfo[]) => chunks.reduce((m, c) => (c.bound > m ? c.bound : m), 0);

function bySegment(chunks: readonly ChunkInfo[]): Map<number, ChunkInfo[]> {
  const out = new Map<number, ChunkInfo[]>();
  for (const c of chunks) {
    const list = out.get(c.segment);
    if (list) list.push(c);
    else out.set(c.segment, [c]);
  }
  return out;
}

/** The k best so far, best first; a paper offered again keeps its higher score. */
export class Best {
  readonly items: Scored[] = [];
  constructor(private readonly k: number) {}

  /** The score a paper must reach to enter (-Infinity until k are found). */
  get threshold(): number {
    return this.items.length < this.k ? Number.NEGATIVE_INFINITY : this.items[this.k - 1]!.score;
  }

  offer(pk: number, score: number): void {
    const { items, k } = this;
    if (items.length === k) {
      const worst = items[k - 1]!;
      if (score < worst.score || (score === worst.score && pk < worst.pk)) return;
    }
    const known = items.findIndex((item) => item.pk === pk);
    if (known >= 0) {
      if (items[known]!.score >= score) return;
      items.splice(known, 1);
    }
    // Still full: the paper beats the worst (checked above), which leaves.
    if (items.length === k) items.pop();
    let i = items.length;
    while (i > 0 && (items[i - 1]!.score < score || (items[i - 1]!.score === score && items[i - 1]!.pk < pk))) i--;
    items.splice(i, 0, { pk, score });
  }
}

interface Candidate { segment: number; driver: string; chunk: ChunkInfo; bound: number }

/** A term's postings in one segment: one sorted chunk list per stored list it is made of (a word's two tiers). */
type Parts = ChunkInfo[][];

/** Cursors over the parts of one term: a paper is in at most one of them. */
class TermCursor {
  private readonly parts: Cursor[];
  constructor(parts: Parts, lo: number, hi: number, source: ChunkSource) {
    // The largest part first: the likeliest to hold a paper.
    this.parts = parts.map((chunks) => new Cursor(overlapping(chunks, lo, hi), source)).sort((a, b) => b.chunks.length - a.chunks.length);
  }

  get chunks(): ChunkInfo[] {
    return this.parts.flatMap((p) => p.chunks);
  }

  seek(pk: number): number {
    for (const part of this.parts) {
      const f = part.seek(pk);
      if (f >= 0) return f;
    }
    return -1;
  }

  maxBound(lo: number, hi: number): number {
    let best = -1;
    for (const part of this.parts) best = Math.max(best, part.maxBound(lo, hi));
    return best;
  }
}

const partsOverlap = (parts: Parts, lo: number, hi: number) => parts.flatMap((chunks) => overlapping(chunks, lo, hi));

/** Postings in a list of chunks. */
export const postingsIn = (chunks: readonly ChunkInfo[]) => chunks.reduce((n, c) => n + c.count, 0);

/** Postings in a term's lists. */
const postings = (parts: readonly ChunkInfo[][]) => parts.reduce((n, chunks) => n + postingsIn(chunks), 0);

/**
 * True when a filter list of `size` papers should drive the search rather than be asked of memory: when
 * it has a quarter of the papers of the smallest word list or fewer. Driving seeks every paper of the
 * filter in the words (the rarest first); a word that drives reads its own postings best first and
 * scores only what passes the filter, so that a filter few papers pass leaves the k-th best score low
 * and most of the word's postings read.
 */
export const filterDrives = (size: number, smallestWord: number) => size * 4 <= smallestWord;

export function topK(query: TopKQuery, docs: DocTable, dead: ReadonlyMap<string, number>, source: ChunkSource, best = new Best(query.k)): Scored[] {
  if (query.k <= 0 || docs.papers === 0) return best.items;
  const distinct = [...new Set(query.terms)];
  const expand = query.expand ?? ((term: string) => [term]);
  const lists = new Map<string, ChunkInfo[][]>();
  for (const term of [...distinct, ...query.required]) if (!lists.has(term)) lists.set(term, expand(term).map((t) => source.chunks(t)));
  const empty = (t: string) => lists.get(t)!.every((chunks) => chunks.length === 0);
  if ([...distinct, ...query.required].some(empty)) return best.items;
  // A category drives only when it is rare; otherwise each paper's categories are asked of memory.
  const smallest = Math.min(...distinct.map((t) => postings(lists.get(t)!)));
  const driving = query.required.filter((t) => filterDrives(postings(lists.get(t)!), smallest));
  const required = query.required.filter((t) => !driving.includes(t));
  const mask = required.length + query.anyOf.length > 0 ? docs.filterMask(required, query.anyOf) : undefined;

  const rows = docs.papers;
  const averageLength = docs.averageLength;
  const weightOf = new Map<string, number>();
  const positionWeights = query.weights ?? query.terms.map((term) => {
    const hits = expand(term).reduce((n, t, i) => n + postingsIn(lists.get(term)![i]!) - (dead.get(t) ?? 0), 0);
    return idf(rows, hits, source.ln);
  });
  query.terms.forEach((term, i) => weightOf.set(term, (weightOf.get(term) ?? 0) + positionWeights[i]!));
  // Where each query position finds its frequency: the slot of its distinct term.
  const slotOf = query.terms.map((t) => distinct.indexOf(t));

  const segmentsOf = new Map([...lists].map(([term, parts]) => {
    const bySeg = new Map<number, Parts>();
    parts.forEach((chunks, i) => {
      for (const [segment, list] of bySegment(chunks)) {
        const entry = bySeg.get(segment) ?? parts.map((): ChunkInfo[] => []);
        entry[i] = list;
        bySeg.set(segment, entry);
      }
    });
    return [term, bySeg] as const;
  }));
  const must = [...distinct, ...driving];
  const candidates: Candidate[] = [];
  const segments = new Set([...segmentsOf.values()].flatMap((m) => [...m.keys()]));
  for (const segment of segments) {
    const inSegment = must.map((t) => segmentsOf.get(t)!.get(segment));
    if (inSegment.some((c) => !c)) continue;
    const scale = docs.boundScale(segment);
    // The rarest term drives: each of its chunks is a candidate, bounded by what every term can add there.
    let driver = 0;
    const sizes = inSegment.map((parts) => postings(parts!));
    sizes.forEach((size, i) => { if (size < sizes[driver]!) driver = i; });
    for (const chunk of inSegment[driver]!.flat()) {
      let bound = 0;
      let possible = true;
      for (let t = 0; t < must.length && possible; t++) {
        const weight = weightOf.get(must[t]!) ?? 0;
        if (t === driver) { bound += weight * chunk.bound; continue; }
        const over = partsOverlap(inSegment[t]!, chunk.firstPk, chunk.lastPk);
        if (over.length === 0) possible = false;
        else bound += weight * maxBound(over);
      }
      if (possible) candidates.push({ segment, driver: must[driver]!, chunk, bound: roundUp(bound * scale) });
    }
  }
  candidates.sort((a, b) => b.bound - a.bound);

  const f = new Float64Array(distinct.length);
  for (const { segment, driver, chunk, bound } of candidates) {
    if (!query.exhaustive && bound < best.threshold) break;
    scoreChunk(segment, driver, chunk);
  }
  return best.items;

  function scoreChunk(segment: number, driverTerm: string, chunk: ChunkInfo): void {
    const scale = docs.boundScale(segment);
    // The rarest first: most papers the driver offers fail there, and the other seeks are saved.
    const sizeHere = (t: string) => postings(segmentsOf.get(t)!.get(segment)!);
    const others = must.filter((t) => t !== driverTerm).sort((a, b) => sizeHere(a) - sizeHere(b));
    const cursors = others.map((t) => new TermCursor(segmentsOf.get(t)!.get(segment)!, chunk.firstPk, chunk.lastPk, source));
    const otherWeights = others.map((t) => weightOf.get(t) ?? 0);
    // What the other terms can add anywhere in this chunk, known without reading their postings.
    const othersAtMost = cursors.reduce((sum, cursor, c) => sum + otherWeights[c]! * maxBound(cursor.chunks), 0);
    const driverWeight = weightOf.get(driverTerm) ?? 0;
    const driverSlot = distinct.indexOf(driverTerm);
    const otherSlots = others.map((t) => distinct.indexOf(t));
    const data = source.chunk(chunk);
    const { pks, freqs, bounds } = data;
    const { segmentOf, lengthOf, dayOf } = docs;
    const since = query.sinceDay;
    // Every posting of a segment that no newer one replaced a paper of is live.
    const replaced = docs.hasReplaced(segment);
    for (let b = 0; b < bounds.length; b++) {
      const start = b * BLOCK;
      const end = Math.min(pks.length, start + BLOCK);
      // What this block can score: its own bound, and the best block of every other term over its pks
      // (read only when the other terms' chunk bounds leave the block a chance).
      if (!query.exhaustive && roundUp((driverWeight * bounds[b]! + othersAtMost) * scale) < best.threshold) continue;
      let bound = driverWeight * bounds[b]!;
      for (let c = 0; c < cursors.length; c++) {
        const other = cursors[c]!.maxBound(pks[start]!, pks[end - 1]!);
        if (other < 0) { bound = Number.NEGATIVE_INFINITY; break; }
        bound += otherWeights[c]! * other;
      }
      if (!query.exhaustive && roundUp(bound * scale) < best.threshold) continue;
      docs: for (let j = start; j < end; j++) {
        const pk = pks[j]!;
        if (replaced && segmentOf[pk] !== segment) continue;
        if (since !== undefined && dayOf[pk]! < since) continue;
        if (mask && ((mask[pk >>> 5]! >>> (pk & 31)) & 1) === 0) continue;
        if (driverSlot >= 0) f[driverSlot] = freqs[j]!;
        for (let c = 0; c < cursors.length; c++) {
          const found = cursors[c]!.seek(pk);
          if (found < 0) continue docs;
          const slot = otherSlots[c]!;
          if (slot >= 0) f[slot] = found;
        }
        const length = lengthOf[pk]!;
        let score = 0;
        for (let i = 0; i < slotOf.length; i++) score += positionWeights[i]! * saturation(f[slotOf[i]!]!, length, averageLength);
        best.offer(pk, score);
      }
    }
  }
}

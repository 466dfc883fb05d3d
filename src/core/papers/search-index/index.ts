/**
 * Paperboy's own search index: the exact BM25 ranking of papers_fts (same terms, same formula), found
 * without scoring every match (top-k.ts). It is built from the papers table in segments and kept up to
 * date from it: new papers are those above the highest pk indexed, changed ones are queued by a trigger
 * (drizzle/0009_search_index.sql). A search asks {@link SearchIndex.ready} first; when the index is
 * behind by more than a small batch, the caller answers from FTS5 instead (the same ranking, slower)
 * until {@link SearchIndex.catchUp} has run (after an import, at start-up).
 * @module
 */
import type { Database } from '../../../db/database.js';
import { SEGMENT_PAPERS, SegmentBuilder, type Chunk } from './builder.js';
import { DocTable, type SegmentDocs } from './doc-table.js';
import { dayOf, TermCounter, wordTerms, type IndexedPaper } from './documents.js';
import { isExpressionTerm, PhraseLists } from './phrase-lists.js';
import type { FedSegment, IndexTotals } from './segment-feed.js';
import { SearchIndexStore, type ChunkData, type ChunkInfo, type PendingPaper } from './store.js';
import { Fts5Tokenizer } from './tokenizer.js';
import { tieredTopK } from './tiered.js';
import type { Scored, TopKQuery } from './top-k.js';

export type { Scored } from './top-k.js';

/** A search brings the index up to date itself when it is behind by at most this many papers. */
export const INLINE_PAPERS = 2_000;
/** Segments this small are merged once there are more than MAX_SMALL of them. */
const SMALL_SEGMENT = 2_000;
const MAX_SMALL = 8;
/**
 * The layout of the stored postings (terms, tiers, encodings). A database written in another is
 * indexed again from scratch, answered by FTS5 meanwhile.
 */
const FORMAT = 1;
/** Decoded chunks kept in memory, in bytes. */
const CACHE_BYTES = 96 * 1024 * 1024;

export interface CatchUpProgress { done: number; total: number }

/** Where the index stands for an import that builds its segments beside its writes (segment-feed.ts). */
export interface FeedPosition extends IndexTotals { watermark: number; generation: number }

/** A segment built in memory, and what writing it changes. */
interface Batch {
  /** The index's generation when the batch was read: written only if it is still the same. */
  generation: number;
  pending: PendingPaper[];
  papers: Map<number, IndexedPaper>;
  dead: { segment: number; terms: Set<string> }[];
  documents: Omit<SegmentDocs, 'id'>;
  chunks: Chunk[];
  watermark: number;
  count: number;
}

export class SearchIndex {
  private readonly store: SearchIndexStore;
  private readonly tokenizer = new Fts5Tokenizer();
  private docs = new DocTable();
  private dead = new Map<string, number>();
  private loaded = -1;
  private readonly cache = new Map<number, ChunkData>();
  private cached = 0;

  private readonly phrases: PhraseLists;
  private readonly lnStatement;
  private readonly logs = new Map<number, number>();

  constructor(database: Database, private readonly now: () => number = Date.now) {
    this.store = new SearchIndexStore(database);
    this.phrases = new PhraseLists(database);
    this.lnStatement = database.sqlite.prepare<[number], number>('SELECT ln(?)').pluck();
  }

  /** SQLite's ln(), the C library's log that FTS5's bm25() uses, remembered per argument. */
  private readonly ln = (x: number): number => {
    let value = this.logs.get(x);
    if (value === undefined) {
      if (this.logs.size > 10_000) this.logs.clear();
      value = this.lnStatement.get(x)!;
      this.logs.set(x, value);
    }
    return value;
  };

  /** The stemmed terms of a piece of query text, as papers_fts would index it. */
  terms(text: string): string[] {
    return this.tokenizer.termsIn(text);
  }

  /** How many papers the index is behind by. */
  behind(): number {
    this.checkFormat();
    return this.store.countPending() + this.store.countAfter(this.store.watermark);
  }

  /**
   * True when the index holds every paper as stored, after indexing what changed if that is a small
   * batch. False: answer from FTS5 this time.
   */
  ready(): boolean {
    const behind = this.behind();
    if (behind > INLINE_PAPERS) return false;
    if (behind > 0) this.catchUp();
    return true;
  }

  /**
   * Indexes every paper added or changed since the last catch-up; returns how many. The work is done
   * outside any transaction; each segment is then written in one short one, unless another process
   * changed the index meanwhile (then that batch is read again).
   */
  catchUp(onProgress?: (progress: CatchUpProgress) => void): number {
    const total = this.behind();
    let done = 0;
    onProgress?.({ done, total });
    for (;;) {
      const batch = this.readBatch();
      if (!batch) break;
      const written = this.store.transaction(() => {
        if (this.store.generation !== batch.generation) return false;
        this.writeBatch(batch);
        return true;
      });
      if (!written) continue;
      done += batch.count;
      onProgress?.({ done: Math.min(done, total), total: Math.max(total, done) });
    }
    this.mergeSmallSegments();
    return done;
  }

  /**
   * Where an import that builds its own segments (SegmentFeed) starts from; undefined when the index
   * is behind (then it catches up after the import instead).
   */
  feedStart(): FeedPosition | undefined {
    if (this.behind() > 0) return undefined;
    this.load();
    return { papers: this.docs.papers, tokens: this.docs.tokens, watermark: this.store.watermark, generation: this.store.generation };
  }

  /**
   * Stores a segment a SegmentFeed built from `at`, if the index is still there (no other process
   * indexed meanwhile) and the segment holds every paper stored since (none came from elsewhere).
   * Returns the position after it, or undefined when not stored: then catchUp indexes those papers.
   */
  writeFed(segment: FedSegment, at: FeedPosition): FeedPosition | undefined {
    this.load();
    return this.store.transaction(() => {
      const { generation, watermark } = this.store;
      if (generation !== at.generation || watermark !== at.watermark || segment.firstPk <= watermark) return undefined;
      if (this.store.countAfter(watermark) - this.store.countAfter(segment.watermark) !== segment.count) return undefined;
      const id = this.store.writeSegment(segment.documents, segment.chunks, this.now());
      this.store.advance(segment.watermark);
      this.docs.add({ id, ...segment.documents });
      this.phrases.clear();
      this.loaded = this.store.generation;
      return { papers: this.docs.papers, tokens: this.docs.tokens, watermark: segment.watermark, generation: this.loaded };
    });
  }

  /**
   * The exact top k; call {@link ready} first. Undefined when the query has more words than the tiers
   * can take (tiered.ts): then FTS5 answers.
   */
  topK(query: TopKQuery): Scored[] | undefined {
    this.load();
    // Each term's chunk list is read once per search, however many tier groups ask for it.
    const lists = new Map<string, ChunkInfo[]>();
    const chunks = (term: string) => {
      let list = lists.get(term);
      if (!list) lists.set(term, (list = this.chunks(term)));
      return list;
    };
    return tieredTopK(query, this.docs, this.dead, { chunks, chunk: (info) => this.chunk(info), ln: this.ln });
  }

  /** One segment's worth, built in memory: changed papers first, then new ones. */
  private readBatch(): Batch | undefined {
    this.load();
    const generation = this.store.generation;
    const pending = this.store.pending(SEGMENT_PAPERS);
    const watermark = this.store.watermark;
    const papers = new Map<number, IndexedPaper>();
    for (const p of pending) {
      const paper = this.store.paper(p.pk);
      if (paper) papers.set(p.pk, paper);
    }
    const fresh = this.store.papersAfterPk(watermark, SEGMENT_PAPERS - pending.length);
    for (const paper of fresh) papers.set(paper.pk, paper);
    if (papers.size === 0 && pending.length === 0) return undefined;

    const counter = new TermCounter(this.tokenizer);
    // A replaced version's terms leave the statistics of the segment that still holds it.
    const dead = pending.flatMap((old) => {
      const segment = old.pk < this.docs.segmentOf.length ? this.docs.segmentOf[old.pk]! : 0;
      return segment === 0 ? [] : [{ segment, terms: wordTerms(old, counter) }];
    });
    const builder = new SegmentBuilder();
    let tokens = 0;
    for (const paper of [...papers.values()].sort((a, b) => a.pk - b.pk)) {
      const terms = counter.count(paper);
      tokens += terms.length;
      builder.add(paper.pk, terms, dayOf(paper.publishedAt));
    }
    // Bounds are computed with the average length once this segment is in: close to what searches will use.
    const after = this.docs.papers + papers.size;
    const averageLength = after === 0 ? 1 : Math.max(1e-9, (this.docs.tokens + tokens) / after);
    return {
      generation, pending, papers, dead,
      documents: { ...builder.documents, averageLength },
      chunks: [...builder.chunks(averageLength, this.tokenizer.terms)],
      watermark: Math.max(watermark, fresh.at(-1)?.pk ?? watermark),
      count: Math.max(papers.size, pending.length),
    };
  }

  /** Writes a batch read by {@link readBatch}; inside a write transaction. */
  private writeBatch(batch: Batch): void {
    for (const { segment, terms } of batch.dead) this.store.addDeadTerms(segment, terms);
    for (const old of batch.pending) this.store.unpendPaper(old, batch.papers.get(old.pk));
    const id = this.store.writeSegment(batch.documents, batch.chunks, this.now());
    this.store.advance(batch.watermark);
    this.docs.add({ id, ...batch.documents });
    this.dead = this.store.deadTerms();
    this.phrases.clear();
    this.loaded = this.store.generation;
  }

  /** Many small segments (from searches that indexed a few papers each) become one. */
  private mergeSmallSegments(): void {
    this.load();
    const small = [...this.docs.sizes].filter(([, size]) => size < SMALL_SEGMENT).map(([id]) => id);
    if (small.length <= MAX_SMALL) return;
    const generation = this.store.generation;
    this.store.transaction(() => {
      if (this.store.generation !== generation) return;
      const keep = new Set(small);
      const pks: number[] = [];
      for (let pk = 1; pk <= this.docs.maxPk; pk++) if (keep.has(this.docs.segmentOf[pk]!)) pks.push(pk);
      const builder = new SegmentBuilder();
      const counter = new TermCounter(this.tokenizer);
      for (const pk of pks) {
        const paper = this.store.paper(pk);
        if (paper) builder.add(pk, counter.count(paper), dayOf(paper.publishedAt));
      }
      const averageLength = Math.max(1e-9, this.docs.averageLength);
      this.store.writeSegment({ ...builder.documents, averageLength }, builder.chunks(averageLength, this.tokenizer.terms), this.now());
      this.store.deleteSegments(small);
      this.store.advance(this.store.watermark);
    });
    this.loaded = -1;
    this.load();
  }

  /** Reloads what is in memory when another connection (or a merge) changed the index. */
  /** Postings in another layout (an older Paperboy's) are dropped, to be indexed again. */
  private checkFormat(): void {
    if (this.store.format !== FORMAT) this.store.reset(FORMAT);
  }

  private load(): void {
    this.checkFormat();
    const generation = this.store.generation;
    if (generation === this.loaded) return;
    this.docs = DocTable.of(this.store.segments());
    this.dead = this.store.deadTerms();
    this.cache.clear();
    this.cached = 0;
    this.phrases.clear();
    this.loaded = generation;
  }

  private chunks(term: string): ChunkInfo[] {
    return isExpressionTerm(term) ? this.phrases.chunks(term, this.docs, this.ln) : this.store.chunks(term);
  }

  private chunk(info: ChunkInfo): ChunkData {
    const { id } = info;
    if (id < 0) {
      const phrase = this.phrases.chunk(id);
      if (!phrase) throw new Error(`search index: phrase chunk ${id} is gone`);
      return phrase;
    }
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const data = this.store.chunk(info);
    const bytes = data.pks.byteLength + data.freqs.byteLength + data.bounds.byteLength;
    this.cache.set(id, data);
    this.cached += bytes;
    for (const [old, value] of this.cache) {
      if (this.cached <= CACHE_BYTES) break;
      this.cache.delete(old);
      this.cached -= value.pks.byteLength + value.freqs.byteLength + value.bounds.byteLength;
    }
    return data;
  }
}

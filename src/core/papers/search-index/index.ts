/**
 * Paperboy's own search index: the exact BM25 ranking of papers_fts (same terms, same formula), found
 * without scoring every match (top-k.ts). It is built from the papers table in segments and kept up to
 * date from it: new papers are those above the highest pk indexed, changed ones are queued by a trigger
 * (drizzle/0009_search_index.sql). A search asks {@link SearchIndex.ready} first; when the index is
 * behind by more than a small batch, the caller answers from FTS5 instead (the same ranking, slower)
 * until {@link SearchIndex.catchUp} has run (after an import, at start-up).
 * @module
 */
import { LRUCache } from 'lru-cache';
import type { Database } from '../../../db/database.js';
import { SegmentBuilder, type Chunk } from './builder.js';
import { DocTable, type SegmentDocs } from './doc-table.js';
import { dayOf, TermCounter, tierTerms, wordTerms, type IndexedPaper } from './documents.js';
import { isExpressionTerm, PhraseLists } from './phrase-lists.js';
import { chunkRowBytes, decodeChunk, SearchIndexStore, type ChunkData, type ChunkInfo, type ChunkRow, type PendingPaper } from './store.js';
import { mergeSegments, nextMerge } from './segment-merge.js';
import type { FedSegment, IndexTotals } from './segment-feed.js';
import { Fts5Tokenizer } from './tokenizer.js';
import { tieredTopK } from './tiered.js';
import { postingsIn, type Best, type Scored, type TopKQuery } from './top-k.js';

export type { Scored } from './top-k.js';

/** Papers per segment when catching up: bounds the memory a catch-up holds (about 100 MB). */
export const SEGMENT_PAPERS = 100_000;
/** A search brings the index up to date itself when it is behind by at most this many papers. */
export const INLINE_PAPERS = 2_000;
/**
 * The layout of the stored postings (terms, tiers, encodings). A database written in another is
 * indexed again from scratch, answered by FTS5 meanwhile.
 */
const FORMAT = 2;
/**
 * Chunks kept in memory, in bytes: as stored (a common word's chunk is about 3 KB; 128 MB holds most of
 * an index of 1M papers), and a smaller share decoded (about 25 KB each), so that the words searched
 * often are read from disk once.
 */
const STORED_CACHE_BYTES = 128 * 1024 * 1024;
const DECODED_CACHE_BYTES = 64 * 1024 * 1024;
const decodedBytes = (data: ChunkData) => data.pks.byteLength + data.freqs.byteLength + data.bounds.byteLength;

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
  private readonly rows = new LRUCache<number, ChunkRow>({ maxSize: STORED_CACHE_BYTES, sizeCalculation: chunkRowBytes });
  private readonly decoded = new LRUCache<number, ChunkData>({ maxSize: DECODED_CACHE_BYTES, sizeCalculation: decodedBytes });
  /** What {@link warm} reads, and how far it got (until the index changes). */
  private toWarm: number[] | undefined;
  private warmed = 0;
  /** Each term's chunk list, as the last reload left the index. */
  private readonly infos = new LRUCache<string, ChunkInfo[]>({ max: 50_000 });

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

  /** About how many papers have `word` in their title (or authors): how rare a word of a title is. */
  titlesWith(word: string): number {
    const terms = this.terms(word);
    if (terms.length !== 1) return 0;
    this.load();
    return postingsIn(this.chunks(tierTerms(terms[0]!)[0]));
  }

  /** Calls `emit` with each token of `text`: its stemmed term, and where its word starts and ends. */
  tokens(text: string, emit: (term: string, start: number, end: number) => void): void {
    this.tokenizer.tokens(text, emit);
  }

  /**
   * Reads stored chunks into memory ahead of searches, `rows` of them a call, most useful first (see
   * chunkIdsToWarm); false once the cache is nearly full or every chunk is read. The running bot calls
   * it between other work (background.ts), so that a search's first touch of a word is not a disk read.
   */
  warm(rows = 1000): boolean {
    this.load();
    this.toWarm ??= this.store.chunkIdsToWarm();
    for (let n = 0; n < rows; n++) {
      if (this.isWarm) return false;
      const id = this.toWarm[this.warmed++]!;
      if (!this.rows.has(id)) this.rows.set(id, this.store.chunkRow(id));
    }
    return !this.isWarm;
  }

  /** True once {@link warm} has read what it could since the index last changed. */
  get isWarm(): boolean {
    return this.toWarm !== undefined && (this.warmed >= this.toWarm.length || this.rows.calculatedSize >= STORED_CACHE_BYTES * 0.9);
  }

  /** Moves whenever the index changes: papers were indexed (by any process), merged, or indexed again. */
  get generation(): number {
    return this.store.generation;
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
    this.mergeSegments();
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
   * indexed meanwhile) and the segment holds every paper stored since (none came from elsewhere), then
   * merges as a catch-up does (between two batches of the import: the writer has time while the reader
   * reads ahead). Returns the position after it, or undefined when not stored: then catchUp indexes
   * those papers.
   */
  writeFed(segment: FedSegment, at: FeedPosition): FeedPosition | undefined {
    this.load();
    const written = this.store.transaction(() => {
      const { generation, watermark } = this.store;
      if (generation !== at.generation || watermark !== at.watermark || segment.firstPk <= watermark) return false;
      if (this.store.countAfter(watermark) - this.store.countAfter(segment.watermark) !== segment.count) return false;
      const id = this.store.writeSegment(segment.documents, segment.chunks, this.now());
      this.store.advance(segment.watermark);
      this.wrote(id, segment.documents);
      return true;
    });
    // Merges change the generation: the feed goes on from ours, unless another process wrote meanwhile.
    if (!written || !this.mergeSegments()) return undefined;
    return { papers: this.docs.papers, tokens: this.docs.tokens, watermark: segment.watermark, generation: this.loaded };
  }

  /**
   * The exact top k; call {@link ready} first. Undefined when the query has more words than the tiers
   * can take (tiered.ts): then FTS5 answers. `best`: the best found so far by other searches of the same
   * query (the any-word fallback's word sets), which this one only has to beat.
   */
  topK(query: TopKQuery, best?: Best): Scored[] | undefined {
    this.load();
    // Each term's chunk list is read once per search, however many tier groups ask for it.
    const lists = new Map<string, ChunkInfo[]>();
    const chunks = (term: string) => {
      let list = lists.get(term);
      if (!list) lists.set(term, (list = this.chunks(term)));
      return list;
    };
    return tieredTopK(query, this.docs, this.dead, { chunks, chunk: (info) => this.chunk(info), ln: this.ln }, best);
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
      ...builder.build(averageLength, this.tokenizer.terms),
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
    this.wrote(id, batch.documents);
  }

  /**
   * What is in memory follows a segment this connection wrote (and the segments it replaced), without
   * reloading every segment: a search's own catch-up or merge costs no reload of the whole index.
   * Chunks cached by id stay valid: a chunk never changes, and new ones get new ids.
   */
  private wrote(id: number, documents: Omit<SegmentDocs, 'id'>, replaced: readonly number[] = []): void {
    this.docs.add({ id, ...documents });
    this.docs.drop(replaced);
    this.dead = this.store.deadTerms();
    this.phrases.clear();
    this.infos.clear();
    this.toWarm = undefined;
    this.warmed = 0;
    this.loaded = this.store.generation;
  }

  /**
   * Segments of one size merge into one, by their postings (segment-merge.ts): built outside any
   * transaction, written in a short one unless another process changed the index meanwhile (then
   * false: the rest is left to that process).
   */
  private mergeSegments(): boolean {
    for (;;) {
      this.load();
      const run = nextMerge(this.docs.sizes);
      if (run.length === 0) return true;
      const generation = this.store.generation;
      const merged = mergeSegments(this.store, this.docs, this.store.segments(run));
      const written = this.store.transaction(() => {
        if (this.store.generation !== generation) return false;
        const id = this.store.writeSegment(merged.documents, merged.chunks, this.now());
        this.store.deleteSegments(run);
        this.store.advance(this.store.watermark);
        this.wrote(id, merged.documents, run);
        return true;
      });
      // Another process changed the index: its own catch-up merges what is left.
      if (!written) return false;
    }
  }

  /** Postings in another layout (an older Paperboy's) are dropped, to be indexed again. */
  private checkFormat(): void {
    if (this.store.format !== FORMAT) this.store.reset(FORMAT);
  }

  /** Reloads what is in memory when another connection (or a merge) changed the index. */
  private load(): void {
    this.checkFormat();
    const generation = this.store.generation;
    if (generation === this.loaded) return;
    this.docs = DocTable.of(this.store.segments());
    this.dead = this.store.deadTerms();
    this.rows.clear();
    this.decoded.clear();
    this.infos.clear();
    this.toWarm = undefined;
    this.warmed = 0;
    this.phrases.clear();
    this.loaded = generation;
  }

  private chunks(term: string): ChunkInfo[] {
    if (isExpressionTerm(term)) return this.phrases.chunks(term, this.docs, this.ln);
    let infos = this.infos.get(term);
    if (!infos) this.infos.set(term, (infos = this.store.chunks(term)));
    return infos;
  }

  private chunk(info: ChunkInfo): ChunkData {
    const { id } = info;
    if (id < 0) {
      const phrase = this.phrases.chunk(id);
      if (!phrase) throw new Error(`search index: phrase chunk ${id} is gone`);
      return phrase;
    }
    const hit = this.decoded.get(id);
    if (hit) return hit;
    let row = this.rows.get(id);
    if (!row) this.rows.set(id, (row = this.store.chunkRow(id)));
    const data = decodeChunk(row, info);
    this.decoded.set(id, data);
    return data;
  }
}

/**
 * Builds the search index's segments from the papers an import stores, beside the writer (in the
 * import's reader thread), so the index is up to date when the import ends instead of catching up after
 * it. The papers are the packed ones the writer inserts, told by their pks once committed; the segments
 * equal what a catch-up reading them back from the papers table builds (same terms, postings, lengths,
 * days and bounds, cut every SEGMENT_PAPERS papers), and SearchIndex.writeFed stores them.
 * @module
 */
import { FIELD, PACKED_WIDTH, type PackedPapers } from '../packed-papers.js';
import { SegmentBuilder, type Chunk } from './builder.js';
import type { SegmentDocs } from './doc-table.js';
import { dayOf, TermCounter } from './documents.js';
import { SEGMENT_PAPERS } from './index.js';
import { Fts5Tokenizer } from './tokenizer.js';

/** The index's papers and tokens where the feed starts (SearchIndex.feedStart). */
export interface IndexTotals { papers: number; tokens: number }

/** A segment built by a {@link SegmentFeed}: papers `firstPk` to `watermark`, `count` of them. */
export interface FedSegment {
  documents: Omit<SegmentDocs, 'id'>;
  chunks: Chunk[];
  firstPk: number;
  watermark: number;
  count: number;
}

/** Per paper, what the index reads of it: title, authors joined, abstract, categories (JSON), published. */
const KEPT = 5;

export class SegmentFeed {
  private readonly tokenizer = new Fts5Tokenizer();
  private readonly counter = new TermCounter(this.tokenizer);
  private builder = new SegmentBuilder();
  private tokens = 0;
  private firstPk = 0;
  private lastPk = 0;
  /** Files kept until their papers' pks are known, oldest first. */
  private readonly kept: (string | null)[][] = [];

  constructor(private readonly totals: IndexTotals, private readonly segmentPapers = SEGMENT_PAPERS) {}

  /** Keeps what the index needs of a file's papers until {@link placed} tells where they were stored. */
  keep(packed: PackedPapers): void {
    const v = packed.values;
    const kept: (string | null)[] = new Array<string | null>(packed.count * KEPT);
    for (let i = 0, at = 0; i < packed.count; i++, at += PACKED_WIDTH) {
      kept[i * KEPT] = v[at + FIELD.title] as string;
      kept[i * KEPT + 1] = v[at + FIELD.authorsText] as string;
      kept[i * KEPT + 2] = v[at + FIELD.abstract] as string;
      // As PaperStore inserts a paper of unknown categories.
      kept[i * KEPT + 3] = (v[at + FIELD.categories] as string | null) ?? '[]';
      kept[i * KEPT + 4] = v[at + FIELD.publishedAt] as string | null;
    }
    this.kept.push(kept);
  }

  /**
   * The oldest kept file was written: `pks[i]` is where its paper `i` was inserted, 0 for a paper that
   * was already stored. Returns the segments this completes.
   */
  placed(pks: Uint32Array): FedSegment[] {
    const kept = this.kept.shift();
    if (!kept || kept.length !== pks.length * KEPT) throw new Error('search index feed: placements for a file it does not hold');
    const done: FedSegment[] = [];
    for (let i = 0; i < pks.length; i++) {
      const pk = pks[i]!;
      if (pk === 0) continue;
      const at = i * KEPT;
      const terms = this.counter.countText(kept[at]!, kept[at + 1]!, kept[at + 2]!, kept[at + 3]!);
      if (this.builder.size === 0) this.firstPk = pk;
      this.builder.add(pk, terms, dayOf(kept[at + 4]!));
      this.tokens += terms.length;
      this.lastPk = pk;
      if (this.builder.size >= this.segmentPapers) done.push(this.cut());
    }
    return done;
  }

  /** The last segment, when papers are left over. */
  end(): FedSegment | undefined {
    return this.builder.size > 0 ? this.cut() : undefined;
  }

  private cut(): FedSegment {
    const { builder } = this;
    const count = builder.size;
    this.totals.papers += count;
    this.totals.tokens += this.tokens;
    // As SearchIndex.readBatch: bounds at the average length once this segment is in.
    const averageLength = Math.max(1e-9, this.totals.tokens / this.totals.papers);
    const segment = { ...builder.build(averageLength, this.tokenizer.terms), firstPk: this.firstPk, watermark: this.lastPk, count };
    this.builder = new SegmentBuilder();
    this.tokens = 0;
    return segment;
  }
}

/** The buffers of a segment, to hand it to another thread without copying. */
export function segmentBuffers(segment: FedSegment): ArrayBuffer[] {
  const { docs, lengths, days, filters } = segment.documents;
  const buffers = [docs.buffer, lengths.buffer, days.buffer, filters.buffer];
  for (const c of segment.chunks) buffers.push(c.pks.buffer, c.freqs.buffer, c.bounds.buffer);
  return buffers as ArrayBuffer[];
}

/**
 * What the index knows of each paper, in memory and by pk: which segment holds its live version, its
 * length and its publication day; and the corpus statistics BM25 needs (papers, average length).
 * @module
 */

export interface SegmentDocs {
  id: number;
  docs: Uint32Array;
  lengths: Uint32Array;
  days: Int32Array;
  averageLength: number;
}

export class DocTable {
  /** Segment of each pk's live version (0: not indexed). */
  segmentOf = new Int32Array(0);
  lengthOf = new Uint32Array(0);
  dayOf = new Int32Array(0);
  papers = 0;
  tokens = 0;
  maxPk = 0;
  readonly averageLengths = new Map<number, number>();
  /** Segment sizes in papers, live or not. */
  readonly sizes = new Map<number, number>();

  get averageLength(): number {
    return this.papers === 0 ? 0 : this.tokens / this.papers;
  }

  /**
   * What a segment's block bounds are multiplied by to stay bounds at today's average length: they
   * were computed with the segment's, and a longer average only raises saturation, by at most the ratio.
   */
  boundScale(segment: number): number {
    const reference = this.averageLengths.get(segment) ?? this.averageLength;
    return this.averageLength > reference ? (this.averageLength / reference) * (1 + 1e-9) : 1;
  }

  /** A table of every segment, oldest first. */
  static of(segments: readonly SegmentDocs[]): DocTable {
    const table = new DocTable();
    const highest = segments.reduce((m, s) => Math.max(m, s.docs.length > 0 ? s.docs[s.docs.length - 1]! : 0), 0);
    table.grow(highest + 1);
    for (const segment of segments) table.add(segment);
    return table;
  }

  /** Adds a segment newer than every one added before: its papers replace their older versions. */
  add(segment: SegmentDocs): void {
    const { docs, lengths, days, id } = segment;
    const last = docs.length > 0 ? docs[docs.length - 1]! : 0;
    if (last >= this.segmentOf.length) this.grow(last + 1);
    for (let i = 0; i < docs.length; i++) {
      const pk = docs[i]!;
      if (this.segmentOf[pk] !== 0) this.tokens -= this.lengthOf[pk]!;
      else this.papers++;
      this.segmentOf[pk] = id;
      this.lengthOf[pk] = lengths[i]!;
      this.dayOf[pk] = days[i]!;
      this.tokens += lengths[i]!;
    }
    if (last > this.maxPk) this.maxPk = last;
    this.averageLengths.set(id, segment.averageLength);
    this.sizes.set(id, docs.length);
  }

  /** Forgets segments whose papers all live elsewhere now (after a merge). */
  drop(ids: readonly number[]): void {
    for (const id of ids) {
      this.averageLengths.delete(id);
      this.sizes.delete(id);
    }
  }

  private grow(size: number): void {
    const capacity = Math.max(size, Math.ceil(this.segmentOf.length * 1.25));
    const segmentOf = new Int32Array(capacity);
    segmentOf.set(this.segmentOf);
    const lengthOf = new Uint32Array(capacity);
    lengthOf.set(this.lengthOf);
    const dayOf = new Int32Array(capacity);
    dayOf.set(this.dayOf);
    this.segmentOf = segmentOf;
    this.lengthOf = lengthOf;
    this.dayOf = dayOf;
  }
}

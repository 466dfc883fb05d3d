/**
 * What the index knows of each paper, in memory and by pk: which segment holds its live version, its
 * length, its publication day and its category filter terms; and the corpus statistics BM25 needs
 * (papers, average length). Filters asked of memory cost a search no postings to read.
 * @module
 */

export interface SegmentDocs {
  id: number;
  docs: Uint32Array;
  lengths: Uint32Array;
  days: Int32Array;
  averageLength: number;
  /** Per paper in `docs` order: how many filter terms it has, then their indexes into `filterTerms`. */
  filters: Uint16Array;
  filterTerms: readonly string[];
}

/**
 * Papers' filter terms in a segment's layout (see SegmentDocs.filters), from each paper's keys in
 * `docs` order; `nameOf` gives a key's term.
 */
export function packFilters<K>(perPaper: readonly (readonly K[])[], nameOf: (key: K) => string): Pick<SegmentDocs, 'filters' | 'filterTerms'> {
  const local = new Map<K, number>();
  const filters = new Uint16Array(perPaper.reduce((n, keys) => n + 1 + keys.length, 0));
  let at = 0;
  for (const keys of perPaper) {
    filters[at++] = keys.length;
    for (const key of keys) {
      let index = local.get(key);
      if (index === undefined) local.set(key, (index = local.size));
      filters[at++] = index;
    }
  }
  return { filters, filterTerms: [...local.keys()].map(nameOf) };
}

/** Calls `visit` with each paper of a segment (its index in `docs`) and its filter terms' indexes into `filterTerms`. */
export function forEachPaperFilters({ docs, filters }: Pick<SegmentDocs, 'docs' | 'filters'>, visit: (paper: number, local: Uint16Array) => void): void {
  for (let i = 0, f = 0; i < docs.length; i++) {
    const n = f < filters.length ? filters[f]! : 0;
    visit(i, filters.subarray(f + 1, f + 1 + n));
    f += n + 1;
  }
}

/** Filter terms whose bit sets are kept (about 125 KB each at 1M papers). */
const FILTER_BITS_KEPT = 32;

export class DocTable {
  /** Segment of each pk's live version (0: not indexed). */
  segmentOf = new Int32Array(0);
  lengthOf = new Uint32Array(0);
  dayOf = new Int32Array(0);
  /** Each filter term's papers, per segment that has any (pks ascending; dead versions included). */
  private readonly filterLists = new Map<string, { segment: number; pks: Uint32Array }[]>();
  private readonly replaced = new Set<number>();
  private readonly filterBits = new Map<string, Uint32Array>();
  private lastMask: { key: string; mask: Uint32Array } | undefined;
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

  /**
   * The papers that have every filter term of `all` and, unless `any` is empty, one of `any`, as a bit
   * per pk: a search asks it of every paper it reads, and a bit set small enough to stay in the
   * processor's cache answers that fastest.
   */
  filterMask(all: readonly string[], any: readonly string[]): Uint32Array {
    // Every tier group of a search asks for the same mask.
    const key = `${all.join('\n')}\t${any.join('\n')}`;
    if (this.lastMask?.key === key) return this.lastMask.mask;
    const words = (this.segmentOf.length + 31) >>> 5;
    const mask = new Uint32Array(words);
    if (any.length === 0) mask.fill(0xffffffff);
    for (const term of any) {
      const bits = this.bitsOf(term);
      for (let i = 0; i < words; i++) mask[i]! |= bits[i]!;
    }
    for (const term of all) {
      const bits = this.bitsOf(term);
      for (let i = 0; i < words; i++) mask[i]! &= bits[i]!;
    }
    this.lastMask = { key, mask };
    return mask;
  }

  /** One filter term's live papers as bits, kept until the table changes (those used last). */
  private bitsOf(term: string): Uint32Array {
    const cached = this.filterBits.get(term);
    if (cached) return cached;
    const bits = new Uint32Array((this.segmentOf.length + 31) >>> 5);
    const { segmentOf } = this;
    for (const { segment, pks } of this.filterLists.get(term) ?? []) {
      for (let i = 0; i < pks.length; i++) {
        const pk = pks[i]!;
        if (segmentOf[pk] === segment) bits[pk >>> 5]! |= 1 << (pk & 31);
      }
    }
    if (this.filterBits.size >= FILTER_BITS_KEPT) this.filterBits.delete(this.filterBits.keys().next().value!);
    this.filterBits.set(term, bits);
    return bits;
  }

  /** True when a segment holds versions of papers that newer segments replaced (their postings are dead). */
  hasReplaced(segment: number): boolean {
    return this.replaced.has(segment);
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
    this.filterBits.clear();
    this.lastMask = undefined;
    const last = docs.length > 0 ? docs[docs.length - 1]! : 0;
    if (last >= this.segmentOf.length) this.grow(last + 1);
    const { segmentOf, lengthOf, dayOf } = this;
    let { tokens, papers } = this;
    for (let i = 0; i < docs.length; i++) {
      const pk = docs[i]!;
      if (segmentOf[pk] !== 0) {
        tokens -= lengthOf[pk]!;
        this.replaced.add(segmentOf[pk]!);
      } else papers++;
      segmentOf[pk] = id;
      lengthOf[pk] = lengths[i]!;
      dayOf[pk] = days[i]!;
      tokens += lengths[i]!;
    }
    this.tokens = tokens;
    this.papers = papers;
    this.addFilters(segment);
    if (last > this.maxPk) this.maxPk = last;
    this.averageLengths.set(id, segment.averageLength);
    this.sizes.set(id, docs.length);
  }

  /** Forgets segments whose papers all live elsewhere now (after a merge). */
  drop(ids: readonly number[]): void {
    if (ids.length === 0) return;
    for (const id of ids) {
      this.averageLengths.delete(id);
      this.sizes.delete(id);
      this.replaced.delete(id);
    }
    const dropped = new Set(ids);
    for (const [term, parts] of this.filterLists) this.filterLists.set(term, parts.filter((p) => !dropped.has(p.segment)));
  }

  /** Turns a segment's per-paper filter terms into one pk list per term. */
  private addFilters(segment: SegmentDocs): void {
    const { id, docs, filterTerms } = segment;
    const counts = new Uint32Array(filterTerms.length);
    forEachPaperFilters(segment, (_, local) => local.forEach((l) => counts[l]!++));
    const lists = [...counts].map((n) => new Uint32Array(n));
    counts.fill(0);
    forEachPaperFilters(segment, (i, local) => local.forEach((l) => (lists[l]![counts[l]!++] = docs[i]!)));
    filterTerms.forEach((term, local) => {
      const parts = this.filterLists.get(term);
      const part = { segment: id, pks: lists[local]! };
      if (parts) parts.push(part);
      else this.filterLists.set(term, [part]);
    });
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

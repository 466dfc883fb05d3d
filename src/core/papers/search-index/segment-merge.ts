/**
 * Segments merged by their postings: each term has at least one chunk per segment, so a word in a few
 * thousand papers spread over eleven segments is read as eleven small chunks. Merging reads the
 * segments' chunks term by term, keeps the live postings (a paper indexed again lives in its newest
 * segment), and cuts them into chunks again with bounds at today's average length. Nothing is
 * tokenized again.
 * @module
 */
import { cutChunks } from './builder.js';
import { forEachPaperFilters, packFilters, type DocTable, type SegmentDocs } from './doc-table.js';
import { decodeChunk, storedChunk, type SearchIndexStore, type StoredChunk } from './store.js';

/** Papers a merged segment holds at most: its chunks are written in one transaction (about 80 MB). */
export const MERGED_PAPERS = 500_000;
/** Segments of one size class are merged once there are this many. */
const MERGE_RUN = 4;

/** Size classes by powers of four from 1,000 papers: segments are merged with others of their size. */
const sizeClass = (papers: number) => Math.floor(Math.log(Math.max(papers, 1000) / 1000) / Math.log(4));

/**
 * The segments to merge next, or none: the smallest size class holding {@link MERGE_RUN} segments,
 * oldest first, as many as fit in {@link MERGED_PAPERS}. Each paper is merged a few times in all, as
 * its segment grows from class to class, and a search that indexed a few papers merges only small ones.
 */
export function nextMerge(sizes: ReadonlyMap<number, number>): number[] {
  const classes = new Map<number, [number, number][]>();
  for (const [id, size] of [...sizes].sort((a, b) => a[0] - b[0])) {
    if (size >= MERGED_PAPERS / 2) continue;
    const members = classes.get(sizeClass(size)) ?? [];
    members.push([id, size]);
    classes.set(sizeClass(size), members);
  }
  for (const members of [...classes].sort((a, b) => a[0] - b[0]).map(([, m]) => m)) {
    if (members.length < MERGE_RUN) continue;
    const run: number[] = [];
    let papers = 0;
    for (const [id, size] of members) {
      if (run.length >= 2 && papers + size > MERGED_PAPERS) break;
      run.push(id);
      papers += size;
    }
    return run;
  }
  return [];
}

/** A merged segment, built in memory: what {@link SearchIndexStore.writeSegment} writes. */
export interface MergedSegment {
  documents: Omit<SegmentDocs, 'id'>;
  chunks: StoredChunk[];
}

/**
 * Builds the segment that replaces `run`, any segments (a merged one holds only live versions, so it
 * may be newer than segments between them); the caller writes it and deletes the run's segments.
 */
export function mergeSegments(store: SearchIndexStore, docs: DocTable, run: readonly SegmentDocs[]): MergedSegment {
  const documents = liveDocuments(docs, run);
  const averageLength = Math.max(1e-9, docs.averageLength);
  const lengthOf = (pk: number) => docs.lengthOf[pk]!;
  const chunks: StoredChunk[] = [];
  const infos = store.chunksOfSegments(run.map((s) => s.id));
  const { segmentOf } = docs;
  for (let i = 0; i < infos.length; ) {
    const term = infos[i]!.term;
    let end = i;
    let total = 0;
    for (; end < infos.length && infos[end]!.term === term; end++) total += infos[end]!.count;
    let pks: Uint32Array = new Uint32Array(total);
    let freqs: Uint16Array = new Uint16Array(total);
    let n = 0;
    let sorted = true;
    for (; i < end; i++) {
      const info = infos[i]!;
      const data = decodeChunk(store.chunkRow(info.id), info);
      for (let j = 0; j < data.pks.length; j++) {
        const pk = data.pks[j]!;
        if (segmentOf[pk] !== info.segment) continue;
        if (n > 0 && pk < pks[n - 1]!) sorted = false;
        pks[n] = pk;
        freqs[n++] = data.freqs[j]!;
      }
    }
    if (n === 0) continue;
    if (!sorted) [pks, freqs] = sortByPk(pks.subarray(0, n), freqs.subarray(0, n));
    for (const chunk of cutChunks(term, pks.subarray(0, n), freqs.subarray(0, n), lengthOf, averageLength)) chunks.push(storedChunk(chunk));
  }
  return { documents: { ...documents, averageLength }, chunks };
}

/** Postings in pk order: a paper indexed again sits in a newer segment than its neighbours. */
function sortByPk(pks: Uint32Array, freqs: Uint16Array): [Uint32Array, Uint16Array] {
  const order = Array.from({ length: pks.length }, (_, i) => i).sort((a, b) => pks[a]! - pks[b]!);
  const sortedPks = new Uint32Array(pks.length);
  const sortedFreqs = new Uint16Array(pks.length);
  order.forEach((from, to) => {
    sortedPks[to] = pks[from]!;
    sortedFreqs[to] = freqs[from]!;
  });
  return [sortedPks, sortedFreqs];
}

/** The run's live papers, pk ascending, with their lengths, days and filter terms. */
function liveDocuments(docs: DocTable, run: readonly SegmentDocs[]): Omit<SegmentDocs, 'id' | 'averageLength'> {
  const live: { pk: number; length: number; day: number; filters: readonly string[] }[] = [];
  for (const segment of run) {
    forEachPaperFilters(segment, (i, local) => {
      const pk = segment.docs[i]!;
      if (docs.segmentOf[pk] !== segment.id) return;
      live.push({ pk, length: segment.lengths[i]!, day: segment.days[i]!, filters: Array.from(local, (l) => segment.filterTerms[l]!) });
    });
  }
  live.sort((a, b) => a.pk - b.pk);
  return {
    docs: Uint32Array.from(live, (d) => d.pk),
    lengths: Uint32Array.from(live, (d) => d.length),
    days: Int32Array.from(live, (d) => d.day),
    ...packFilters(live.map((d) => d.filters), (term) => term),
  };
}

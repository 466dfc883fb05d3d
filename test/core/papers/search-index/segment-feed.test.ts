import { afterEach, describe, expect, it } from 'vitest';
import { CorpusGenerator, generateQueries } from '../../../../bench/corpus.js';
import { BulkImport, type ImportedFile } from '../../../../src/core/papers/bulk-import.js';
import { packPapers } from '../../../../src/core/papers/packed-papers.js';
import type { PaperRecord } from '../../../../src/core/papers/record.js';
import { SearchIndex, type FeedPosition } from '../../../../src/core/papers/search-index/index.js';
import { rankedSearch } from '../../../../src/core/papers/search-index/ranked-search.js';
import { SegmentFeed } from '../../../../src/core/papers/search-index/segment-feed.js';
import { fts5Ranking } from '../../../../src/core/papers/search.js';
import { matchExpression, parseSearchQuery } from '../../../../src/core/papers/search-query.js';
import { PaperStore } from '../../../../src/core/papers/store.js';
import { openDatabase, type Database } from '../../../../src/db/database.js';
import { record } from '../../../helpers/records.js';

let databases: Database[] = [];
afterEach(() => {
  for (const d of databases) d.close();
  databases = [];
});

const file = (records: PaperRecord[]): ImportedFile => {
  const packed = packPapers(records);
  return { packed, days: [], recordsFrom: 0, papers: packed.count };
};

/** Imports `files` as `paperboy import` does, the index built by a SegmentFeed (`feed`) or by a catch-up after. */
function importFiles(files: ImportedFile[], feed: { segmentPapers?: number } | false): { database: Database; index: SearchIndex; fedAll: boolean; fed: number } {
  const database = openDatabase(':memory:');
  databases.push(database);
  const store = new PaperStore(database, () => 1_000);
  const index = new SearchIndex(database, () => 1_000);
  // Papers already indexed before the import: the feed starts from the index's totals.
  store.upsertMany([record({ id: '0612.00001', title: 'Holographic codes', abstract: 'A code for holography.' }), record({ id: '0612.00002' })]);
  index.catchUp();
  let position: FeedPosition | undefined = feed ? index.feedStart() : undefined;
  let fedAll = position !== undefined;
  let fed = 0;
  const segments = position && new SegmentFeed({ papers: position.papers, tokens: position.tokens }, feed ? feed.segmentPapers : undefined);
  const write = (segment: Parameters<SearchIndex['writeFed']>[0]) => {
    position = position && index.writeFed(segment, position);
    fedAll &&= position !== undefined;
    fed++;
  };
  const bulk = new BulkImport(store, 400, segments ? (pks) => {
    for (const p of pks) for (const segment of segments.placed(p)) write(segment);
  } : undefined);
  for (const f of files) {
    segments?.keep(f.packed);
    bulk.add(f);
  }
  bulk.flush();
  const last = segments?.end();
  if (last) write(last);
  return { database, index, fedAll, fed };
}

const rows = (database: Database, sql: string) => database.sqlite.prepare(sql).all();
const corpus = (papers: number, seed: number) => [...new CorpusGenerator(papers, seed).batches(150)].map(file);

describe('search index segments built beside an import (SegmentFeed)', () => {
  it('equal the segments a catch-up builds from the stored papers: same postings, lengths, days and bounds', () => {
    const files = corpus(1500, 3);
    // The same paper in a later file again, unchanged: stored once, indexed once.
    const first = [...new CorpusGenerator(1500, 3).batches(150)][0]!;
    files.push(file([first[0]!]));
    const fed = importFiles(files, {});
    expect(fed.fedAll).toBe(true);
    expect(fed.index.behind()).toBe(0);
    const caught = importFiles(files, false);
    expect(caught.index.behind()).toBeGreaterThan(1000);
    caught.index.catchUp();
    for (const sql of [
      'SELECT id, docs, lengths, days, average_length FROM search_segments ORDER BY id',
      'SELECT term, segment, first_pk, last_pk, count, bound, pks, freqs, bounds FROM search_chunks ORDER BY term, segment, first_pk',
      'SELECT * FROM search_state ORDER BY key',
    ]) {
      expect(rows(fed.database, sql)).toEqual(rows(caught.database, sql));
    }
    expect(rows(fed.database, 'SELECT count(*) AS n FROM search_chunks')).toEqual([{ n: expect.any(Number) as number }]);
  });

  it('rank exactly as FTS5 bm25() over every match when cut mid-batch and when imported papers change later in the import', () => {
    const files = corpus(1200, 4);
    // Papers of earlier files again, with another abstract: updated, and indexed again after the import.
    const changed = [...new CorpusGenerator(1200, 4).batches(150)][1]!.slice(0, 40).map((r) => ({ ...r, version: 9, abstract: `${r.abstract} Revised with holographic codes.` }));
    files.splice(5, 0, file(changed));
    const { database, index, fedAll, fed } = importFiles(files, { segmentPapers: 333 });
    expect(fedAll).toBe(true);
    expect(fed).toBe(4); // 1,200 papers in cuts of 333, merged as they come: the feed went on after the merge
    expect(rows(database, 'SELECT count(*) AS n FROM search_segments')).toEqual([{ n: 2 }]);
    expect(index.behind()).toBe(40);
    index.catchUp();
    for (const input of [...generateQueries(60, 21, { filtered: false }), ...generateQueries(30, 22, { filtered: true }), 'holographic codes', 'revised holographic']) {
      const query = parseSearchQuery(input);
      if (query.joined.length > 0) continue;
      const exhaustive = fts5Ranking(database, query, matchExpression(query, 'AND')!, 10).map((r) => ({ pk: r.pk, score: -r.score }));
      expect(rankedSearch(index, query, 'AND', 10)).toEqual(exhaustive);
    }
  });

  it('are not stored when another process indexed or stored papers meanwhile: the catch-up after takes them', () => {
    const files = corpus(600, 5);
    const database = openDatabase(':memory:');
    databases.push(database);
    const store = new PaperStore(database, () => 1_000);
    const index = new SearchIndex(database, () => 1_000);
    const start = index.feedStart()!;
    const feed = new SegmentFeed({ papers: start.papers, tokens: start.tokens }, 200);
    const bulk = new BulkImport(store, 200, (pks) => {
      for (const p of pks) for (const segment of feed.placed(p)) expect(index.writeFed(segment, start)).toBeUndefined();
      // Another process stores a paper between two batches: the next segment would skip it.
      store.upsert(record({ id: `0612.${String(10_000 + store.count())}` }));
    });
    // The index moved on since the feed started (a catch-up elsewhere): nothing of the feed is stored.
    store.upsert(record({ id: '0612.00009' }));
    index.catchUp();
    for (const f of files) {
      feed.keep(f.packed);
      bulk.add(f);
    }
    bulk.flush();
    expect(index.behind()).toBeGreaterThan(600);
    index.catchUp();
    expect(index.behind()).toBe(0);
    expect(rows(database, 'SELECT sum(length(docs)) / 4 AS n FROM search_segments')).toEqual([{ n: store.count() }]);
  });
});

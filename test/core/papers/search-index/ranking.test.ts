import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusGenerator, generateQueries } from '../../../../bench/corpus.js';
import { SearchIndex } from '../../../../src/core/papers/search-index/index.js';
import { rankedSearch } from '../../../../src/core/papers/search-index/ranked-search.js';
import { fts5Ranking } from '../../../../src/core/papers/search.js';
import { PaperStore } from '../../../../src/core/papers/store.js';
import { matchExpression, parseSearchQuery } from '../../../../src/core/papers/search-query.js';
import { openDatabase, type Database } from '../../../../src/db/database.js';
import { record } from '../../../helpers/records.js';

/** FTS5's bm25() over every match (higher better here): the ranking the index must reproduce. */
function exhaustive(database: Database, input: string, limit: number, join: 'AND' | 'OR' = 'AND'): { pk: number; score: number }[] {
  const query = parseSearchQuery(input);
  return fts5Ranking(database, query, matchExpression(query, join)!, limit).map((r) => ({ pk: r.pk, score: -r.score }));
}

describe('the search index ranks exactly as FTS5 bm25() over every match', () => {
  let database: Database;
  let index: SearchIndex;

  beforeAll(() => {
    database = openDatabase(':memory:');
    const store = new PaperStore(database);
    for (const batch of new CorpusGenerator(3000, 5).batches(1000)) store.upsertMany(batch);
    // A category of two papers: it drives a search instead of being asked of each paper.
    database.sqlite.prepare(`UPDATE papers SET categories = '["q-bio.TO"]' WHERE pk IN (7, 1500)`).run();
    index = new SearchIndex(database);
    expect(index.catchUp()).toBe(3000);
  });
  afterAll(() => database.close());

  // Hyphenated words are compound terms here and phrases in FTS5: they have a test of their own below.
  const queries = [
    ...generateQueries(150, 11, { filtered: false }),
    ...generateQueries(150, 12, { filtered: true }),
    // Phrases, prefixes, author terms, several categories, a category in capitals.
    'model "language model"', 'diffu* video', '"state of the art" training', 'learning author:Chen', 'agents cat:cs.CL cat:cs.cv',
    'reasoning cat:CS', 'model model', 'zero shot since:2015-06-01 cat:cs',
    'model cat:q-bio.TO', 'learning cat:q-bio', 'model training cat:q-bio.to cat:cs', 'model cat:q-bio.TO cat:cs.CL',
  ].filter((q) => parseSearchQuery(q).joined.length === 0);

  it.each(queries)('%s', (input) => {
    const query = parseSearchQuery(input);
    const ours = rankedSearch(index, query, 'AND', 10)!;
    expect(ours).toBeDefined();
    expect(ours).toEqual(exhaustive(database, input, 10));
  });

  it('answers the any-word fallback exactly too', () => {
    for (const input of ['model zzqx', 'diffusion vision zzqx', 'training qqzx author:Chen', 'zzqx qqzx']) {
      expect(rankedSearch(index, parseSearchQuery(input), 'OR', 10)).toEqual(exhaustive(database, input, 10, 'OR'));
    }
  });
});

describe('postings stored small', () => {
  it('keep pks far apart (gaps over 65,535) and frequencies over 255 exact', () => {
    const database = openDatabase(':memory:');
    const insert = database.sqlite.prepare("INSERT INTO papers (pk, id, title, authors, abstract) VALUES (?, ?, ?, '[]', ?)");
    const fts = database.sqlite.prepare("INSERT INTO papers_fts (rowid, title, authors, abstract) VALUES (?, ?, '', ?)");
    const papers = [[1, 'Kagome magnets'], [70_000, 'Kagome lattices'], [200_000, 'Kagome kagome kagome'], [200_001, 'Frustrated magnets']] as const;
    for (const [pk, title] of papers) {
      const abstract = pk === 70_000 ? Array.from({ length: 300 }, () => 'kagome').join(' ') : 'A study.';
      insert.run(pk, `2401.${String(pk).padStart(5, '0')}`, title, abstract);
      fts.run(pk, title, abstract);
    }
    const index = new SearchIndex(database);
    index.catchUp();
    expect(rankedSearch(index, parseSearchQuery('kagome'), 'AND', 5)).toEqual(exhaustive(database, 'kagome', 5));
    expect(rankedSearch(index, parseSearchQuery('magnets'), 'AND', 5)).toEqual(exhaustive(database, 'magnets', 5));
    database.close();
  });
});

describe('segments merged by their postings', () => {
  it('keep only live versions, their categories and FTS5-equal scores, in fewer chunks', () => {
    const database = openDatabase(':memory:');
    const store = new PaperStore(database);
    const index = new SearchIndex(database);
    const corpus = [...new CorpusGenerator(1200, 9).batches(300)];
    const sql = database.sqlite;
    const count = (table: string) => sql.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    // Three segments of the corpus, then one of papers changed since: their first versions die.
    for (const batch of corpus.slice(0, 3)) {
      store.upsertMany(batch);
      index.catchUp();
    }
    expect(count('search_segments')).toBe(3);
    const chunksOfThree = count('search_chunks');
    const changed = corpus[0]!.slice(0, 50).map((r, i) => ({ ...r, title: `Kagome magnets ${i}`, abstract: 'Frustrated spins on a lattice.', categories: ['cond-mat.str-el'] }));
    store.upsertMany(changed);
    expect(index.catchUp()).toBe(50);
    // Four of a size class: merged as the catch-up ended, the dead versions and their counts gone.
    expect(count('search_segments')).toBe(1);
    expect(count('search_chunks')).toBeLessThan(chunksOfThree);
    expect(count('search_dead_terms')).toBe(0);
    store.upsertMany(corpus[3]!);
    index.catchUp();
    expect(count('search_segments')).toBe(2);
    const queries = [
      ...generateQueries(40, 21, { filtered: false }), ...generateQueries(40, 22, { filtered: true }),
      'kagome magnets', 'frustrated cat:cond-mat', 'lattice cat:cond-mat.str-el', 'spins cat:cs',
    ].filter((q) => parseSearchQuery(q).joined.length === 0);
    for (const input of queries) expect(rankedSearch(index, parseSearchQuery(input), 'AND', 10), input).toEqual(exhaustive(database, input, 10));
    // The first versions' words are gone with them.
    const first = corpus[0]![0]!;
    const onlyOld = index.terms(first.title).find((t) => !index.terms(changed[0]!.title).includes(t))!;
    expect(rankedSearch(index, parseSearchQuery(`"${onlyOld}" kagome`), 'AND', 5)).toEqual([]);
    database.close();
  });
});

describe('hyphenated words', () => {
  it('are one compound term: multi-step finds what writes multi-step, ranked by BM25 of that term', () => {
    const database = openDatabase(':memory:');
    const store = new PaperStore(database);
    store.upsertMany([
      record({ id: '2403.00001', title: 'Multi-step reasoning', abstract: 'A multi-step method.' }),
      record({ id: '2403.00002', title: 'Reasoning in many steps', abstract: 'Multi-agent step by step.' }),
      record({ id: '2403.00003', title: 'Planning', abstract: 'We plan in a multi-step way.' }),
      record({ id: '2403.00004', title: 'GPT-4 on multi-step tasks', abstract: 'GPT 4 is evaluated.' }),
    ]);
    const index = new SearchIndex(database);
    const ids = (q: string) => rankedSearch(index, parseSearchQuery(q), 'AND', 5)!.map((r) => store.getByPks([r.pk]).get(r.pk)!.id);
    expect(ids('multi-step')).toEqual(['2403.00001', '2403.00004', '2403.00003']);
    expect(ids('multi-step reasoning')).toEqual(['2403.00001']);
    expect(ids('GPT-4')).toEqual(['2403.00004']);
    // Its parts, typed apart, are words as ever.
    expect(ids('multi step')).toHaveLength(4);
    database.close();
  });
});

describe('the search index, as papers arrive and change', () => {
  let database: Database;
  let store: PaperStore;
  let index: SearchIndex;
  const top = (input: string, limit = 5) => rankedSearch(index, parseSearchQuery(input), 'AND', limit)?.map((r) => r.pk);

  beforeAll(() => {
    database = openDatabase(':memory:');
    store = new PaperStore(database);
    index = new SearchIndex(database);
  });
  afterAll(() => database.close());

  it('finds an old best match behind thousands of newer matches', () => {
    // Imported first, as a backfill would be: a short title that is both words, twice.
    store.upsert(record({ id: 'hep-th/0701001', title: 'Sparse graphs, sparse graphs', abstract: 'Sparse graphs.', publishedAt: '2007-01-02T00:00:00Z' }));
    store.upsertMany(Array.from({ length: 3000 }, (_, i) => record({
      id: `2403.${String(10000 + i)}`, title: `A study of sparse methods ${i}`, abstract: 'We look at graphs, among other things, in some length here.',
      publishedAt: '2024-03-13T00:00:00Z',
    })));
    expect(index.catchUp()).toBe(3001);
    const old = store.get('hep-th/0701001')!.pk;
    expect(top('sparse graphs')![0]).toBe(old);
    expect(top('sparse graphs')).toEqual(exhaustive(database, 'sparse graphs', 5).map((r) => r.pk));
  });

  it('indexes a few new papers itself when asked whether it is ready', () => {
    store.upsert(record({ id: '2403.20001', title: 'Quasicrystal lattices', abstract: 'Quasicrystal order.' }));
    expect(index.behind()).toBe(1);
    expect(index.ready()).toBe(true);
    expect(index.behind()).toBe(0);
    expect(top('quasicrystal')).toEqual([store.get('2403.20001')!.pk]);
  });

  it('says it is not ready when it is far behind, and catches up', () => {
    store.upsertMany(Array.from({ length: 2500 }, (_, i) => record({ id: `2404.${String(10000 + i)}`, title: `Topological phases ${i}` })));
    expect(index.ready()).toBe(false);
    expect(rankedSearch(index, parseSearchQuery('topological'), 'AND', 5)).toBeUndefined();
    const progress: number[] = [];
    expect(index.catchUp(({ done }) => progress.push(done))).toBe(2500);
    expect(progress.at(-1)).toBe(2500);
    expect(top('topological phases')).toEqual(exhaustive(database, 'topological phases', 5).map((r) => r.pk));
  });

  it('forgets the words of a replaced text, and its statistics match FTS5 again', () => {
    const pk = store.get('2403.20001')!.pk;
    store.upsert(record({ id: '2403.20001', title: 'Penrose tilings', abstract: 'Aperiodic order.' }));
    expect(index.ready()).toBe(true);
    expect(top('quasicrystal')).toEqual([]);
    expect(top('penrose tilings')).toEqual([pk]);
    // A word the old and new text share: its count of papers is right, so scores equal FTS5's.
    for (const input of ['order', 'sparse graphs', 'study']) {
      expect(rankedSearch(index, parseSearchQuery(input), 'AND', 5)).toEqual(exhaustive(database, input, 5));
    }
  });

  it('filters by categories given later, in any case', () => {
    const pk = store.get('2403.20001')!.pk;
    expect(top('penrose cat:math.MG')).toEqual([]);
    database.sqlite.prepare("UPDATE papers SET categories = '[\"math.MG\"]' WHERE pk = ?").run(pk);
    expect(index.ready()).toBe(true);
    expect(top('penrose cat:math.MG')).toEqual([pk]);
    expect(top('penrose cat:MATH')).toEqual([pk]);
    expect(top('penrose cat:cs')).toEqual([]);
  });

  it('merges the small segments that many small catch-ups leave', () => {
    const segments = () => database.sqlite.prepare('SELECT count(*) FROM search_segments').pluck().get() as number;
    for (let i = 0; i < 12; i++) {
      store.upsert(record({ id: `2405.${String(10000 + i)}`, title: `Hyperbolic tessellations ${i}` }));
      index.catchUp();
    }
    expect(segments()).toBeLessThan(10);
    expect(top('hyperbolic tessellations', 20)).toEqual(exhaustive(database, 'hyperbolic tessellations', 20).map((r) => r.pk));
    for (const input of ['sparse graphs', 'penrose', 'topological phases']) {
      expect(rankedSearch(index, parseSearchQuery(input), 'AND', 5)).toEqual(exhaustive(database, input, 5));
    }
  });

  it('indexes everything again when its postings were written in another layout', () => {
    database.sqlite.prepare("UPDATE search_state SET value = value + 100 WHERE key = 'format'").run();
    const fresh = new SearchIndex(database);
    expect(fresh.behind()).toBe(store.count());
    expect(fresh.ready()).toBe(false);
    fresh.catchUp();
    expect(fresh.behind()).toBe(0);
    expect(rankedSearch(fresh, parseSearchQuery('sparse graphs'), 'AND', 5)).toEqual(exhaustive(database, 'sparse graphs', 5));
  });

  it('sees what another connection indexed', () => {
    const other = new SearchIndex(database);
    store.upsert(record({ id: '2406.10000', title: 'Spin glasses' }));
    expect(other.ready()).toBe(true);
    expect(top('spin glasses')).toEqual([store.get('2406.10000')!.pk]);
  });
});

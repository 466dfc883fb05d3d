import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperSearch } from '../../../src/core/papers/search.js';
import { PaperStore } from '../../../src/core/papers/store.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { BadInputError } from '../../../src/errors.js';
import { matchExpression, parseSearchQuery, titleWords } from '../../../src/core/papers/search-query.js';
import { TitleIndex } from '../../../src/core/papers/title-index.js';
import { CorpusGenerator, generateQueries } from '../../../bench/corpus.js';
import { record } from '../../helpers/records.js';
import { hostileQueries } from '../../helpers/hostile-queries.js';

let database: Database;
let search: PaperSearch;

beforeAll(() => {
  database = openDatabase(':memory:');
  const store = new PaperStore(database);
  store.upsertMany([
    record({ id: '2403.00001', title: 'Sparse attention for long documents', abstract: 'We revisit transformers.', authors: ['Jean Dupont'], publishedAt: '2024-03-01T00:00:00Z', categories: ['cs.CL'] }),
    record({ id: '2403.00002', title: 'A survey of reinforcement learning', abstract: 'Attention appears once in this abstract.', authors: ['Mary Major'], publishedAt: '2023-01-05T00:00:00Z', categories: ['cs.LG'] }),
    record({ id: '2403.08295', title: 'Gemma: Open Models Based on Gemini Research and Technology', abstract: 'Lightweight, state-of-the-art open models.', authors: ['Thomas Mesnard', 'Amélie Héliou'], publishedAt: '2024-03-13T00:00:00Z', categories: ['cs.CL', 'cs.AI'] }),
    record({ id: '2403.08551', title: 'GaussianImage: 1000 FPS Image Representation and Compression by 2D Gaussian Splatting', abstract: 'Implicit neural representations (INRs) recently achieved great success.', authors: ['Xinjie Zhang'], publishedAt: '2024-03-13T00:00:00Z', categories: ['eess.IV', 'cs.CV'] }),
    record({ id: '2403.08715', title: 'SOTOPIA-π: Interactive Learning of Socially Intelligent Language Agents', abstract: 'Humans learn social skills.', authors: ['Haofei Yu'], publishedAt: '2024-03-13T00:00:00Z', categories: ['cs.CL'] }),
  ]);
  search = new PaperSearch(database, (pks) => store.getByPks(pks));
});
afterAll(() => database.close());

const ids = (q: string) => search.search(q).map((h) => h.paper.id);

describe('PaperSearch', () => {
  it('ranks a title match above an abstract-only match', () => {
    expect(ids('attention')).toEqual(['2403.00001', '2403.00002']);
  });

  it('returns a short snippet of the abstract', () => {
    const [hit] = search.search('transformers');
    expect(hit?.snippet).toContain('transformers');
    expect(hit!.snippet.length).toBeLessThan(200);
  });

  it('matches stems, unicode and diacritics', () => {
    expect(ids('splat')).toContain('2403.08551');
    expect(ids('Heliou')).toEqual(['2403.08295']);
    expect(ids('SOTOPIA-π')).toEqual(['2403.08715']);
  });

  it('filters by author, date and category', () => {
    expect(ids('author:Dupont')).toEqual(['2403.00001']);
    expect(ids('attention since:2024-01-01')).toEqual(['2403.00001']);
    expect(ids('attention cat:cs.LG')).toEqual(['2403.00002']);
    expect(ids('cat:cs')).toHaveLength(5);
    expect(ids('cat:eess')).toEqual(['2403.08551']);
    expect(ids('author:"Amélie Héliou"')).toEqual(['2403.08295']);
  });

  it('falls back to any-word matching when no paper has every word', () => {
    expect(ids('gemma splatting')).toEqual(expect.arrayContaining(['2403.08295', '2403.08551']));
  });

  it('explains a malformed filter or an empty query', () => {
    expect(() => search.search('since:yesterday')).toThrow(BadInputError);
    expect(() => search.search('since:2024-02-30')).toThrow(/since:/);
    expect(() => search.search('   ')).toThrow(/Nothing to search for/);
    expect(() => search.search('cat:"; DROP')).toThrow(BadInputError);
  });

  it.each(hostileQueries())('answers %j with a list, never an error', (query) => {
    expect(Array.isArray(search.search(query))).toBe(true);
  });

  it('still finds papers through FTS syntax', () => {
    expect(ids('"gemma" OR NEAR(attention)')).toEqual(expect.arrayContaining(['2403.08295']));
    expect(ids('title:gemma')).toEqual(['2403.08295']);
    expect(ids('gemm*')).toEqual(['2403.08295']);
    expect(ids('***')).toEqual([]);
  });

  it('has at least 200 hostile queries', () => {
    expect(hostileQueries().length).toBeGreaterThanOrEqual(200);
  });
});

describe('a typed title', () => {
  const target = '1706.03762';
  let db: Database;
  let titled: PaperSearch;
  beforeAll(() => {
    db = openDatabase(':memory:');
    const store = new PaperStore(db);
    store.upsertMany([
      record({ id: target, title: 'Attention Is All You Need', abstract: 'The dominant sequence transduction models are based on complex recurrent networks.', publishedAt: '2017-06-12T00:00:00Z' }),
      // Newer papers that BM25 alone puts first for the same words.
      ...Array.from({ length: 30 }, (_, i) => record({
        id: `2401.${String(i + 1).padStart(5, '0')}`, title: `Attention need: all you need is attention, need ${i}`,
        abstract: 'Attention is all you need, you need attention.', publishedAt: '2024-01-02T00:00:00Z',
      })),
      record({ id: '2402.00001', title: 'Attention Is All You Need for Graphs, Really', publishedAt: '2024-02-01T00:00:00Z' }),
    ]);
    titled = new PaperSearch(db, (pks) => store.getByPks(pks));
  });
  afterAll(() => db.close());
  const first = (q: string) => titled.search(q)[0]?.paper.id;

  it('is a query BM25 alone ranks other papers above', () => {
    const bm25 = db.sqlite.prepare(`SELECT p.id FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid WHERE papers_fts MATCH ?
      ORDER BY bm25(papers_fts, 10.0, 4.0, 1.0) LIMIT 1`).pluck().get('"attention" AND "is" AND "all" AND "you" AND "need"');
    expect(bm25).not.toBe(target);
  });

  it.each([
    ['exact', 'Attention Is All You Need'],
    ['any case', 'attention is all you NEED'],
    ['punctuation', '“Attention, is all: you need!”'],
    ['word order', 'you need attention is all'],
    ['one word missing', 'Attention is all need'],
    ['one word extra', 'Attention is all you really need'],
    ['accents', 'Attentión is all you need'],
  ])('finds its paper first: %s', (_, query) => {
    expect(first(query)).toBe(target);
  });

  it('does not stretch to two words off, or to a one-word title', () => {
    expect(first('attention is you')).not.toBe(target);
    expect(first('attention is all you really need it')).not.toBe(target);
  });

  it('keeps to the filters and gives way to sort:new', () => {
    expect(titled.search('Attention Is All You Need since:2020-01-01').map((h) => h.paper.id)).not.toContain(target);
    expect(first('Attention Is All You Need sort:new')).not.toBe(target);
    expect(titled.search('Attention Is All You Need')).toHaveLength(5);
  });

  it('finds a title changed by a newer version', () => {
    const store = new PaperStore(db);
    store.upsert(record({ id: '2402.00002', title: 'Old name of a paper', version: 1, publishedAt: '2024-02-02T00:00:00Z' }));
    store.upsert(record({ id: '2402.00002', title: 'Sparse mixtures of graph experts', version: 2, publishedAt: '2024-02-02T00:00:00Z' }));
    expect(first('sparse mixtures of graph experts')).toBe('2402.00002');
    const pk = store.get('2402.00002')!.pk;
    expect(new TitleIndex(db).find(titleWords('Old name of a paper'))).not.toContain(pk);
    expect(new TitleIndex(db).find(titleWords('Sparse mixtures of graph experts'))).toEqual([pk]);
  });
});

describe('ranking over every match', () => {
  it('finds an old best match behind thousands of newer matches', () => {
    const db = openDatabase(':memory:');
    const store = new PaperStore(db);
    store.upsertMany([record({ id: '0801.00001', title: 'Kernels on graphs', abstract: 'Graph kernels.', publishedAt: '2008-01-05T00:00:00Z' })]);
    store.upsertMany(Array.from({ length: 5000 }, (_, i) => record({
      id: `2301.${String(i + 1).padStart(5, '0')}`, title: `A study number ${i}`,
      abstract: 'We compare kernels for a graph of many things, and more things, in a long abstract about other things.',
      publishedAt: `2023-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`,
    })));
    const search = new PaperSearch(db, (pks) => store.getByPks(pks));
    expect(search.search('graph kernels')[0]?.paper.id).toBe('0801.00001');
    expect(search.search('graph kernels since:2008-01-01 cat:cs.cl')[0]?.paper.id).toBe('0801.00001');
    db.close();
  });

  it('equals an exhaustive BM25 ranking across hundreds of random queries', () => {
    const db = openDatabase(':memory:');
    const store = new PaperStore(db);
    for (const batch of new CorpusGenerator(3000, 7).batches(1000)) store.upsertMany(batch);
    const search = new PaperSearch(db, (pks) => store.getByPks(pks));
    const exhaustive = db.sqlite.prepare(`SELECT p.id AS id, p.published_at AS publishedAt, p.categories AS categories,
        bm25(papers_fts, 10.0, 4.0, 1.0) AS score
      FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid WHERE papers_fts MATCH ? ORDER BY score, p.pk DESC`);
    const queries = [...generateQueries(200, 11, { filtered: false }), ...generateQueries(200, 12, { filtered: true })];
    let compared = 0;
    for (const q of queries) {
      const query = parseSearchQuery(q);
      const match = matchExpression(query);
      if (!match) continue;
      const expected = (exhaustive.all(match) as { id: string; publishedAt: string; categories: string }[])
        .filter((r) => !query.since || r.publishedAt >= query.since)
        .filter((r) => query.categories.length === 0 || query.categories.some((c) => r.categories.toLowerCase().includes(c.includes('.') ? `"${c}"` : `"${c}.`)))
        .slice(0, 5).map((r) => r.id);
      if (expected.length === 0) continue; // the any-word fallback answers these
      expect(search.search(q).map((h) => h.paper.id), q).toEqual(expected);
      compared++;
    }
    expect(compared).toBeGreaterThan(300);
    db.close();
  });
});

describe('filters', () => {
  it('cat: ignores case, and a name without a dot is an archive or a category', () => {
    expect(ids('attention cat:CS.lg')).toEqual(['2403.00002']);
    expect(ids('attention cat:cs.lg')).toEqual(['2403.00002']);
    expect(ids('cat:EESS')).toEqual(['2403.08551']);
    const db = openDatabase(':memory:');
    const store = new PaperStore(db);
    store.upsertMany([record({ id: 'hep-th/9901001', title: 'Strings', categories: ['hep-th'] })]);
    expect(new PaperSearch(db, (pks) => store.getByPks(pks)).search('strings cat:HEP-TH').map((h) => h.paper.id)).toEqual(['hep-th/9901001']);
    db.close();
  });

  it('sort:new lists every match newest first', () => {
    expect(ids('attention sort:new')).toEqual(['2403.00001', '2403.00002']);
    // Three papers of 2024-03-13: the one stored last first.
    expect(ids('sort:new')).toEqual(['2403.08715', '2403.08551', '2403.08295', '2403.00001', '2403.00002']);
    expect(() => search.search('attention sort:oldest')).toThrow(/sort:/);
  });
});

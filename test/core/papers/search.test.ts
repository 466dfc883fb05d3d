import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperSearch } from '../../../src/core/papers/search.js';
import { PaperStore } from '../../../src/core/papers/store.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { BadInputError } from '../../../src/errors.js';
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

describe('the recent index', () => {
  it('ranks recent papers first, falls back to everything, and lets aged papers go', () => {
    const db = openDatabase(':memory:');
    let now = Date.parse('2024-03-20T00:00:00Z');
    const store = new PaperStore(db, () => now);
    store.upsertMany([
      record({ id: '2403.00010', title: 'Diffusion transformers, recent', publishedAt: '2024-03-10T00:00:00Z' }),
      record({ id: '2201.00010', title: 'Diffusion transformers, older', publishedAt: '2022-01-10T00:00:00Z' }),
      record({ id: '2201.00011', title: 'Graph kernels', publishedAt: '2022-01-11T00:00:00Z' }),
    ]);
    const search = new PaperSearch(db, (pks) => store.getByPks(pks));
    const recentCount = () => db.sqlite.prepare('SELECT count(*) FROM papers_recent_fts').pluck().get();
    expect(recentCount()).toBe(1);
    expect(search.search('diffusion', { limit: 1 }).map((h) => h.paper.id)).toEqual(['2403.00010']);
    expect(search.search('diffusion', { limit: 5 }).map((h) => h.paper.id).sort()).toEqual(['2201.00010', '2403.00010']);
    expect(search.search('graph kernels').map((h) => h.paper.id)).toEqual(['2201.00011']);
    now = Date.parse('2024-09-01T00:00:00Z');
    expect(store.trimRecent()).toBe(1);
    expect(recentCount()).toBe(0);
    expect(search.search('diffusion', { limit: 1 })).toHaveLength(1);
    db.close();
  });
});

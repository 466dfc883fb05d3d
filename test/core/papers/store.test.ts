import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperStore } from '../../../src/core/papers/store.js';
import { PaperSearch } from '../../../src/core/papers/search.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { NotFoundError, UpstreamError } from '../../../src/errors.js';
import { record } from '../../helpers/records.js';

let database: Database;
let store: PaperStore;
let clock = 1_000;

beforeEach(() => {
  database = openDatabase(':memory:');
  store = new PaperStore(database, () => clock);
});
afterEach(() => database.close());

describe('PaperStore.upsert', () => {
  it('keeps one paper across versions and marks the newer version as revised', () => {
    expect(store.upsert(record({ id: '2403.08295', version: 1, title: 'Gemma v1' }))).toBe('inserted');
    clock = 2_000;
    expect(store.upsert(record({ id: '2403.08295', version: 2, title: 'Gemma v2', abstract: 'Revised abstract.' }))).toBe('revised');
    expect(store.count()).toBe(1);
    const paper = store.get('2403.08295')!;
    expect(paper).toMatchObject({ version: 2, title: 'Gemma v2', abstract: 'Revised abstract.', revisedAt: 2_000 });
  });

  it('never lets an older version overwrite the text, but still takes Hugging Face fields', () => {
    store.upsert(record({ id: '2403.08295', version: 3, title: 'Newest' }));
    expect(store.upsert(record({ id: '2403.08295', version: 1, title: 'Oldest', hfUpvotes: 25 }))).toBe('updated');
    expect(store.get('2403.08295')).toMatchObject({ version: 3, title: 'Newest', hfUpvotes: 25 });
  });

  it('merges an unversioned HF record into an arXiv one without erasing arXiv fields', () => {
    store.upsert(record({ id: '2403.08295', version: 1, categories: ['cs.CL', 'cs.AI'] }));
    store.upsert({ id: '2403.08295', title: 'HF title', authors: ['X'], abstract: 'HF abstract', hfUpvotes: 7, aiSummary: 'Short.' });
    expect(store.get('2403.08295')).toMatchObject({ version: 1, title: 'A Study of Things', categories: ['cs.CL', 'cs.AI'], hfUpvotes: 7, aiSummary: 'Short.' });
  });

  it('reports unchanged when nothing new arrives', () => {
    store.upsert(record({ id: '2403.08295', version: 1 }));
    expect(store.upsert(record({ id: '2403.08295', version: 1 }))).toBe('unchanged');
  });

  it('keeps the search index in step with revisions', () => {
    store.upsert(record({ id: '2403.08295', version: 1, title: 'Old zebra title' }));
    store.upsert(record({ id: '2403.08295', version: 2, title: 'New giraffe title' }));
    const count = (q: string) => database.sqlite.prepare('SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?').pluck().get(q);
    expect(count('zebra')).toBe(0);
    expect(count('giraffe')).toBe(1);
  });
});

describe('PaperStore daily lists', () => {
  it('stores a day in list order and finds the latest day', () => {
    store.saveDaily('2024-03-14', [
      { date: '2024-03-14', position: 0, paper: record({ id: '2403.08295' }) },
      { date: '2024-03-14', position: 1, paper: record({ id: '2403.08763' }) },
    ]);
    store.saveDaily('2024-03-13', [{ date: '2024-03-13', position: 0, paper: record({ id: '2403.07918' }) }]);
    expect(store.daily('2024-03-14').map((p) => p.id)).toEqual(['2403.08295', '2403.08763']);
    expect(store.latestDailyDate()).toBe('2024-03-14');
    expect(store.latestDailyDate('2024-03-13')).toBe('2024-03-13');
  });
});

describe('PaperStore.lookupOrFetch', () => {
  it('serves the store first, then Hugging Face, then arXiv', async () => {
    const calls: string[] = [];
    let arxivAnswers = (): void => undefined;
    const arxivSlow = new Promise<void>((resolve) => (arxivAnswers = resolve));
    const hf = { paper: async (id: string) => (calls.push(`hf:${id}`), id === '2403.08295' ? { id, title: 'From HF', authors: ['A'], abstract: 'x', hfUpvotes: 3 } : undefined) };
    const arxiv = {
      get: async (id: string) => {
        calls.push(`arxiv:${id}`);
        if (id === '2403.08295') await arxivSlow;
        return id === '2403.08295' || id === '2401.00001' ? record({ id, version: 1 }) : undefined;
      },
    };
    const first = await store.lookupOrFetch({ id: '2403.08295' }, { hf, arxiv });
    expect(first).toMatchObject({ hfUpvotes: 3, title: 'From HF' }); // answered without waiting for arXiv
    arxivAnswers();
    await store.settled();
    expect(store.get('2403.08295')).toMatchObject({ hfUpvotes: 3, version: 1, categories: ['cs.CL'] });
    calls.length = 0;
    await store.lookupOrFetch({ id: '2403.08295' }, { hf, arxiv });
    expect(calls).toEqual([]);
    await expect(store.lookupOrFetch({ id: '2401.00001' }, { hf, arxiv })).resolves.toMatchObject({ id: '2401.00001' });
    await expect(store.lookupOrFetch({ id: '2401.99999' }, { hf, arxiv })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers from arXiv when Hugging Face is down', async () => {
    const hfDown = { paper: async () => { throw new UpstreamError('huggingface', 'Hugging Face is down'); } };
    const arxiv = { get: async (id: string) => record({ id, version: 2 }) };
    await expect(store.lookupOrFetch({ id: '2403.00002' }, { hf: hfDown, arxiv })).resolves.toMatchObject({ version: 2 });
  });

  it('answers from Hugging Face when arXiv is down, and fails clearly when both are', async () => {
    const down = { get: async () => { throw new UpstreamError('arxiv', 'arXiv is down'); } };
    const hf = { paper: async (id: string) => (id === '2403.08295' ? { id, title: 'From HF', authors: ['A'], abstract: 'x' } : undefined) };
    await expect(store.lookupOrFetch({ id: '2403.08295' }, { hf, arxiv: down })).resolves.toMatchObject({ title: 'From HF' });
    await expect(store.lookupOrFetch({ id: '2403.00001' }, { hf, arxiv: down })).rejects.toBeInstanceOf(UpstreamError);
  });
});

describe('search index upkeep', () => {
  it('merges the full-text index a step at a time, as FTS5 does, and search still finds', () => {
    const db = openDatabase(':memory:');
    const store = new PaperStore(db);
    // automerge off, as inside a bulk batch: every write leaves a segment.
    db.sqlite.exec("INSERT INTO papers_fts(papers_fts, rank) VALUES('automerge', 0)");
    for (let batch = 0; batch < 12; batch++) {
      store.upsertMany(Array.from({ length: 20 }, (_, i) => record({ id: `2401.${String(batch * 20 + i + 1).padStart(5, '0')}`, title: `Graph study ${batch} ${i}` })));
    }
    const segments = () => db.sqlite.prepare('SELECT count(DISTINCT segid) FROM papers_fts_idx').pluck().get() as number;
    expect(segments()).toBe(12);
    let steps = 0;
    while (store.tidySearchIndexStep()) steps++;
    expect(steps).toBeGreaterThan(0);
    expect(segments()).toBe(1);
    expect(store.tidySearchIndexStep()).toBe(false);
    expect(new PaperSearch(db, (pks) => store.getByPks(pks)).search('graph study 11 19').map((h) => h.paper.id)).toEqual(['2401.00240']);
    db.close();
  });
});

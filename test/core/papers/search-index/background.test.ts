import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SearchIndexing } from '../../../../src/core/papers/search-index/background.js';
import { SearchIndex } from '../../../../src/core/papers/search-index/index.js';
import { SearchIndexStore } from '../../../../src/core/papers/search-index/store.js';
import { PaperStore } from '../../../../src/core/papers/store.js';
import { openDatabase, type Database } from '../../../../src/db/database.js';
import { record } from '../../../helpers/records.js';

vi.setConfig({ testTimeout: 120_000 });

describe('SearchIndexing in the running bot', () => {
  let folder: string | undefined;
  let database: Database | undefined;
  afterEach(() => {
    database?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('indexes a large import in a worker thread while the bot answers from FTS5, then from the index', async () => {
    folder = mkdtempSync(join(tmpdir(), 'pb-index-'));
    const path = join(folder, 'p.db');
    database = openDatabase(path);
    const store = new PaperStore(database);
    store.upsertMany(Array.from({ length: 2500 }, (_, i) => record({ id: `2403.${String(10000 + i)}`, title: `Holographic codes ${i}` })));
    const index = new SearchIndex(database);
    expect(index.ready()).toBe(false);
    const indexing = new SearchIndexing({ index, databasePath: path, intervalMs: 50 });
    indexing.start();
    await expect.poll(() => index.behind(), { timeout: 60_000, interval: 100 }).toBe(0);
    await indexing.stop();
    expect(index.ready()).toBe(true);
    expect(index.topK({ terms: index.terms('holographic'), required: [], anyOf: [], k: 3 })).toHaveLength(3);
  });

  it('indexes a few papers itself', async () => {
    database = openDatabase(':memory:');
    const store = new PaperStore(database);
    store.upsert(record({ id: '2403.00001', title: 'Anyons' }));
    const index = new SearchIndex(database);
    const indexing = new SearchIndexing({ index });
    indexing.start();
    expect(index.behind()).toBe(0);
    await indexing.stop();
  });

  it('reads the index into memory once it is up to date, so that searches read no chunk from disk', async () => {
    database = openDatabase(':memory:');
    const store = new PaperStore(database);
    store.upsertMany(Array.from({ length: 1500 }, (_, i) => record({ id: `2403.${String(10000 + i)}`, title: `Holographic codes ${i}`, abstract: `Anyons and braids, case ${i}.` })));
    const index = new SearchIndex(database);
    const indexing = new SearchIndexing({ index, intervalMs: 60_000 });
    indexing.start();
    await expect.poll(() => index.isWarm, { timeout: 10_000, interval: 20 }).toBe(true);
    await indexing.stop();
    const reads = vi.spyOn(SearchIndexStore.prototype, 'chunkRow');
    for (const words of ['holographic codes', 'anyons braids', 'case']) {
      expect(index.topK({ terms: index.terms(words), required: [], anyOf: [], k: 3 })).toHaveLength(3);
    }
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
  });

  it('merges the segments FTS5 was left with a step at a time between other work, and again when papers are stored', async () => {
    database = openDatabase(':memory:');
    const db = database;
    const store = new PaperStore(db);
    const segments = () => db.sqlite.prepare('SELECT count(DISTINCT segid) FROM papers_fts_idx').pluck().get() as number;
    const importDays = (from: number) => {
      // As an import writes: a segment per batch, none merged.
      for (let day = from; day < from + 6; day++) {
        store.bulkWrite(() => store.upsertMany(Array.from({ length: 5 }, (_, i) => record({ id: `2403.${String(10000 + day * 5 + i)}`, title: `Holographic codes ${day} ${i}` }))));
      }
    };
    importDays(0);
    expect(segments()).toBe(6);
    const order: string[] = [];
    const indexing = new SearchIndexing({
      index: new SearchIndex(db), intervalMs: 50,
      mergeFullText: () => {
        order.push('step');
        setImmediate(() => order.push('other'));
        return store.tidySearchIndexStep();
      },
    });
    indexing.start();
    expect(order).toEqual([]); // not inside start: after what waits
    await expect.poll(segments, { timeout: 10_000, interval: 10 }).toBe(1);
    expect(order.slice(0, 3)).toEqual(['step', 'other', 'step']);
    importDays(6);
    expect(segments()).toBe(7);
    await expect.poll(segments, { timeout: 10_000, interval: 10 }).toBe(1);
    await indexing.stop();
    expect(db.sqlite.prepare("SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'holographic'").pluck().get()).toBe(60);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BulkImport, IMPORT_BATCH, type ImportedFile } from '../../../src/core/papers/bulk-import.js';
import { enteredAtMs, packPapers, unpackPaper } from '../../../src/core/papers/packed-papers.js';
import type { DailyEntry, PaperRecord } from '../../../src/core/papers/record.js';
import { PaperStore } from '../../../src/core/papers/store.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { record } from '../../helpers/records.js';

let databases: Database[] = [];
const open = () => {
  const database = openDatabase(':memory:');
  databases.push(database);
  return { database, store: new PaperStore(database, () => 1_000) };
};
beforeEach(() => (databases = []));
afterEach(() => {
  for (const d of databases) d.close();
});

/** A file as the import reader makes it: daily lists packed day after day, then the papers of no list. */
function file(days: [string, DailyEntry[]][], records: PaperRecord[] = []): ImportedFile {
  const packed = packPapers([]);
  const out: ImportedFile = { packed, days: [], recordsFrom: 0, papers: 0 };
  for (const [date, entries] of days) {
    const from = packed.count;
    packPapers(entries.map((e) => e.paper), packed);
    out.days.push({ date, from, to: packed.count, enteredAt: entries.map((e) => enteredAtMs(date, e.enteredAt)) });
  }
  out.recordsFrom = packed.count;
  packPapers(records, packed);
  out.papers = packed.count;
  return out;
}

const list = (date: string, ids: string[], extra: Partial<PaperRecord> = {}): DailyEntry[] =>
  ids.map((id, position) => ({ date, position, enteredAt: `${date}T0${position % 9}:00:00Z`, paper: { id, title: `Paper ${id}`, authors: ['Ann Bee', 'Cy Dee'], abstract: `About ${id}.`, hfUpvotes: position, ...extra } }));

/** Each full-text index's settings, FTS5's defaults where none was set. */
function settings(database: Database): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const table of ['papers_fts', 'papers_title_fts']) {
    out[table] = { automerge: 4, crisismerge: 16, hashsize: 1_048_576, ...Object.fromEntries(database.sqlite.prepare(`SELECT k, v FROM ${table}_config WHERE k <> 'version'`).raw().all() as [string, number][]) };
  }
  return out;
}

function snapshot(database: Database): unknown {
  const all = (sql: string) => database.sqlite.prepare(sql).all();
  return {
    papers: all('SELECT * FROM papers ORDER BY pk'),
    daily: all('SELECT * FROM daily_papers ORDER BY date, position'),
    queue: all('SELECT * FROM paper_details_queue ORDER BY paper_pk'),
    fts: all("SELECT rowid, title, authors, abstract FROM papers_fts WHERE papers_fts MATCH 'paper OR study' ORDER BY rowid"),
    titles: all("SELECT rowid FROM papers_title_fts WHERE papers_title_fts MATCH 'paper OR study' ORDER BY rowid"),
  };
}

describe('BulkImport', () => {
  const days: [string, DailyEntry[]][] = [
    ['2024-03-14', list('2024-03-14', ['2403.00001', '2403.00002', '2403.00003'])],
    ['2024-03-15', list('2024-03-15', ['2403.00004', '2403.00002'])],
  ];
  const atom = [record({ id: '2403.00005', version: 2, title: 'A study in Atom' }), record({ id: '2403.00001', version: 1, title: 'Paper 2403.00001', authors: ['Ann Bee', 'Cy Dee'], abstract: 'About 2403.00001.' })];

  it('stores packed files exactly as saveDaily and upsert store the same records one by one, and leaves the index settings as they were', () => {
    const one = open();
    for (const [date, entries] of days) one.store.saveDaily(date, entries);
    for (const r of atom) one.store.upsert(r);
    const bulk = open();
    const before = settings(bulk.database);
    expect(before.papers_fts).toEqual({ automerge: 8, crisismerge: 16, hashsize: 16_777_216 });
    const importer = new BulkImport(bulk.store);
    importer.add(file(days.slice(0, 1)));
    importer.add(file(days.slice(1), atom));
    importer.flush();
    expect(snapshot(bulk.database)).toEqual(snapshot(one.database));
    expect(settings(bulk.database)).toEqual(before);
    expect(importer.totals).toEqual({ papers: 7, files: 2, inserted: 5, revised: 0, updated: 1, unchanged: 1 });
    expect([...importer.dates]).toEqual(['2024-03-14', '2024-03-15']);
  });

  it('counts the same files imported again as unchanged and writes nothing, but takes what changed', () => {
    const { database, store } = open();
    const first = new BulkImport(store);
    first.add(file(days, atom));
    first.flush();
    const before = snapshot(database);
    const again = new BulkImport(store);
    again.add(file(days, atom));
    again.flush();
    expect(again.totals).toMatchObject({ inserted: 0, updated: 0, revised: 0, unchanged: 7 });
    expect(snapshot(database)).toEqual(before);

    // New upvotes, a newer version, a paper a source still owes its part of: each read whole and updated.
    store.setMissing('2403.00003', ['huggingface']);
    const changed = new BulkImport(store);
    changed.add(file([['2024-03-14', list('2024-03-14', ['2403.00001', '2403.00002', '2403.00003'], { hfUpvotes: 99 })]], [record({ id: '2403.00005', version: 3, title: 'A study in Atom' })]));
    changed.flush();
    expect(changed.totals).toMatchObject({ inserted: 0, updated: 3, revised: 1, unchanged: 0 });
    expect(store.get('2403.00002')?.hfUpvotes).toBe(99);
    expect(store.get('2403.00003')?.missingFrom).toEqual([]);
    expect(store.get('2403.00005')?.version).toBe(3);
  });

  it('writes nothing of a batch whose write fails, index settings included', () => {
    const { database, store } = open();
    const before = snapshot(database);
    const held = settings(database);
    const importer = new BulkImport(store);
    const broken = file(days);
    broken.packed.values[2] = null; // a title is NOT NULL: the insert fails midway
    importer.add(file([['2024-03-16', list('2024-03-16', ['2403.00009'])]]));
    importer.add(broken);
    expect(() => importer.flush()).toThrow();
    expect(snapshot(database)).toEqual(before);
    expect(settings(database)).toEqual(held);
    expect(importer.totals.papers).toBe(0);
    // FTS5 took its settings back from the rollback too: later writes are merged as before.
    for (let i = 10; i < 30; i++) store.upsert(record({ id: `2403.000${i}` }));
    expect(database.sqlite.prepare('SELECT count(DISTINCT segid) FROM papers_fts_idx').pluck().get()).toBeLessThan(10);
  });

  it('leaves a segment per batch, merged by the step that the running bot repeats, never by the import', () => {
    const segments = (database: Database, table = 'papers_fts') => database.sqlite.prepare(`SELECT count(DISTINCT segid) FROM ${table}_idx`).pluck().get() as number;
    const batch = 5;
    const day = (n: number) => file([[`2024-01-${String(n + 1).padStart(2, '0')}`, list(`2024-01-${String(n + 1).padStart(2, '0')}`, Array.from({ length: batch }, (_, i) => `2401.${String(n * batch + i + 1).padStart(5, '0')}`))]]);
    const { database, store } = open();
    const many = new BulkImport(store, batch);
    for (let n = 0; n < 9; n++) many.add(day(n));
    many.flush();
    expect(segments(database)).toBe(9);
    expect(segments(database, 'papers_title_fts')).toBe(9);
    let steps = 0;
    while (store.tidySearchIndexStep()) steps++;
    expect(steps).toBeGreaterThan(0);
    expect(segments(database)).toBe(1);
    expect(segments(database, 'papers_title_fts')).toBe(1);
    expect(database.sqlite.prepare("SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'paper'").pluck().get()).toBe(9 * batch);
    expect(IMPORT_BATCH).toBeGreaterThan(batch);
  });

  it('does not wait for the write lock to merge: another process writing, the step says there is nothing now', () => {
    const folder = mkdtempSync(join(tmpdir(), 'pb-tidy-'));
    try {
      const path = join(folder, 'p.db');
      const database = openDatabase(path);
      databases.push(database);
      const store = new PaperStore(database);
      const importer = new BulkImport(store, 5);
      for (let n = 0; n < 6; n++) importer.add(file([[`2024-02-0${n + 1}`, list(`2024-02-0${n + 1}`, Array.from({ length: 5 }, (_, i) => `2402.${String(n * 5 + i + 1).padStart(5, '0')}`))]]));
      importer.flush();
      const other = openDatabase(path);
      databases.push(other);
      other.sqlite.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      expect(store.tidySearchIndexStep()).toBe(false);
      expect(performance.now() - started).toBeLessThan(1000); // the busy timeout is 5 s
      expect(Number(database.sqlite.pragma('busy_timeout', { simple: true }))).toBe(5000);
      other.sqlite.exec('ROLLBACK');
      expect(store.tidySearchIndexStep()).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('packed papers', () => {
  it('give back the bounded record, leaving unknown fields unset', () => {
    const full = record({ id: '2403.00001', version: 2, updatedAt: '2024-03-14T00:00:00Z', primaryCategory: 'cs.CL', comment: 'c', journalRef: 'j', doi: 'd', codeUrl: 'https://github.com/a/b', projectUrl: 'https://p', githubStars: 3, hfUpvotes: 4, aiSummary: 's', aiKeywords: ['k'] });
    const bare = { id: '2403.00002', title: 'T', authors: [], abstract: '' };
    const long = record({ id: '2403.00003', title: 'word '.repeat(400) });
    const packed = packPapers([full, bare, long]);
    expect(unpackPaper(packed, 0)).toEqual(full);
    expect(unpackPaper(packed, 1)).toEqual(bare);
    expect(unpackPaper(packed, 2).title.length).toBeLessThanOrEqual(1000);
  });
});

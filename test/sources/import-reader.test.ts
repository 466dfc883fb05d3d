import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findImportFiles } from '../../src/sources/import-file.js';
import { ImportReader, readImportFiles, type ReadOutcome } from '../../src/sources/import-reader.js';
import { BulkImport } from '../../src/core/papers/bulk-import.js';
import { SearchIndex, type FeedPosition } from '../../src/core/papers/search-index/index.js';
import { PaperStore } from '../../src/core/papers/store.js';
import { openDatabase } from '../../src/db/database.js';
import { readFixture } from '../fakes/fixtures.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-reader-'));
  writeFileSync(join(dir, '1.json'), readFixture('hf/daily-2024-03-14.json'));
  writeFileSync(join(dir, '2.json'), '[{"paper": {"id": "2403.00001"}}]');
  writeFileSync(join(dir, '3.xml'), readFixture('arxiv/arxiv_atom_search_example_2026.xml'));
  for (let i = 4; i <= 12; i++) writeFileSync(join(dir, `${String(i).padStart(2, '0')}.json`), readFixture('hf/daily-2024-03-14.json'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const summary = (o: ReadOutcome) => (o.ok ? `${o.file.path}: ${o.file.papers} papers, days ${o.file.days.map((d) => d.date).join(',')}` : `${o.path}: refused`);

async function all(worker: boolean): Promise<string[]> {
  const { files } = findImportFiles([dir]);
  const out: string[] = [];
  for await (const outcome of readImportFiles(files, { worker })) out.push(summary(outcome));
  return out;
}

describe('readImportFiles', () => {
  it('reads every file in order, in a worker thread or not, with the same outcomes', async () => {
    const inline = await all(false);
    expect(inline).toHaveLength(12);
    expect(inline.filter((line) => line.endsWith('refused'))).toEqual([`${join(dir, '2.json')}: refused`]);
    expect(inline).toContain(`${join(dir, '3.xml')}: 10 papers, days `);
    expect(inline).toContain(`${join(dir, '1.json')}: 9 papers, days 2024-03-14`);
    expect(await all(true)).toEqual(inline);
  });
});

describe('ImportReader with the search index', () => {
  it('builds the index of the papers written in its worker, segment after segment, up to date when it finishes', async () => {
    const database = openDatabase(':memory:');
    try {
      const index = new SearchIndex(database);
      let position: FeedPosition | undefined = index.feedStart();
      let segments = 0;
      const { files } = findImportFiles([dir]);
      const reader = new ImportReader(files, {
        worker: true,
        index: { totals: { papers: 0, tokens: 0 }, onSegment: (segment) => {
          segments++;
          position = position && index.writeFed(segment, position);
        } },
      });
      expect(reader.feeds).toBe(true);
      const bulk = new BulkImport(new PaperStore(database), 15, (pks) => reader.placed(pks));
      try {
        for await (const outcome of reader.outcomes()) if (outcome.ok) bulk.add(outcome.file);
        bulk.flush();
        await reader.finish();
      } finally {
        await reader.close();
      }
      expect(bulk.totals.inserted).toBe(19); // the same daily list in ten files, and the Atom feed's papers
      expect(segments).toBe(1);
      expect(position).toBeDefined();
      expect(index.behind()).toBe(0);
      expect(index.topK({ terms: index.terms('language'), required: [], anyOf: [], k: 50 })!.length).toBeGreaterThan(0);
    } finally {
      database.close();
    }
  });
});

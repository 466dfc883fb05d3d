import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findImportFiles } from '../../src/sources/import-file.js';
import { readImportFiles, type ReadOutcome } from '../../src/sources/import-reader.js';
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

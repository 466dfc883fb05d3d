import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HfClient } from '../../src/sources/hf.js';
import { parseImportFile } from '../../src/sources/import-file.js';
import { fixtureUrl } from '../fakes/fixtures.js';
import { startFakeHf, type FakeHf } from '../fakes/hf-server.js';
import { testHttp } from '../helpers/test-core.js';

const BOM = '\uFEFF';
const daily = readFileSync(fixtureUrl('hf/daily-2024-03-14.json'), 'utf8');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-bom-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('UTF-8 with a byte-order mark', () => {
  it.each([
    ['an HF daily-papers JSON', 'daily.json', daily, 9],
    ['an arXiv Atom feed', 'feed.xml', readFileSync(fixtureUrl('arxiv/arxiv_atom_example_2026.xml'), 'utf8'), 1],
  ])('%s with a BOM is read like one without', (_what, name, text, papers) => {
    const path = join(dir, name);
    writeFileSync(path, BOM + text);
    expect(readFileSync(path).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(parseImportFile(path).papers).toBe(papers);
  });

  it('a Hugging Face answer with a BOM is read', async () => {
    const hf: FakeHf = await startFakeHf();
    try {
      hf.failNext(1, 200, { 'content-type': 'application/json' }, BOM + daily);
      const entries = await new HfClient({ apiUrl: hf.url, http: testHttp }).daily('2024-03-14');
      expect(entries).toHaveLength(9);
      const paper = readFileSync(fixtureUrl('hf/paper-2403.08295.json'), 'utf8');
      hf.failNext(1, 200, { 'content-type': 'application/json' }, BOM + paper);
      expect((await new HfClient({ apiUrl: hf.url, http: testHttp }).paper('2403.08295'))?.title).toContain('Gemma');
    } finally {
      await hf.close();
    }
  });
});


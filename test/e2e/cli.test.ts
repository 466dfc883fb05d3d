import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeArxiv, type FakeArxiv } from '../fakes/arxiv-server.js';
import { fixtureUrl } from '../fakes/fixtures.js';
import { startFakeHf, type FakeHf } from '../fakes/hf-server.js';
import { runNode, type Result } from '../helpers/run-node.js';
import { openDatabase } from '../../src/db/database.js';

// Each test starts real processes (tsx compiles on start): give them room on a busy machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const bin = fileURLToPath(new URL('../../bin/paperboy', import.meta.url));
let hf: FakeHf;
let arxiv: FakeArxiv;
let dir: string;

beforeAll(async () => {
  [hf, arxiv] = await Promise.all([startFakeHf(), startFakeArxiv()]);
  dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-'));
});
afterAll(async () => {
  await Promise.all([hf.close(), arxiv.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function paperboy(args: string[], options: { input?: string; env?: Record<string, string>; db?: string } = {}): Promise<Result> {
  return runNode([bin, ...args], dir, options.input ?? '', {
    DATABASE_PATH: join(dir, options.db ?? 'cli.db'),
    HF_API_URL: hf.url,
    ARXIV_API_URL: `${arxiv.url}/api/query`,
    ARXIV_MIN_INTERVAL_MS: '0',
    HTTP_RETRIES: '0',
    HTTP_TIMEOUT_MS: '3000',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
}


describe('bin/paperboy', () => {
  it('stores a day with a progress line, then searches it', async () => {
    const fetched = await paperboy(['fetch', '--date', '2024-03-14']);
    expect(fetched).toMatchObject({ code: 0 });
    expect(fetched.stderr).toContain('Fetching Hugging Face Daily Papers for 2024-03-14… 9 papers');
    expect(fetched.stdout).toContain('Stored 9 papers for 2024-03-14 (9 new');

    const found = await paperboy(['search', 'splatting']);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain('GaussianImage: 1000 FPS Image Representation');
    expect((await paperboy(['search', 'zebrafish'])).code).toBe(1);
  });

  it('shows a paper, and maps not found, bad input and outages to exit codes', async () => {
    const shown = await paperboy(['paper', 'https://arxiv.org/abs/2403.08295v1']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Gemma: Open Models Based on Gemini Research and Technology');
    expect(shown.stdout).toContain('PDF: https://arxiv.org/pdf/2403.08295');

    const missing = await paperboy(['paper', '2403.99999']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);

    const bad = await paperboy(['paper', 'not-a-paper']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^paperboy: Not an arXiv id or paper URL: "not-a-paper"\. Try 2403\.08295/);

    expect((await paperboy(['fetch', '--date', '2024-13-01'])).code).toBe(2);
    expect((await paperboy(['frobnicate'])).code).toBe(2);
    const config = await paperboy(['search', 'x'], { env: { LOG_LEVEL: 'loud' } });
    expect(config.code).toBe(2);
    expect(config.stderr.trim()).toBe('paperboy: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")');

    const [hfDown, arxivDown] = await Promise.all([startFakeHf(), startFakeArxiv()]);
    hfDown.failNext(10, 503);
    arxivDown.failNext(10, 503);
    const down = await paperboy(['paper', '2403.11111'], { db: 'down.db', env: { HF_API_URL: hfDown.url, ARXIV_API_URL: `${arxivDown.url}/api/query` } });
    await Promise.all([hfDown.close(), arxivDown.close()]);
    expect(down.code).toBe(3);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits as soon as the card is out, without waiting for the arXiv fill-in it started', async () => {
    const hanging = await startFakeArxiv();
    hanging.hang();
    // Without cancelling, the process would wait out the 60 s budget for arXiv after printing.
    const env = { ARXIV_API_URL: `${hanging.url}/api/query`, LOOKUP_BUDGET_MS: '60000', HTTP_TIMEOUT_MS: '60000' };
    const started = performance.now();
    const shown = await paperboy(['paper', '2403.08295'], { db: 'fill-in.db', env });
    const seconds = (performance.now() - started) / 1000;
    await hanging.close();
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Gemma: Open Models Based on Gemini Research and Technology');
    expect(seconds).toBeLessThan(45);
    // Handed on: the paper is marked as missing arXiv's part, and the next lookup completes it.
    const database = openDatabase(join(dir, 'fill-in.db'));
    expect(database.sqlite.prepare('SELECT missing_from FROM papers WHERE id = ?').pluck().get('2403.08295')).toBe('["arxiv"]');
    database.close();
    // A partial paper waits a fifth of the budget for its completion: 6 s, room for a loaded machine.
    expect((await paperboy(['paper', '2403.08295'], { db: 'fill-in.db', env: { LOOKUP_BUDGET_MS: '30000' } })).code).toBe(0);
    const after = openDatabase(join(dir, 'fill-in.db'));
    expect(after.sqlite.prepare('SELECT missing_from, version FROM papers WHERE id = ?').get('2403.08295')).toEqual({ missing_from: '[]', version: 1 });
    after.close();
  }, 120_000);

  it('imports a saved arXiv Atom file and an HF daily-papers file', async () => {
    const atom = await paperboy(['import', fileURLToPath(fixtureUrl('arxiv/arxiv_atom_search_example_2026.xml'))], { db: 'import.db' });
    expect(atom.code).toBe(0);
    expect(atom.stdout).toMatch(/^Imported \d+ papers/);
    const daily = await paperboy(['import', fileURLToPath(fixtureUrl('hf/daily-2024-03-14.json'))], { db: 'import.db' });
    expect(daily.code).toBe(0);
    expect(daily.stdout).toContain('Imported 9 papers');
    const nothing = await paperboy(['import', join(dir, 'nope.json')], { db: 'import.db' });
    expect(nothing.code).toBe(2);
  });
});

describe('npm run sandbox', () => {
  it('serves the fixture day from its own fakes, with no network', async () => {
    const sandbox = await runNode(
      ['--import', 'tsx', fileURLToPath(new URL('../../scripts/sandbox.ts', import.meta.url))],
      fileURLToPath(new URL('../..', import.meta.url)),
      '/search splatting\n/paper 2403.08295\n',
      { DATABASE_PATH: join(dir, 'sandbox.db') },
    );
    expect(sandbox.code).toBe(0);
    expect(sandbox.stderr).toContain('9 papers of 2024-03-14 stored');
    expect(sandbox.stdout).toContain('GaussianImage');
    expect(sandbox.stdout).toContain('Gemma: Open Models Based on Gemini Research and Technology');
  });
});

describe('terminal adapter', () => {
  it('answers piped commands and ends cleanly at end of input', async () => {
    const input = ['/paper 2403.08295', '/search gemma', '/paper 12345', 'hello', '/nope', '/digest 2024-03-14', '/react 2 👍', '/top week', '/paper 2403.08295', '/help', ''].join('\n');
    const run = await paperboy(['start'], { input, db: 'shell.db' });
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('Gemma: Open Models Based on Gemini Research and Technology');
    expect(out).toContain('Search: gemma');
    expect(out).toContain('Not an arXiv id or paper URL: "12345"');
    expect(out).toContain('Commands start with a slash');
    expect(out).toContain('Unknown command /nope');
    expect(out).toContain('📰 Daily Papers · Thu 14 Mar 2024 · 9 papers');
    expect(out).toContain('Voted: 1 vote for 2403.08295');
    expect(out).toMatch(/1\. Gemma: Open Models[\s\S]*1 vote/);
    expect(out).toContain('Votes: ▲ 25 on Hugging Face · 1 team vote');
    expect(out).toContain('/subscribe');
  });
});

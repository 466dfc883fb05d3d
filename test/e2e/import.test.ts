import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { main } from '../../src/main.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode, type Result } from '../helpers/run-node.js';
import { fixtureUrl } from '../fakes/fixtures.js';
import { startFakeHf, type FakeHf } from '../fakes/hf-server.js';
import { dailyList } from '../helpers/test-core.js';

const bin = fileURLToPath(new URL('../../bin/paperboy', import.meta.url));
let dir: string;
let hf: FakeHf;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-import-'));
  hf = await startFakeHf();
});
afterAll(async () => {
  await hf.close();
  rmSync(dir, { recursive: true, force: true });
});

function paperboy(args: string[], db: string): Promise<Result> {
  return runNode([bin, ...args], dir, '', { DATABASE_PATH: join(dir, db), LOG_LEVEL: 'silent', HF_API_URL: hf.url, HTTP_RETRIES: '0', ARXIV_API_URL: 'http://127.0.0.1:9/api/query' });
}

/** The same CLI in this process (quicker than a new one): main() with collected output. */
async function inProcess(args: string[], db: string): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const sink = (write: (text: string) => void) => new Writable({ write(chunk: Buffer, _enc, done) { write(chunk.toString()); done(); } });
  const code = await main(args, {
    stdin: process.stdin,
    stdout: sink((t) => (stdout += t)),
    stderr: sink((t) => (stderr += t)),
    env: { DATABASE_PATH: join(dir, db), LOG_LEVEL: 'silent', HF_API_URL: hf.url, HTTP_RETRIES: '0', ARXIV_API_URL: 'http://127.0.0.1:9/api/query' },
  });
  return { code, stdout, stderr };
}

/** A daily list of `count` papers with ids of their own (2499.NNNNN), listed on `date`. */
function list(date: string, count: number, from: number): unknown[] {
  return dailyList(count + 9).slice(9).map((entry, i) => {
    const e = entry as { paper: { id: string; title: string; submittedOnDailyAt: string }; publishedAt: string };
    e.paper.id = `2499.${String(from + i).padStart(5, '0')}`;
    e.paper.title = `Zebrafish vlogger study ${from + i}`;
    e.paper.submittedOnDailyAt = `${date}T02:00:00.000Z`;
    e.publishedAt = e.paper.submittedOnDailyAt;
    return e;
  });
}

function snapshot(db: string): unknown {
  const sqlite = new BetterSqlite3(join(dir, db), { readonly: true });
  try {
    return {
      papers: sqlite.prepare('SELECT * FROM papers ORDER BY pk').all(),
      daily: sqlite.prepare('SELECT * FROM daily_papers ORDER BY date, position').all(),
      queue: sqlite.prepare('SELECT * FROM paper_details_queue ORDER BY paper_pk').all(),
      fts: sqlite.prepare("SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH 'zebrafish'").get(),
    };
  } finally {
    sqlite.close();
  }
}

const count = (db: string, sql: string): number => {
  const sqlite = new BetterSqlite3(join(dir, db), { readonly: true });
  try {
    return sqlite.prepare(sql).pluck().get() as number;
  } finally {
    sqlite.close();
  }
};

// Each case starts the CLI (tsx) a few times: on a busy 2-core machine that takes a while.
describe('paperboy import', { timeout: 120_000 }, () => {
  it('imports many files and folders in one run; importing them again changes nothing', async () => {
    const folder = join(dir, 'saved');
    mkdirSync(join(folder, 'march'), { recursive: true });
    copyFileSync(fixtureUrl('hf/daily-2024-03-14.json'), join(dir, 'a.json'));
    copyFileSync(fixtureUrl('arxiv/arxiv_atom_search_example_2026.xml'), join(dir, 'b.xml'));
    writeFileSync(join(folder, '2024-03-15.json'), JSON.stringify(list('2024-03-15', 30, 0)));
    writeFileSync(join(folder, 'march', '2024-03-16.json'), JSON.stringify(list('2024-03-16', 20, 100)));
    writeFileSync(join(folder, 'notes.txt'), 'not a paper file');

    const first = await paperboy(['import', 'a.json', 'b.xml', 'saved'], 'many.db');
    expect(first.stderr).not.toContain('paperboy:');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Imported 69 papers from 4 files \(\d+ new, 0 updated, 0 unchanged\); daily lists: 2024-03-14, 2024-03-15, 2024-03-16\.\n$/);
    expect(count('many.db', 'SELECT count(*) FROM daily_papers')).toBe(59);
    expect(count('many.db', "SELECT count(*) FROM daily_papers WHERE date = '2024-03-16'")).toBe(20);
    // Not a terminal: plain progress lines, ending with the whole count.
    expect(first.stderr.trim().split('\n').at(-1)).toMatch(/^100% 4\/4 files · 69 papers/);
    // The search index has caught up before the import exits: the next search needs no FTS5 fallback.
    expect(count('many.db', "SELECT value FROM search_state WHERE key = 'watermark'")).toBe(count('many.db', 'SELECT max(pk) FROM papers'));

    const before = snapshot('many.db');
    const again = await paperboy(['import', 'saved', 'b.xml', 'a.json'], 'many.db');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('(0 new, 0 updated, 69 unchanged)');
    expect(snapshot('many.db')).toEqual(before);

    const found = await inProcess(['search', 'zebrafish vlogger 115'], 'many.db');
    expect(found.stdout).toContain('Zebrafish vlogger study 115');
  });

  it('refuses unreadable and malformed files with one line each, storing nothing of them, and imports the rest', async () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(list('2024-04-01', 10, 200)));
    writeFileSync(join(dir, 'truncated.json'), JSON.stringify(list('2024-04-02', 10, 300)).slice(0, 500));
    // Valid entries first, then one without a title: the whole file is refused, not its first half stored.
    const halfBad = list('2024-04-03', 10, 400) as { paper: { title?: string } }[];
    delete halfBad[7]!.paper.title;
    writeFileSync(join(dir, 'half-bad.json'), JSON.stringify(halfBad));
    writeFileSync(join(dir, 'broken.xml'), '<feed><entry><id>http://arxiv.org/abs/2401.00001v1</id>');
    writeFileSync(join(dir, 'plain.json'), 'hello');
    mkdirSync(join(dir, 'empty-folder'), { recursive: true });

    const run = await inProcess(['import', ...['truncated.json', 'good.json', 'missing.json', 'half-bad.json', 'broken.xml', 'plain.json', 'empty-folder'].map((f) => join(dir, f))], 'refuse.db');
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n').filter((line) => line.startsWith('paperboy:'));
    expect(lines).toHaveLength(7);
    for (const name of ['missing.json', 'empty-folder', 'truncated.json', 'half-bad.json', 'broken.xml', 'plain.json']) {
      expect(lines.filter((line) => line.includes(name))).toHaveLength(1);
    }
    expect(lines.at(-1)).toBe('paperboy: 6 of 7 paths refused (named above); nothing of them was stored.');
    expect(run.stdout).toContain('Imported 10 papers from 1 file (10 new');
    expect(count('refuse.db', 'SELECT count(*) FROM papers')).toBe(10);
    expect(count('refuse.db', "SELECT count(*) FROM papers WHERE id LIKE '2499.004%' OR id LIKE '2499.003%'")).toBe(0);
    expect(count('refuse.db', "SELECT count(*) FROM daily_papers WHERE date <> '2024-04-01'")).toBe(0);
  });

  it('says what it needs when given nothing or options, and other verbs refuse arguments they cannot use', async () => {
    const none = await inProcess(['import'], 'args.db');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^paperboy: import needs files or folders/);
    const missing = await inProcess(['import', 'nope.json'], 'args.db');
    expect(missing).toMatchObject({ code: 2, stderr: 'paperboy: Cannot read nope.json: no such file or folder. Give saved .json or .xml files, or folders of them.\n' });
    expect((await inProcess(['import', '--fast', 'a.json'], 'args.db')).code).toBe(2);
    const stats = await inProcess(['stats', 'extra'], 'args.db');
    expect(stats.code).toBe(2);
    expect(stats.stderr).toContain("Unexpected argument 'extra'. Usage: paperboy stats");
    const fetch = await inProcess(['fetch', '--date', '2024-03-14', 'extra'], 'args.db');
    expect(fetch.code).toBe(2);
    expect(fetch.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('paperboy fetch --from --to', { timeout: 120_000 }, () => {
  it('backfills a range of days with progress, then skips the days already complete', async () => {
    const first = await inProcess(['fetch', '--from', '2024-03-12', '--to', '2024-03-15'], 'range.db');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('Fetched 4 days from 2024-03-12 to 2024-03-15: 9 papers (9 new, 0 updated, 0 unchanged).\n');
    expect(first.stderr.trim().split('\n').at(-1)).toMatch(/^100% 4\/4 days · 9 papers/);
    expect(count('range.db', 'SELECT count(*) FROM fetched_days')).toBe(4);

    hf.requests.length = 0;
    const again = await inProcess(['fetch', '--from', '2024-03-10', '--to', '2024-03-15'], 'range.db');
    expect(again.stdout).toBe('Fetched 2 days from 2024-03-10 to 2024-03-15; 4 already complete, skipped: 0 papers (0 new, 0 updated, 0 unchanged).\n');
    expect(hf.requests.map((r) => r.query.date)).toEqual(['2024-03-10', '2024-03-11']);

    expect((await inProcess(['fetch', '--from', '2024-03-15', '--to', '2024-03-12'], 'range.db')).code).toBe(2);
    expect((await inProcess(['fetch', '--from', '2024-03-15'], 'range.db')).code).toBe(2);
    expect((await inProcess(['fetch', '--date', '2024-03-14', '--from', '2024-03-12', '--to', '2024-03-15'], 'range.db')).code).toBe(2);
  });
});

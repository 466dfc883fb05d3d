import { PassThrough } from 'node:stream';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { verbs } from '../../src/cli/verbs.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-exit-'));
  writeFileSync(join(dir, 'not-a-db.db'), 'hello, I am text\n');
  writeFileSync(join(dir, 'a-file'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const stdout = new PassThrough().on('data', (d: Buffer) => (out += d.toString()));
  const stderr = new PassThrough().on('data', (d: Buffer) => (err += d.toString()));
  // Nothing is listening on port 9: a verb that got as far as the network would fail with 3, not 2.
  const code = await main(argv, {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env: { DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent', HF_API_URL: 'http://127.0.0.1:9', ARXIV_API_URL: 'http://127.0.0.1:9/api/query', HTTP_RETRIES: '0', ...env },
  });
  return { code, out, err };
}

/** Every verb's bad-input forms: each exits 2 with one line on stderr and nothing on stdout. */
const BAD_INPUT: [argv: string[], line: RegExp][] = [
  [['frobnicate'], /^paperboy: Unknown command "frobnicate"\. Run paperboy help\.$/],
  [['--verbose'], /^paperboy: Unknown command "--verbose"/],
  [['start', 'now'], /^paperboy: Unexpected argument 'now'\. Usage: paperboy start$/],
  [['start', '--tty'], /^paperboy: Unknown option '--tty'\. Usage: paperboy start$/],
  [['paper'], /^paperboy: Missing id\. Usage: \/paper/],
  [['paper', 'not-a-paper'], /^paperboy: Not an arXiv id or paper URL: "not-a-paper"/],
  [['paper', '2403.08295', 'constructor'], /^paperboy: Unknown language "constructor"/],
  [['paper', '2403.08295', 'klingon'], /^paperboy: Unknown language "klingon"/],
  [['search'], /^paperboy: Missing query/],
  [['search', 'gemma', 'since:0000-01-01'], /^paperboy: since: "0000-01-01" is outside the days papers can have/],
  [['search', 'gemma', 'since:2024-02-30'], /^paperboy: since: needs a date/],
  [['search', 'gemma', 'cat:cs.CL;DROP'], /^paperboy: cat: needs an arXiv category/],
  [['fetch'], /^paperboy: fetch needs --date, or both --from and --to; e\.g\. paperboy fetch --date 2024-03-14/],
  [['fetch', '2024-03-14'], /^paperboy: Unexpected argument '2024-03-14'\. This command does not take positional arguments; e\.g\. paperboy fetch --date 2024-03-14/],
  [['fetch', '--dat', 'X'], /^paperboy: Unknown option '--dat'; e\.g\. paperboy fetch --date 2024-03-14/],
  [['fetch', '--date'], /^paperboy: Option '--date <value>' argument missing; e\.g\. paperboy fetch/],
  [['fetch', '--date', '2024-13-01'], /^paperboy: Not a date: "2024-13-01"/],
  [['fetch', '--date', '0000-01-01'], /^paperboy: "0000-01-01" is outside the days papers can have: use a date from 1991-01-01 to \d{4}-12-31\.$/],
  [['fetch', '--date', '2024-03-14', 'extra'], /^paperboy: Unexpected argument 'extra'/],
  [['import'], /^paperboy: import needs files or folders/],
  [['import', 'a.json'], /^paperboy: Cannot read a\.json: no such file or folder\. Give saved \.json or \.xml files, or folders of them\.$/],
  [['import', '--file', 'a.json'], /^paperboy: import takes files and folders, not "--file"\. Run paperboy help\.$/],
  [['import', '/nonexistent/daily.json'], /^paperboy: Cannot read \/nonexistent\/daily\.json: no such file or folder/],
  [['stats', 'now'], /^paperboy: Unexpected argument 'now'\. Usage: paperboy stats$/],
  [['register-commands'], /^paperboy: register-commands needs DISCORD_TOKEN and DISCORD_APP_ID/],
  [['register-commands', '--gild', '1'], /^paperboy: Unknown option '--gild'\. Usage: paperboy register-commands \[--guild ID\]$/],
  [['register-commands', '--guild'], /^paperboy: Option '--guild <value>' argument missing/],
  [['register-commands', 'extra'], /^paperboy: Unexpected argument 'extra'/],
  [['doctor', '--jsn'], /^paperboy: Unknown option '--jsn'/],
  [['health', '--jsn'], /^paperboy: Unknown option '--jsn'/],
  [['backup'], /^paperboy: /],
  [['backup', '--forse', 'x.db'], /^paperboy: Unknown option '--forse'/],
];

describe('bin/paperboy exit codes', () => {
  it.each(BAD_INPUT)('%j exits 2 with one line', async (argv, line) => {
    const { code, out, err } = await cli(argv);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err.trimEnd()).toMatch(line);
    expect(out).toBe('');
    expect(code).toBe(2);
  });

  it('covers every verb', () => {
    const covered = new Set(BAD_INPUT.map(([argv]) => argv[0]));
    for (const verb of verbs) expect(covered, verb.name).toContain(verb.name);
  });

  it('help exits 0', async () => {
    expect((await cli(['help'])).code).toBe(0);
  });

  it('an unreachable source exits 3', async () => {
    const { code, err } = await cli(['fetch', '--date', '2024-03-14']);
    expect(err.trimEnd().split('\n').at(-1)).toMatch(/^paperboy: /);
    expect(code).toBe(3);
  });
});

describe('a bad DATABASE_PATH', () => {
  it.each([
    ['/proc/x/p.db', 'DATABASE_PATH=/proc/x/p.db: cannot create the folder /proc/x (ENOENT). Point DATABASE_PATH at a writable file.'],
    ['/proc/p.db', 'DATABASE_PATH=/proc/p.db: cannot open or create the file there (a folder, or no write access?) (SQLITE_CANTOPEN). Point DATABASE_PATH at a writable file.'],
  ])('%s gives one line naming the variable at once, exit 2', async (path, line) => {
    const started = Date.now();
    const { code, err } = await cli(['stats'], { DATABASE_PATH: path });
    expect(err).toBe(`paperboy: ${line}\n`);
    expect(code).toBe(2);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a folder, a file that is no database, and a path through a file are named too', async () => {
    const cases: [string, RegExp][] = [
      [dir, /cannot open or create the file there .*SQLITE_CANTOPEN/],
      [join(dir, 'not-a-db.db'), /the file is not a SQLite database \(SQLITE_NOTADB\)/],
      [join(dir, 'a-file', 'sub', 'p.db'), /a-file is a file, not a folder/],
    ];
    for (const [path, reason] of cases) {
      const { code, err } = await cli(['search', 'gemma'], { DATABASE_PATH: path });
      expect(err.trimEnd().split('\n')).toHaveLength(1);
      expect(err).toContain(`paperboy: DATABASE_PATH=${path}: `);
      expect(err).toMatch(reason);
      expect(err).toContain('Point DATABASE_PATH at a writable file.');
      expect(code).toBe(2);
    }
  });

  it('creates missing folders for a good path', async () => {
    const { code } = await cli(['stats'], { DATABASE_PATH: join(dir, 'new', 'deeper', 'p.db') });
    expect(code).toBe(0);
  });
});

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { backupDatabase } from '../../src/ops/backup.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function insertPapers(sqlite: BetterSqlite3.Database, from: number, count: number): void {
  const insert = sqlite.prepare("INSERT INTO papers (id, title, authors, abstract) VALUES (?, ?, '[]', ?)");
  sqlite.transaction(() => {
    for (let i = from; i < from + count; i++) insert.run(`2403.${String(i).padStart(5, '0')}`, `Paper ${i}`, 'x'.repeat(2000));
  })();
}

describe('backupDatabase', () => {
  it('copies a database that is being written to, consistently, with progress', async () => {
    const path = join(dir, 'live.db');
    const live = openDatabase(path);
    insertPapers(live.sqlite, 0, 3000);
    insertPapers(live.sqlite, 3000, 5000);
    const progress: number[] = [];
    // The bot keeps writing while the copy is made (from its own connection: each write restarts SQLite's copy).
    let next = 100_000;
    const writer = setInterval(() => insertPapers(live.sqlite, (next += 10), 10), 2);
    const result = await backupDatabase(path, join(dir, 'copy.db'), { onProgress: (done) => progress.push(done) });
    clearInterval(writer);
    expect(progress.length).toBeGreaterThan(1);
    expect(result.pages).toBeGreaterThan(500);

    const copy = new BetterSqlite3(result.file, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const count = (copy.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
    expect(count).toBeGreaterThanOrEqual(8000);
    // A consistent moment: the full-text index holds exactly the papers of the copy.
    expect((copy.prepare('SELECT count(*) AS n FROM papers_fts').get() as { n: number }).n).toBe(count);
    copy.close();
    live.close();
    expect(existsSync(`${result.file}.partial`)).toBe(false);
  });

  it('refuses to overwrite a file unless forced, and refuses the database itself', async () => {
    const path = join(dir, 'small.db');
    openDatabase(path).close();
    const target = join(dir, 'exists.db');
    writeFileSync(target, 'keep me');
    await expect(backupDatabase(path, target)).rejects.toThrow(/already exists: name a new file, or add --force/);
    await expect(backupDatabase(path, path)).rejects.toThrow(/is the database itself/);
    await expect(backupDatabase(join(dir, 'nope.db'), join(dir, 'x.db'))).rejects.toThrow(/^No database at/);
    const forced = await backupDatabase(path, target, { force: true });
    expect(forced.bytes).toBeGreaterThan(7);
  });
});

/**
 * The database: it opens (read-only: the doctor changes nothing), its migrations are those of this
 * version, SQLite's integrity check passes, and the disk has room. Also reads the subscribed channels
 * the platform checks look at.
 * @module
 */
import { existsSync, readFileSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { openReadOnly } from '../ops/read-only-db.js';
import { fail, ok, warn, type CheckResult, type SubscribedChannel } from './check.js';

const AREA = 'database';
const journalUrl = new URL('../../drizzle/meta/_journal.json', import.meta.url);
const FAIL_BELOW = 100 * 1_048_576;
const WARN_BELOW = 1024 * 1_048_576;

function size(bytes: number): string {
  return bytes >= 1_073_741_824 ? `${(bytes / 1_073_741_824).toFixed(1)} GB` : `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** The nearest folder that exists on the way to `path` (the database may not be created yet). */
function existingFolder(path: string): string {
  let dir = dirname(resolve(path));
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function migrationsCheck(sqlite: BetterSqlite3.Database): CheckResult {
  const journal = JSON.parse(readFileSync(journalUrl, 'utf8')) as { entries: { tag: string; when: number }[] };
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  const applied = table ? (sqlite.prepare('SELECT created_at AS at FROM __drizzle_migrations').all() as { at: number }[]).map((r) => r.at) : [];
  const known = new Set(journal.entries.map((e) => e.when));
  const unknown = applied.filter((at) => !known.has(at));
  if (unknown.length > 0) {
    return fail(AREA, 'migrations', `${unknown.length} migration(s) in the database are unknown to this version (written by a newer Paperboy?)`, 'run the Paperboy version that wrote this database, or restore a backup made for this one');
  }
  const last = Math.max(0, ...applied);
  const pending = journal.entries.filter((e) => e.when > last);
  if (pending.length > 0) {
    return warn(AREA, 'migrations', `${pending.length} of ${journal.entries.length} migrations not applied yet (${pending.map((e) => e.tag).join(', ')})`, 'paperboy start applies them; make a copy first with paperboy backup FILE');
  }
  return ok(AREA, 'migrations', `all ${journal.entries.length} applied`);
}

function diskCheck(path: string): CheckResult {
  const folder = existingFolder(path);
  const stats = statfsSync(folder);
  const free = stats.bavail * stats.bsize;
  if (free < FAIL_BELOW) return fail(AREA, 'disk', `${size(free)} free in ${folder}`, 'free some space: SQLite needs room to write and to checkpoint its WAL');
  if (free < WARN_BELOW) return warn(AREA, 'disk', `${size(free)} free in ${folder}`, 'free some space soon');
  return ok(AREA, 'disk', `${size(free)} free in ${folder}`);
}

function subscribedChannels(sqlite: BetterSqlite3.Database): SubscribedChannel[] {
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'subscriptions'").get();
  if (!table) return [];
  return sqlite.prepare('SELECT platform, workspace, channel FROM subscriptions WHERE active = 1 ORDER BY platform, workspace, channel').all() as SubscribedChannel[];
}

export function checkDatabase(path: string): { results: CheckResult[]; channels: SubscribedChannel[] } {
  if (path === ':memory:') return { results: [warn(AREA, 'file', 'DATABASE_PATH is :memory:: nothing is kept between runs', 'set DATABASE_PATH to a file, e.g. ./data/paperboy.db')], channels: [] };
  if (!existsSync(path)) {
    return { results: [warn(AREA, 'file', `no database yet at ${path}`, 'paperboy start creates it'), diskCheck(path)], channels: [] };
  }
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = openReadOnly(path);
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { results: [fail(AREA, 'file', `${path} does not open (${message})`, 'check the file and its permissions, or restore a backup (README: Backups)'), diskCheck(path)], channels: [] };
  }
  try {
    const results: CheckResult[] = [ok(AREA, 'file', `${path} opens (${size(statSync(path).size)})`), migrationsCheck(sqlite)];
    const integrity = sqlite.pragma('integrity_check', { simple: true });
    results.push(integrity === 'ok' ? ok(AREA, 'integrity', 'PRAGMA integrity_check: ok') : fail(AREA, 'integrity', `PRAGMA integrity_check: ${String(integrity).slice(0, 120)}`, 'stop the bot and restore the latest backup (README: Backups)'));
    results.push(diskCheck(path));
    return { results, channels: subscribedChannels(sqlite) };
  } finally {
    sqlite.close();
  }
}

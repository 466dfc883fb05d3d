/**
 * A consistent copy of the database while the bot runs, with SQLite's online backup API (through
 * better-sqlite3's `db.backup`): pages are copied in steps, and writes made meanwhile by the bot are
 * carried over, so the copy is the database as of one moment. Written beside the target, then renamed.
 * @module
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { BadInputError } from '../errors.js';
import { openReadOnly } from './read-only-db.js';

export interface BackupOptions {
  /** Replace an existing file. */
  force?: boolean;
  /** Told as pages are copied: a fraction from 0 to 1. */
  onProgress?: (done: number) => void;
}

export interface BackupResult {
  file: string;
  pages: number;
  bytes: number;
}

/**
 * Steps of a tenth of the database give a progress line each. A write by the bot between two steps
 * restarts the copy (SQLite's rule for writes from another connection); after a restart the rest is
 * copied in one step, which in WAL mode holds only a read snapshot and never blocks the bot.
 */
const MIN_PAGES_PER_STEP = 1024;
const ALL_PAGES = 0x7fffffff;

export async function backupDatabase(databasePath: string, target: string, options: BackupOptions = {}): Promise<BackupResult> {
  const file = resolve(target);
  if (file === resolve(databasePath)) throw new BadInputError(`${target} is the database itself: name another file.`);
  if (existsSync(file) && !options.force) throw new BadInputError(`${target} already exists: name a new file, or add --force to replace it.`);
  const partial = `${file}.partial`;
  const source = openReadOnly(databasePath);
  try {
    let pages = 0;
    let lastRemaining = Infinity;
    let restarted = false;
    try {
      const result = await source.backup(partial, {
        progress({ totalPages, remainingPages }) {
          pages = totalPages;
          if (remainingPages > lastRemaining) restarted = true;
          lastRemaining = remainingPages;
          options.onProgress?.(totalPages === 0 ? 1 : (totalPages - remainingPages) / totalPages);
          return restarted ? ALL_PAGES : Math.max(MIN_PAGES_PER_STEP, Math.ceil(totalPages / 10));
        },
      });
      pages = result.totalPages;
    } catch (err) {
      rmSync(partial, { force: true });
      const code = (err as NodeJS.ErrnoException).code;
      throw new BadInputError(`Could not write ${target}${code ? ` (${code})` : ''}: ${err instanceof Error ? err.message : String(err)}`);
    }
    checkCopy(partial);
    renameSync(partial, file);
    return { file, pages, bytes: statSync(file).size };
  } finally {
    source.close();
  }
}

/** The copy opens and passes SQLite's quick check; a copy that does not is removed. */
function checkCopy(path: string): void {
  const copy = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const result = copy.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new Error(String(result));
  } catch (err) {
    copy.close();
    rmSync(path, { force: true });
    throw new BadInputError(`The copy failed SQLite's check (${err instanceof Error ? err.message : String(err)}); nothing was written.`);
  }
  copy.close();
}

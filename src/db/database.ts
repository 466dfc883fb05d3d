/**
 * Opens the SQLite file (creating its folder), sets WAL and a busy timeout, and applies every
 * migration in drizzle/ so a fresh checkout and an old database both come up current.
 * @module
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema>;

export interface Database {
  /** drizzle over the connection, for typed queries. */
  db: Db;
  /** The raw connection, for FTS5 queries and prepared hot paths. */
  sqlite: BetterSqlite3.Database;
  close(): void;
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** The database file cannot be created or opened; `reason` says why in a few words. */
export class DatabaseOpenError extends Error {
  constructor(readonly path: string, readonly reason: string, options?: { cause?: unknown }) {
    super(`${path}: ${reason}`, options);
    this.name = 'DatabaseOpenError';
  }
}

/**
 * Creates the folder and any missing parents one level at a time. mkdirSync's own `recursive` never
 * returns on some paths (`/proc/x` spins at full CPU on Node 20), so it is not used.
 */
function ensureFolder(folder: string, file: string): void {
  const missing: string[] = [];
  let at = folder;
  while (!existsSync(at)) {
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  if (existsSync(at) && !statSync(at).isDirectory()) throw new DatabaseOpenError(file, `${at} is a file, not a folder`);
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new DatabaseOpenError(file, `cannot create the folder ${folder} (${dir === folder ? code : `${code} at ${dir}`})`, { cause: err });
    }
  }
}

const SQLITE_REASONS: Readonly<Record<string, string>> = {
  SQLITE_CANTOPEN: 'cannot open or create the file there (a folder, or no write access?)',
  SQLITE_NOTADB: 'the file is not a SQLite database',
  SQLITE_CORRUPT: 'the database file is damaged',
  SQLITE_READONLY: 'the file is read-only',
  SQLITE_PERM: 'no permission to open the file',
  SQLITE_IOERR: 'the file cannot be read or written (I/O error)',
  SQLITE_FULL: 'the disk is full',
};

function sqliteReason(err: unknown): string {
  const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : '';
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_CANTOPEN_ISDIR) read as their primary code.
  const primary = code.split('_').slice(0, 2).join('_');
  if (Object.hasOwn(SQLITE_REASONS, primary)) return `${SQLITE_REASONS[primary]} (${code})`;
  return err instanceof Error ? err.message.split('\n')[0]!.slice(0, 120) : String(err);
}

export function openDatabase(path: string): Database {
  if (path !== ':memory:' && !path.startsWith('file:')) ensureFolder(dirname(path), path);
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = new BetterSqlite3(path);
    return configure(sqlite);
  } catch (err) {
    sqlite?.close();
    throw new DatabaseOpenError(path, sqliteReason(err), { cause: err });
  }
}

function configure(sqlite: BetterSqlite3.Database): Database {
  // Only takes effect on a new, empty file (an existing database keeps its page size). 8 KB pages hold
  // the full-text index's 4 KB segment leaves and the wide paper rows with less overflow than 4 KB pages.
  sqlite.pragma('page_size = 8192');
  sqlite.pragma('journal_mode = WAL');
  // Another process (a CLI call beside the running bot) waits for the lock instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // SQLite's default page cache is 2 MB; bulk ingest and search touch pages all over a large file, and
  // more than 16 MB speeds them little. The long-running bot lowers it again (BOT_CACHE_KIB, start.ts).
  sqlite.pragma('cache_size = -16384');
  sqlite.pragma('temp_store = MEMORY');
  // Checkpoint every 4,096 pages of WAL (32 MB) instead of 1,000: bulk ingest rewrites fewer pages.
  sqlite.pragma('wal_autocheckpoint = 4096');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return { db, sqlite, close: () => sqlite.close() };
}

/**
 * Opens the SQLite file (creating its folder), sets WAL and a busy timeout, and applies every
 * migration in drizzle/ so a fresh checkout and an old database both come up current.
 * @module
 */
import { mkdirSync } from 'node:fs';
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

export function openDatabase(path: string): Database {
  if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  // Only takes effect on a new, empty file (an existing database keeps its page size). 8 KB pages hold
  // the full-text index's 4 KB segment leaves and the wide paper rows with less overflow: bulk ingest
  // measured 5-8% faster and the file 8% smaller than with the default 4 KB.
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

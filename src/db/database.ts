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
  sqlite.pragma('journal_mode = WAL');
  // Another process (a CLI call beside the running bot) waits for the lock instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // SQLite's default page cache is 2 MB; votes and the search index touch pages all over a large file.
  // 16 MB is the middle ground: more speeds bulk ingest little and grows a long-running bot's memory.
  sqlite.pragma('cache_size = -16384');
  sqlite.pragma('temp_store = MEMORY');
  // Checkpoint every 16 MB of WAL instead of 4 MB: bulk ingest rewrites fewer pages.
  sqlite.pragma('wal_autocheckpoint = 4096');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return { db, sqlite, close: () => sqlite.close() };
}

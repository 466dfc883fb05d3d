/**
 * The database opened read-only, for the verbs that look but change nothing (doctor, health, backup):
 * no folder created, no migration applied, no file created when there is none.
 * @module
 */
import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { NotFoundError } from '../errors.js';

export function openReadOnly(path: string): BetterSqlite3.Database {
  if (path === ':memory:' || !existsSync(path)) throw new NotFoundError(`No database at ${path}: paperboy start creates it (check DATABASE_PATH).`);
  const sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  // The running bot may hold the write lock for a moment; wait for it as the bot's own connections do.
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

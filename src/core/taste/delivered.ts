/**
 * The papers each channel has had, kept in memory and brought up to date from the ledger's newest rows
 * only: /foryou asks on every call, and reading a busy channel's whole history each time costs more
 * than the ranking itself.
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../../db/database.js';
import type { ChannelTarget } from '../subscriptions/store.js';

const CHANNELS_KEPT = 1_000;

export class DeliveredPapers {
  private readonly channels = new Map<string, { ids: Set<string>; through: number }>();
  private readonly newest: BetterSqlite3.Statement<[], number | null>;
  private readonly all: BetterSqlite3.Statement<[string, string, string], string>;
  private readonly since: BetterSqlite3.Statement<[number, string, string, string], { id: number; paperId: string }>;

  constructor(database: Database) {
    this.newest = database.sqlite.prepare<[], number | null>('SELECT max(id) FROM posts').pluck();
    // What the ledger's deliveredPaperIds gives (papers any digest of the channel planned), read without a
    // row object for each of a busy channel's tens of thousands (the Set drops repeats).
    this.all = database.sqlite.prepare<[string, string, string], string>(`SELECT paper_id FROM posts WHERE platform = ? AND workspace = ? AND channel = ?
                                                                           AND kind = 'paper' AND paper_id IS NOT NULL`).pluck();
    // The unary plus keeps SQLite on the rowid range (new rows only) instead of the channel's index (all its rows).
    this.since = database.sqlite.prepare(`SELECT id, paper_id AS paperId FROM posts WHERE id > ? AND +platform = ? AND +workspace = ? AND +channel = ?
                                          AND kind = 'paper' AND paper_id IS NOT NULL`);
  }

  of(target: ChannelTarget): ReadonlySet<string> {
    const key = `${target.platform}\u0000${target.workspace}\u0000${target.channel}`;
    let entry = this.channels.get(key);
    if (!entry) {
      const through = this.newest.get() ?? 0;
      entry = { ids: new Set(this.all.all(target.platform, target.workspace, target.channel)), through };
      if (this.channels.size >= CHANNELS_KEPT) this.channels.delete(this.channels.keys().next().value!);
      this.channels.set(key, entry);
    }
    for (const row of this.since.all(entry.through, target.platform, target.workspace, target.channel)) {
      entry.ids.add(row.paperId);
      entry.through = Math.max(entry.through, row.id);
    }
    return entry.ids;
  }
}

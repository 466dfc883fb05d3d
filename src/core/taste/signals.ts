/**
 * What a scope's votes say about the papers delivered there: a vote is a positive, a "not for me"
 * reaction a strong negative, and a paper left without either for the grace period a weak negative.
 * Read from the ledger (what was delivered) and the reactions on those very messages, so a scope only
 * ever sees its own channels' votes, and a removed reaction is gone from the next fit.
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../../db/database.js';
import type { TasteScope } from './scope.js';

export type SignalLabel = 'up' | 'down' | 'weak';

export interface Signal {
  paperId: string;
  label: SignalLabel;
  /** When the paper was last delivered in the scope. */
  deliveredAt: number;
}

/** How long a delivered paper waits for a vote before its silence counts as a weak "no". */
export const WEAK_NEGATIVE_GRACE_MS = 2 * 86_400_000;

interface PostRow { paperId: string; messageId: string; deliveredAt: number }

export class SignalReader {
  private readonly byChannel: BetterSqlite3.Statement<[string, string, string, number], PostRow>;
  private readonly byWorkspace: BetterSqlite3.Statement<[string, string, number], PostRow>;
  private readonly ups: BetterSqlite3.Statement<[string, string], [string, number]>;
  private readonly downs: BetterSqlite3.Statement<[string, string], [string, number]>;

  constructor(database: Database) {
    const columns = 'SELECT paper_id AS paperId, message_id AS messageId, posted_at AS deliveredAt FROM posts';
    const where = `kind = 'paper' AND state = 'posted' AND paper_id IS NOT NULL AND posted_at > ?`;
    this.byChannel = database.sqlite.prepare(`${columns} WHERE platform = ? AND workspace = ? AND channel = ? AND ${where}`);
    this.byWorkspace = database.sqlite.prepare(`${columns} WHERE platform = ? AND workspace = ? AND ${where}`);
    // People behind the reactions on each of the workspace's messages, read along the primary keys'
    // (platform, workspace, message) prefix: one range each, where a lookup per delivered paper costs a probe each.
    const people = (table: string) => database.sqlite
      .prepare<[string, string], [string, number]>(`SELECT message_id, count(DISTINCT user_id) FROM ${table} WHERE platform = ? AND workspace = ? GROUP BY message_id`)
      .raw();
    this.ups = people('reactions');
    this.downs = people('down_votes');
  }

  /** The scope's signals from papers delivered after `since`, newest first; papers still in their grace period are left out. */
  read(scope: TasteScope, since: number, now: number): Signal[] {
    const posts = scope.channel !== undefined
      ? this.byChannel.all(scope.platform, scope.workspace, scope.channel, since)
      : this.byWorkspace.all(scope.platform, scope.workspace, since);
    const ups = new Map(this.ups.all(scope.platform, scope.workspace));
    const downs = new Map(this.downs.all(scope.platform, scope.workspace));
    // A paper delivered twice in the scope (two channels of a workspace) is one example: its votes add up.
    const papers = new Map<string, { ups: number; downs: number; deliveredAt: number }>();
    for (const post of posts) {
      const paper = papers.get(post.paperId) ?? { ups: 0, downs: 0, deliveredAt: 0 };
      paper.ups += ups.get(post.messageId) ?? 0;
      paper.downs += downs.get(post.messageId) ?? 0;
      paper.deliveredAt = Math.max(paper.deliveredAt, post.deliveredAt);
      papers.set(post.paperId, paper);
    }
    const signals: Signal[] = [];
    for (const [paperId, paper] of papers) {
      const label: SignalLabel | undefined = paper.ups > 0 || paper.downs > 0
        ? (paper.ups >= paper.downs ? 'up' : 'down')
        : paper.deliveredAt <= now - WEAK_NEGATIVE_GRACE_MS ? 'weak' : undefined;
      if (label) signals.push({ paperId, label, deliveredAt: paper.deliveredAt });
    }
    return signals.sort((a, b) => b.deliveredAt - a.deliveredAt);
  }
}

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

interface Row { paperId: string; deliveredAt: number; ups: number; downs: number }

const SELECT = `SELECT p.paper_id AS paperId, max(p.posted_at) AS deliveredAt,
    max((SELECT count(*) FROM reactions r WHERE r.platform = p.platform AND r.workspace = p.workspace AND r.message_id = p.message_id)) AS ups,
    max((SELECT count(*) FROM down_votes d WHERE d.platform = p.platform AND d.workspace = p.workspace AND d.message_id = p.message_id)) AS downs
  FROM posts p`;

export class SignalReader {
  private readonly byChannel: BetterSqlite3.Statement<[string, string, string, number], Row>;
  private readonly byWorkspace: BetterSqlite3.Statement<[string, string, number], Row>;

  constructor(database: Database) {
    const where = `p.kind = 'paper' AND p.state = 'posted' AND p.paper_id IS NOT NULL AND p.posted_at > ?`;
    this.byChannel = database.sqlite.prepare(`${SELECT} WHERE p.platform = ? AND p.workspace = ? AND p.channel = ? AND ${where} GROUP BY p.paper_id`);
    this.byWorkspace = database.sqlite.prepare(`${SELECT} WHERE p.platform = ? AND p.workspace = ? AND ${where} GROUP BY p.paper_id`);
  }

  /** The scope's signals from papers delivered after `since`, newest first; papers still in their grace period are left out. */
  read(scope: TasteScope, since: number, now: number): Signal[] {
    const rows = scope.channel !== undefined
      ? this.byChannel.all(scope.platform, scope.workspace, scope.channel, since)
      : this.byWorkspace.all(scope.platform, scope.workspace, since);
    const signals: Signal[] = [];
    for (const row of rows) {
      const label: SignalLabel | undefined = row.ups > 0 || row.downs > 0
        ? (row.ups >= row.downs ? 'up' : 'down')
        : row.deliveredAt <= now - WEAK_NEGATIVE_GRACE_MS ? 'weak' : undefined;
      if (label) signals.push({ paperId: row.paperId, label, deliveredAt: row.deliveredAt });
    }
    return signals.sort((a, b) => b.deliveredAt - a.deliveredAt);
  }
}

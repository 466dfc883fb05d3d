/**
 * Reactions as votes. A vote emoji on a paper message (never the header) is stored per
 * (message, user, emoji); a paper's votes in a scope are the distinct users behind such reactions.
 * Tallies are kept in step on every event, so leaderboards read a handful of rows.
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../../db/database.js';
import type { ReactionEvent } from '../chat-port.js';
import type { DigestLedger, PaperMessage } from '../digest/ledger.js';
import type { ChannelTarget } from '../subscriptions/store.js';

export type VoteOutcome = 'counted' | 'removed' | 'ignored';
export type TopPeriod = 'day' | 'week' | 'month' | 'all';
export type TopScope = 'channel' | 'workspace' | 'global';

export const TOP_PERIODS = ['day', 'week', 'month', 'all'] as const satisfies readonly TopPeriod[];
export const TOP_SCOPES = ['channel', 'workspace', 'global'] as const satisfies readonly TopScope[];

const DAY_MS = 86_400_000;
/**
 * Most events written in one transaction. Queued events live until written, so a batch must not outlive
 * two young-generation collections, or its events are copied into the old generation as garbage.
 */
const MAX_BATCH = 500;
const PERIOD_MS: Record<TopPeriod, number> = { day: DAY_MS, week: 7 * DAY_MS, month: 30 * DAY_MS, all: Number.POSITIVE_INFINITY };

/** 👍🏽 and 👍 are one vote emoji; so are ⬆️ and ⬆ (with and without the emoji presentation selector). */
export function normalizeEmoji(emoji: string): string {
  return emoji.replace(/[\uFE0E\uFE0F]|\u{1F3FB}|\u{1F3FC}|\u{1F3FD}|\u{1F3FE}|\u{1F3FF}/gu, '');
}

/** The key tallies are kept under: `g`, `w:<platform>:<workspace>`, `c:<platform>:<workspace>:<channel>`. */
export function scopeKey(scope: TopScope, target: ChannelTarget): string {
  if (scope === 'global') return 'g';
  if (scope === 'workspace') return `w:${target.platform}:${target.workspace}`;
  return `c:${target.platform}:${target.workspace}:${target.channel}`;
}

export interface TopQuery {
  period: TopPeriod;
  scope: TopScope;
  target: ChannelTarget;
  limit?: number;
}

export interface TopEntry {
  paperId: string;
  votes: number;
}

/**
 * A queued event. A class, not an object literal: V8 moves literals allocated at a site whose objects
 * mostly survive a young-generation collection (a queue's do) straight into the old generation, and
 * these, with the events they hold, then stay there as garbage until the next full collection.
 */
class Pending {
  constructor(
    readonly event: ReactionEvent,
    readonly resolve: (outcome: VoteOutcome) => void,
    readonly reject: (err: unknown) => void,
  ) {}
}

export class VoteService {
  private readonly emojiCache = new Map<string, Set<string>>();
  private readonly downEmojiCache = new Map<string, Set<string>>();
  private readonly listeners = new Set<(target: ChannelTarget) => void>();
  private queue: Pending[] = [];
  private readonly stmt: Record<
    'addReaction' | 'removeReaction' | 'newVoter' | 'moreRefs' | 'dropVoter' | 'deleteVoter' | 'tallyUp' | 'tallyDown' | 'tally' | 'top' | 'votesOnMessage' | 'addDown' | 'removeDown',
    BetterSqlite3.Statement
  >;
  private readonly apply: (event: ReactionEvent, message: PaperMessage, emoji: string) => VoteOutcome;

  constructor(
    private readonly database: Database,
    private readonly ledger: DigestLedger,
    /** The vote emojis of the channel a paper was delivered to. */
    private readonly voteEmojis: (target: ChannelTarget) => readonly string[],
    private readonly now: () => number = Date.now,
    /** The "not for me" emojis of a channel: stored apart, for the taste model only, never as votes. */
    private readonly downEmojis: (target: ChannelTarget) => readonly string[] = () => [],
  ) {
    const db = database.sqlite;
    this.stmt = {
      addReaction: db.prepare(`INSERT OR IGNORE INTO reactions (platform, workspace, channel, message_id, user_id, emoji, paper_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      removeReaction: db.prepare(`DELETE FROM reactions WHERE platform = ? AND workspace = ? AND message_id = ? AND user_id = ? AND emoji = ?`),
      newVoter: db.prepare(`INSERT OR IGNORE INTO voters (scope, paper_id, user, refs) VALUES (?, ?, ?, 1)`),
      moreRefs: db.prepare(`UPDATE voters SET refs = refs + 1 WHERE scope = ? AND paper_id = ? AND user = ?`),
      dropVoter: db.prepare(`UPDATE voters SET refs = refs - 1 WHERE scope = ? AND paper_id = ? AND user = ? RETURNING refs`).pluck(),
      deleteVoter: db.prepare(`DELETE FROM voters WHERE scope = ? AND paper_id = ? AND user = ?`),
      tallyUp: db.prepare(`INSERT INTO vote_tallies (scope, paper_id, votes, posted_at) VALUES (?, ?, 1, ?)
                           ON CONFLICT DO UPDATE SET votes = votes + 1, posted_at = min(posted_at, excluded.posted_at)`),
      tallyDown: db.prepare(`UPDATE vote_tallies SET votes = votes - 1 WHERE scope = ? AND paper_id = ?`),
      tally: db.prepare(`SELECT votes FROM vote_tallies WHERE scope = ? AND paper_id = ?`).pluck(),
      top: db.prepare(`SELECT paper_id AS paperId, votes FROM vote_tallies WHERE scope = ? AND posted_at >= ? AND votes > 0
                       ORDER BY votes DESC, posted_at DESC LIMIT ?`),
      // Does the user still have a vote reaction on this message? (a range of the primary key)
      votesOnMessage: db.prepare(`SELECT count(*) FROM reactions WHERE platform = ? AND workspace = ? AND message_id = ? AND user_id = ?`).pluck(),
      addDown: db.prepare(`INSERT OR IGNORE INTO down_votes (platform, workspace, channel, message_id, user_id, emoji, paper_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      removeDown: db.prepare(`DELETE FROM down_votes WHERE platform = ? AND workspace = ? AND message_id = ? AND user_id = ? AND emoji = ?`),
    };
    this.apply = (event, message, emoji) => {
      const user = `${event.platform}:${event.user}`;
      const scopes = [scopeKey('global', message), scopeKey('workspace', message)];
      const channelScope = scopeKey('channel', message);
      const onMessage = () => this.stmt.votesOnMessage.get(event.platform, message.workspace, event.messageId, event.user) as number;
      if (event.added) {
        const added = this.stmt.addReaction.run(event.platform, message.workspace, event.channel, event.messageId, event.user, emoji, message.paperId, this.now());
        if (added.changes === 0) return 'ignored';
        if (onMessage() === 1) this.stmt.tallyUp.run(channelScope, message.paperId, message.postedAt);
        for (const scope of scopes) {
          if (this.stmt.newVoter.run(scope, message.paperId, user).changes === 1) this.stmt.tallyUp.run(scope, message.paperId, message.postedAt);
          else this.stmt.moreRefs.run(scope, message.paperId, user);
        }
        return 'counted';
      }
      const removed = this.stmt.removeReaction.run(event.platform, message.workspace, event.messageId, event.user, emoji);
      if (removed.changes === 0) return 'ignored';
      if (onMessage() === 0) this.stmt.tallyDown.run(channelScope, message.paperId);
      for (const scope of scopes) {
        if (this.stmt.dropVoter.get(scope, message.paperId, user) === 0) {
          this.stmt.deleteVoter.run(scope, message.paperId, user);
          this.stmt.tallyDown.run(scope, message.paperId);
        }
      }
      return 'removed';
    };
  }

  /**
   * Feeds one reaction event in. Bots, other emojis and messages that are not paper posts are ignored.
   * Events arriving together are written in one transaction: SQLite writes whole pages per commit, so a
   * burst of reactions costs a few commits instead of one each.
   */
  react(event: ReactionEvent): Promise<VoteOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push(new Pending(event, resolve, reject));
      if (this.queue.length === 1) setImmediate(() => this.flush());
      else if (this.queue.length >= MAX_BATCH) this.flush();
    });
  }

  /**
   * Writes every queued event in one transaction (no savepoint per event: that alone cost a third of
   * the time). A failure rolls the whole batch back and rejects every event of it: none half-applied.
   */
  private flush(): void {
    const batch = this.queue.splice(0);
    if (batch.length === 0) return;
    let outcomes: VoteOutcome[];
    try {
      outcomes = this.database.sqlite.transaction(() => batch.map((item) => this.decide(item.event)))();
    } catch (err) {
      for (const item of batch) item.reject(err);
      return;
    }
    batch.forEach((item, i) => item.resolve(outcomes[i]!));
  }

  private decide(event: ReactionEvent): VoteOutcome {
    if (event.userIsBot) return 'ignored';
    const message = this.ledger.paperMessage(event.platform, event.workspace, event.messageId);
    if (!message) return 'ignored';
    const emoji = normalizeEmoji(event.emoji);
    // A removal needs no emoji check: only vote reactions were stored, whatever the emojis are now.
    let outcome: VoteOutcome;
    if (event.added && !this.emojisOf(message).has(emoji)) outcome = this.downVote(event, message, emoji);
    else {
      outcome = this.apply(event, message, emoji);
      if (outcome === 'ignored' && !event.added) outcome = this.downVote(event, message, emoji);
    }
    if (outcome !== 'ignored') for (const listener of this.listeners) listener(message);
    return outcome;
  }

  /** A "not for me" reaction added or removed; 'ignored' when the emoji is neither. */
  private downVote(event: ReactionEvent, message: PaperMessage, emoji: string): VoteOutcome {
    if (event.added) {
      if (!this.emojisOf(message, this.downEmojiCache, this.downEmojis).has(emoji)) return 'ignored';
      const added = this.stmt.addDown.run(event.platform, message.workspace, message.channel, event.messageId, event.user, emoji, message.paperId, this.now());
      return added.changes > 0 ? 'counted' : 'ignored';
    }
    return this.stmt.removeDown.run(event.platform, message.workspace, event.messageId, event.user, emoji).changes > 0 ? 'removed' : 'ignored';
  }

  /** Calls `listener` with the channel a paper was delivered to whenever a reaction there changed what its votes say. */
  onChange(listener: (target: ChannelTarget) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Distinct users in the workspace who voted for the paper. */
  teamVotes(paperId: string, target: Pick<ChannelTarget, 'platform' | 'workspace'>): number {
    return (this.stmt.tally.get(`w:${target.platform}:${target.workspace}`, paperId) as number | undefined) ?? 0;
  }

  /** Distinct users anywhere who voted for the paper. */
  globalVotes(paperId: string): number {
    return (this.stmt.tally.get('g', paperId) as number | undefined) ?? 0;
  }

  /** The most-voted papers delivered within the period, in a scope. */
  top(options: TopQuery): TopEntry[] {
    const span = PERIOD_MS[options.period];
    const since = Number.isFinite(span) ? this.now() - span : 0;
    return this.stmt.top.all(scopeKey(options.scope, options.target), since, options.limit ?? 10) as TopEntry[];
  }

  /** Votes per author over the workspace's voted papers: the digest's tie-breaker. */
  authorVotes(target: Pick<ChannelTarget, 'platform' | 'workspace'>): Map<string, number> {
    const rows = this.database.sqlite
      .prepare(`SELECT a.value AS author, sum(t.votes) AS votes FROM vote_tallies t JOIN papers p ON p.id = t.paper_id, json_each(p.authors) a
                WHERE t.scope = ? AND t.votes > 0 GROUP BY a.value`)
      .all(`w:${target.platform}:${target.workspace}`) as { author: string; votes: number }[];
    return new Map(rows.map((r) => [r.author, r.votes]));
  }

  /** Forget cached vote emojis (a subscription changed). */
  invalidate(): void {
    this.emojiCache.clear();
    this.downEmojiCache.clear();
  }

  private emojisOf(target: ChannelTarget, cache = this.emojiCache, source = this.voteEmojis): Set<string> {
    const key = `${target.platform}\u0000${target.workspace}\u0000${target.channel}`;
    let emojis = cache.get(key);
    if (!emojis) {
      emojis = new Set(source(target).map(normalizeEmoji));
      if (cache.size > 10_000) cache.clear();
      cache.set(key, emojis);
    }
    return emojis;
  }
}

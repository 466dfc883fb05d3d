/**
 * The delivery ledger: every step of a digest (header, thread, each paper) is planned as a row with a
 * stable idempotency key before anything is posted, and marked posted, with the platform's message
 * id, before the next step starts. A second run reads the plan back and does only what is missing.
 * @module
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { posts } from '../../db/schema.js';
import type { IdempotencyKey, Place } from '../chat-port.js';
import type { ChannelTarget } from '../subscriptions/store.js';

export type DigestKind = 'daily' | 'roundup';
export type StepKind = 'header' | 'thread' | 'paper' | 'notice';

/** One delivery: a kind of digest, for a channel, for a date (a day, or a week for roundups). */
export interface DeliveryRef extends ChannelTarget {
  digest: DigestKind;
  date: string;
}

export interface LedgerStep {
  key: IdempotencyKey;
  kind: StepKind;
  paperId: string | null;
  position: number | null;
  state: 'pending' | 'posted';
  messageId: string | null;
  /** Where the message was posted (for a thread step: where its replies go). */
  place: Place | null;
}

/** What a posted paper message is, for the vote path. */
export interface PaperMessage extends ChannelTarget {
  paperId: string;
  postedAt: number;
}

export function stepKey(ref: DeliveryRef, kind: StepKind, paperId?: string): IdempotencyKey {
  return [ref.digest, ref.platform, ref.workspace, ref.channel, ref.date, kind, paperId].filter(Boolean).join('/');
}

export class DigestLedger {
  private readonly byMessage;

  constructor(private readonly database: Database, private readonly now: () => number = Date.now) {
    this.byMessage = database.sqlite.prepare<[string, string, string], PaperMessage>(
      `SELECT platform, workspace, channel, paper_id AS paperId, posted_at AS postedAt FROM posts
       WHERE platform = ? AND message_id = ? AND workspace = ? AND kind = 'paper' AND state = 'posted' LIMIT 1`,
    );
  }

  steps(ref: DeliveryRef): LedgerStep[] {
    return this.database.db
      .select()
      .from(posts)
      .where(and(eq(posts.platform, ref.platform), eq(posts.workspace, ref.workspace), eq(posts.channel, ref.channel), eq(posts.digest, ref.digest), eq(posts.digestDate, ref.date)))
      .orderBy(asc(posts.id))
      .all()
      .map((row) => ({
        key: row.key,
        kind: row.kind as StepKind,
        paperId: row.paperId,
        position: row.position,
        state: row.state,
        messageId: row.messageId,
        place: row.container ? (JSON.parse(row.container) as Place) : null,
      }));
  }

  /** Records the whole plan, in order, in one transaction. Steps already planned are left as they are. */
  plan(ref: DeliveryRef, steps: { kind: StepKind; paperId?: string }[]): void {
    this.database.sqlite.transaction(() => {
      steps.forEach((step, position) => {
        this.database.db
          .insert(posts)
          .values({
            key: stepKey(ref, step.kind, step.paperId),
            platform: ref.platform, workspace: ref.workspace, channel: ref.channel,
            digest: ref.digest, digestDate: ref.date, kind: step.kind,
            paperId: step.paperId ?? null, position, createdAt: this.now(),
          })
          .onConflictDoNothing()
          .run();
      });
    })();
  }

  markPosted(key: IdempotencyKey, messageId: string, place: Place): void {
    this.database.db
      .update(posts)
      .set({ state: 'posted', messageId, container: JSON.stringify(place), postedAt: this.now() })
      .where(eq(posts.key, key))
      .run();
  }

  /**
   * The paper a posted message is about, if the message is one of our paper posts. Message ids are
   * only unique within a workspace on some platforms (Slack's ts), so the workspace is part of the key.
   */
  paperMessage(platform: string, workspace: string, messageId: string): PaperMessage | undefined {
    return this.byMessage.get(platform, messageId, workspace);
  }

  /** Papers already delivered to a channel by earlier digests (so an arXiv listing brings only new ones). */
  deliveredPaperIds(target: ChannelTarget): Set<string> {
    const rows = this.database.db
      .selectDistinct({ paperId: posts.paperId })
      .from(posts)
      .where(and(eq(posts.platform, target.platform), eq(posts.workspace, target.workspace), eq(posts.channel, target.channel), eq(posts.kind, 'paper')))
      .all();
    return new Set(rows.flatMap((r) => (r.paperId ? [r.paperId] : [])));
  }
}

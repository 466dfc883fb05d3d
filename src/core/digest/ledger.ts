/**
 * The delivery ledger: every step of a digest (header, thread, each paper) is planned as a row with a
 * stable idempotency key before anything is posted, and marked posted, with the platform's message
 * id, before the next step starts. A second run reads the plan back and does only what is missing.
 * @module
 */
import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { digestRuns, posts } from '../../db/schema.js';
import type { IdempotencyKey, Place } from '../chat-port.js';
import type { ChannelTarget } from '../subscriptions/store.js';

/** 'scheduled': a run of the channel's schedule (date: its local date); 'daily': a /digest of one list date. */
export type DigestKind = 'scheduled' | 'daily' | 'roundup';
/** 'overflow': a paper counted in the header beyond size=, never posted; planned as done. */
export type StepKind = 'header' | 'thread' | 'paper' | 'notice' | 'overflow';

/** What a run covers, recorded with its plan. */
export interface RunInfo {
  source: 'hf' | 'arxiv' | 'arxiv-fallback';
  /** Candidates entered the source in (windowFrom, windowTo], ms; absent for a /digest of one date. */
  windowFrom?: number;
  windowTo?: number;
  /** The Hugging Face dates of the papers in it. */
  dates: string[];
}

export interface RunRecord extends RunInfo {
  ref: DeliveryRef;
  createdAt: number;
}

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

  /**
   * Records the whole plan, in order, in one transaction, with what the run covers when given. Steps
   * already planned are left as they are. Overflow steps are done as soon as planned.
   */
  plan(ref: DeliveryRef, steps: { kind: StepKind; paperId?: string }[], run?: RunInfo): void {
    this.database.sqlite.transaction(() => {
      if (run) {
        this.database.db
          .insert(digestRuns)
          .values({
            platform: ref.platform, workspace: ref.workspace, channel: ref.channel, digest: ref.digest, digestDate: ref.date,
            source: run.source, windowFrom: run.windowFrom ?? null, windowTo: run.windowTo ?? null, dates: run.dates, createdAt: this.now(),
          })
          // A /digest planned again after its empty notice covers what it posts now.
          .onConflictDoUpdate({
            target: [digestRuns.platform, digestRuns.workspace, digestRuns.channel, digestRuns.digest, digestRuns.digestDate],
            set: { source: run.source, dates: run.dates },
          })
          .run();
      }
      steps.forEach((step, position) => {
        this.database.db
          .insert(posts)
          .values({
            key: stepKey(ref, step.kind, step.paperId),
            platform: ref.platform, workspace: ref.workspace, channel: ref.channel,
            digest: ref.digest, digestDate: ref.date, kind: step.kind,
            paperId: step.paperId ?? null, position, createdAt: this.now(),
            ...(step.kind === 'overflow' ? { state: 'posted' as const, postedAt: this.now() } : {}),
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

  /**
   * Papers an earlier digest of the channel planned (posted, or pending in a run that will be resumed),
   * and with `withOverflow` also those counted in a header beyond size=.
   */
  deliveredPaperIds(target: ChannelTarget, withOverflow = false): Set<string> {
    const rows = this.database.db
      .selectDistinct({ paperId: posts.paperId })
      .from(posts)
      .where(and(this.inChannel(target), inArray(posts.kind, withOverflow ? ['paper', 'overflow'] : ['paper'])))
      .all();
    return new Set(rows.flatMap((r) => (r.paperId ? [r.paperId] : [])));
  }

  /** What a run covers, when it was planned with its run record. */
  run(ref: DeliveryRef): RunRecord | undefined {
    const row = this.database.db.select().from(digestRuns)
      .where(and(eq(digestRuns.platform, ref.platform), eq(digestRuns.workspace, ref.workspace), eq(digestRuns.channel, ref.channel), eq(digestRuns.digest, ref.digest), eq(digestRuns.digestDate, ref.date)))
      .get();
    return row ? toRunRecord(row) : undefined;
  }

  /** The channel's scheduled runs with a window: the first one (where its papers start) and the latest. */
  scheduledBounds(target: ChannelTarget): { first: RunRecord; latest: RunRecord } | undefined {
    const where = and(eq(digestRuns.platform, target.platform), eq(digestRuns.workspace, target.workspace), eq(digestRuns.channel, target.channel),
      eq(digestRuns.digest, 'scheduled'), isNotNull(digestRuns.windowTo));
    const first = this.database.db.select().from(digestRuns).where(where).orderBy(asc(digestRuns.windowFrom)).limit(1).get();
    const latest = this.database.db.select().from(digestRuns).where(where).orderBy(desc(digestRuns.windowTo)).limit(1).get();
    return first && latest ? { first: toRunRecord(first), latest: toRunRecord(latest) } : undefined;
  }

  /** Whether a delivery ran to the end: planned (a run with nothing to post counts) and every step posted. */
  isComplete(ref: DeliveryRef): boolean {
    const steps = this.steps(ref);
    if (steps.length === 0) return this.run(ref) !== undefined;
    return steps.every((s) => s.state === 'posted');
  }

  /** Daily deliveries of the channel (scheduled or /digest) with a step still pending, oldest first. */
  unfinished(target: ChannelTarget): DeliveryRef[] {
    const rows = this.database.db
      .selectDistinct({ digest: posts.digest, date: posts.digestDate })
      .from(posts)
      .where(and(this.inChannel(target), eq(posts.state, 'pending'), inArray(posts.digest, ['scheduled', 'daily'])))
      .all();
    return rows.map((r) => ({ ...target, digest: r.digest as DigestKind, date: r.date })).sort((a, b) => a.date.localeCompare(b.date));
  }

  private inChannel(target: ChannelTarget) {
    return and(eq(posts.platform, target.platform), eq(posts.workspace, target.workspace), eq(posts.channel, target.channel));
  }
}

function toRunRecord(row: typeof digestRuns.$inferSelect): RunRecord {
  const ref: DeliveryRef = { platform: row.platform, workspace: row.workspace, channel: row.channel, digest: row.digest as DigestKind, date: row.digestDate };
  const record: RunRecord = { ref, source: row.source as RunInfo['source'], dates: row.dates, createdAt: row.createdAt };
  if (row.windowFrom !== null) record.windowFrom = row.windowFrom;
  if (row.windowTo !== null) record.windowTo = row.windowTo;
  return record;
}

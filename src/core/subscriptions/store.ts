/**
 * Subscriptions per (platform, workspace, channel): stored settings, changes, failures, and a
 * change signal the scheduler listens to.
 * @module
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { subscriptions } from '../../db/schema.js';
import { DEFAULT_SETTINGS, type DigestSettings } from './settings.js';
import type { SummaryStyle } from '../texts/service.js';

export interface ChannelTarget {
  platform: string;
  workspace: string;
  channel: string;
}

export type Subscription = ChannelTarget & DigestSettings & {
  id: number;
  active: boolean;
  /** Why the last run failed (a missing permission); null when it went well. */
  failure: string | null;
  /** When the channel first subscribed (ms): scheduled runs before it are not caught up. */
  createdAt: number;
};

type Row = typeof subscriptions.$inferSelect;

function fromRow(row: Row): Subscription {
  return {
    id: row.id, platform: row.platform, workspace: row.workspace, channel: row.channel,
    time: row.time, timezone: row.timezone, weekdays: row.weekdays, source: row.source, categories: row.categories,
    size: row.size, minUpvotes: row.minUpvotes, includeKeywords: row.includeKeywords, excludeKeywords: row.excludeKeywords,
    language: row.language, style: row.style as SummaryStyle, voteEmojis: row.voteEmojis, roundup: row.roundup,
    notifyEmpty: row.notifyEmpty, active: row.active, failure: row.failure, createdAt: row.createdAt,
  };
}

/** The settings a channel gets: its subscription's, or the defaults. */
export function settingsFor(subscription: Subscription | undefined): DigestSettings {
  return subscription ?? { ...DEFAULT_SETTINGS };
}

export class SubscriptionStore {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly database: Database, private readonly now: () => number = Date.now) {}

  find(target: ChannelTarget): Subscription | undefined {
    const row = this.database.db.select().from(subscriptions).where(this.match(target)).get();
    return row ? fromRow(row) : undefined;
  }

  /** Every subscription that should receive digests. */
  active(): Subscription[] {
    return this.database.db.select().from(subscriptions).where(eq(subscriptions.active, true)).all().map(fromRow);
  }

  /** Subscribes the channel (again) with these changes over its current or default settings. */
  save(target: ChannelTarget, changes: Partial<DigestSettings>): Subscription {
    const current = this.find(target);
    const now = this.now();
    if (current) {
      this.database.db.update(subscriptions).set({ ...changes, active: true, updatedAt: now }).where(this.match(target)).run();
    } else {
      this.database.db.insert(subscriptions).values({ ...target, ...DEFAULT_SETTINGS, ...changes, createdAt: now, updatedAt: now }).run();
    }
    this.changed();
    return this.find(target)!;
  }

  /** Stops the channel's digests; its settings stay, so votes on old posts keep their emojis. */
  unsubscribe(target: ChannelTarget): boolean {
    const result = this.database.db.update(subscriptions).set({ active: false, updatedAt: this.now() }).where(and(this.match(target), eq(subscriptions.active, true))).run();
    if (result.changes > 0) this.changed();
    return result.changes > 0;
  }

  /** Records why delivery failed (or that it works again, with null). */
  setFailure(target: ChannelTarget, failure: string | null): void {
    this.database.db.update(subscriptions).set({ failure }).where(this.match(target)).run();
  }

  /** Calls `listener` whenever a subscription is added, changed or removed. Returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private match(target: ChannelTarget) {
    return and(eq(subscriptions.platform, target.platform), eq(subscriptions.workspace, target.workspace), eq(subscriptions.channel, target.channel));
  }
}

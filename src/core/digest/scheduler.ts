/**
 * Runs each subscription's digest on node-cron, in its own timezone: one task per subscription (and
 * one per weekly roundup), rebuilt when subscriptions change. Runs are delayed, never dropped: node-cron
 * skips a tick that fires more than a second late, so a sweep every minute (and at start-up) asks of each
 * subscription whether its latest scheduled run, if within the catch-up window, is in the ledger, and
 * runs it once if not. Runs never overlap; stop() lets the message in flight finish.
 * @module
 */
import cron, { type ScheduledTask, type TaskOptions } from 'node-cron';
import type { Logger } from '../../logger.js';
import type { ChatPort } from '../chat-port.js';
import type { DigestLedger } from './ledger.js';
import type { DigestService } from './delivery.js';
import type { RoundupService } from './roundup.js';
import { cronPattern, latestSlot, localParts, roundupPattern, type Slot } from './run-times.js';
import type { Subscription, SubscriptionStore } from '../subscriptions/store.js';

export interface SchedulerDeps {
  subscriptions: SubscriptionStore;
  digests: Pick<DigestService, 'deliverScheduled' | 'stop'>;
  roundups?: Pick<RoundupService, 'deliver'>;
  ledger: DigestLedger;
  /** The started adapters' ports, by platform. Subscriptions of other platforms wait. */
  ports: ReadonlyMap<string, ChatPort>;
  now?: () => number;
  /** Daily upkeep (merging the full-text index's segments), run at start and at 03:17 UTC. */
  maintenance?: () => void;
  /** How late a scheduled run may still start (default 6 hours); later, the next run brings its papers. */
  catchUpWindowMs?: number;
  logger?: Logger;
}

const SWEEP_EVERY_MS = 60_000;
/** A run that failed (platform or source down) is tried again this long after, within the window. */
const RETRY_AFTER_MS = 10 * 60_000;
export const DEFAULT_CATCH_UP_WINDOW_MS = 6 * 3_600_000;

export class Scheduler {
  private tasks: ScheduledTask[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  /** When each slot (channel and date) last started: a failed run is tried again after RETRY_AFTER_MS. */
  private readonly attempts = new Map<string, number>();
  private readonly runningChannels = new Set<string>();
  /** Slots known to be in the ledger as delivered (that never changes back), so a sweep asks the database less. */
  private readonly delivered = new Set<string>();
  /** The active subscriptions as of the last (re)load. */
  private active: Subscription[] = [];
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;
  #lastSweepAt: number | undefined;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Schedules every active subscription, runs what is due, and sweeps every minute from then on. */
  start(): void {
    this.stopped = false;
    this.schedule();
    if (this.deps.maintenance) this.upkeep(this.deps.maintenance);
    this.unsubscribe = this.deps.subscriptions.onChange(() => this.reload());
    this.sweep();
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    // The bot's adapters keep the process alive, not this timer.
    this.sweepTimer.unref();
  }

  /** Rebuilds the tasks from the stored subscriptions. */
  reload(): void {
    if (this.stopped) return;
    this.clearTasks();
    this.schedule();
  }

  /** Stops the tasks, then waits for runs in flight to finish their current message. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.clearTasks();
    await this.deps.digests.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  /** The scheduled digest and roundup tasks. */
  get taskCount(): number {
    return this.tasks.filter((t) => t.name !== 'maintenance').length;
  }

  /** When the last catch-up sweep ran (ms), for a health check; undefined before start(). */
  get lastSweepAt(): number | undefined {
    return this.#lastSweepAt;
  }

  /** Resolves when the runs in flight have finished. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Runs the subscription's latest scheduled digest (today's, at its time). Exposed for tests. */
  runDigest(subscription: Subscription): Promise<unknown> {
    const now = this.now();
    return this.runSlot(subscription, latestSlot(subscription, now) ?? { date: localParts(now, subscription.timezone).date, at: now });
  }

  /** Starts every subscription's latest scheduled run that is due, within the window, and not delivered. */
  sweep(): void {
    if (this.stopped) return;
    const now = this.now();
    this.#lastSweepAt = now;
    const window = this.deps.catchUpWindowMs ?? DEFAULT_CATCH_UP_WINDOW_MS;
    for (const subscription of this.active) {
      const slot = latestSlot(subscription, now);
      if (!slot || slot.at < subscription.createdAt || now - slot.at > window) continue;
      const attempt = this.attempts.get(`${channelKey(subscription)}/${slot.date}`);
      if (attempt !== undefined && now - attempt < RETRY_AFTER_MS) continue;
      if (this.isDelivered(subscription, slot)) continue;
      if (now - slot.at > SWEEP_EVERY_MS) {
        this.deps.logger?.info({ channel: subscription.channel, date: slot.date, lateMinutes: Math.round((now - slot.at) / 60_000) }, 'starting a scheduled digest late');
      }
      void this.runSlot(subscription, slot);
    }
  }

  private runSlot(subscription: Subscription, slot: Slot): Promise<unknown> {
    const port = this.deps.ports.get(subscription.platform);
    if (!port || this.stopped) return Promise.resolve();
    // One run per channel at a time: a later slot waits for the one in flight (then its own sweep).
    const channel = channelKey(subscription);
    if (this.runningChannels.has(channel) || this.isDelivered(subscription, slot)) return Promise.resolve();
    this.attempts.set(`${channel}/${slot.date}`, this.now());
    this.forgetOldAttempts();
    this.runningChannels.add(channel);
    const run = this.deps.digests.deliverScheduled(port, subscription, slot.date, subscription).finally(() => this.runningChannels.delete(channel));
    return this.track(run);
  }

  private isDelivered(subscription: Subscription, slot: Slot): boolean {
    const key = `${channelKey(subscription)}/${slot.date}`;
    if (this.delivered.has(key)) return true;
    if (!this.deps.ledger.isComplete({ ...subscription, digest: 'scheduled', date: slot.date })) return false;
    if (this.delivered.size > 10_000) this.delivered.clear();
    this.delivered.add(key);
    return true;
  }

  private schedule(): void {
    const { maintenance } = this.deps;
    this.active = this.deps.subscriptions.active().filter((s) => this.deps.ports.has(s.platform));
    if (maintenance) this.tasks.push(cron.schedule('17 3 * * *', () => this.upkeep(maintenance), this.taskOptions('UTC', 'maintenance')));
    for (const subscription of this.active) {
      const name = `digest ${subscription.platform}/${subscription.workspace}/${subscription.channel}`;
      this.tasks.push(cron.schedule(cronPattern(subscription.time, subscription.weekdays), () => this.runDigest(subscription), this.taskOptions(subscription.timezone, name)));
      if (subscription.roundup && this.deps.roundups) {
        const roundups = this.deps.roundups;
        this.tasks.push(
          cron.schedule(roundupPattern(subscription.roundup), () => this.runRoundup(roundups, subscription), this.taskOptions(subscription.timezone, `roundup ${name.slice(7)}`)),
        );
      }
    }
    for (const task of this.tasks) {
      // A tick node-cron skips as late is no lost run: the sweep starts it within a minute.
      task.on('execution:missed', (context) => this.deps.logger?.warn({ task: task.name, due: context.date.toISOString() }, 'scheduled tick fired late; the catch-up sweep runs it'));
    }
  }

  private taskOptions(timezone: string, name: string): TaskOptions {
    return { timezone, name, noOverlap: true, logger: cronLogger(this.deps.logger) };
  }

  private runRoundup(roundups: Pick<RoundupService, 'deliver'>, subscription: Subscription): Promise<unknown> {
    const port = this.deps.ports.get(subscription.platform);
    if (!port || this.stopped) return Promise.resolve();
    return this.track(roundups.deliver(port, subscription, subscription));
  }

  private upkeep(maintenance: () => void): void {
    try {
      maintenance();
    } catch (err) {
      this.deps.logger?.error({ err }, 'maintenance failed');
    }
  }

  private track(run: Promise<unknown>): Promise<unknown> {
    const guarded = run.catch((err: unknown) => this.deps.logger?.error({ err }, 'scheduled run failed'));
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
    return guarded;
  }

  private forgetOldAttempts(): void {
    const horizon = this.now() - 2 * (this.deps.catchUpWindowMs ?? DEFAULT_CATCH_UP_WINDOW_MS) - RETRY_AFTER_MS;
    for (const [key, at] of this.attempts) if (at < horizon) this.attempts.delete(key);
  }

  private clearTasks(): void {
    for (const task of this.tasks) void task.destroy();
    this.tasks = [];
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

function channelKey(subscription: Subscription): string {
  return `${subscription.platform}/${subscription.workspace}/${subscription.channel}`;
}

/** node-cron's own messages (a run blocked by overlap, a task error) through our logger. */
function cronLogger(logger: Logger | undefined): NonNullable<TaskOptions['logger']> {
  const at = (level: 'info' | 'warn' | 'error' | 'debug') => (message: string | Error, err?: Error) => {
    if (!logger) return;
    if (message instanceof Error) logger[level]({ err: message }, 'node-cron');
    else logger[level](err ? { err } : {}, `node-cron: ${message}`);
  };
  return { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

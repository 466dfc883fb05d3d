/**
 * Runs each subscription's digest on node-cron, in its own timezone: one task per subscription (and
 * one per weekly roundup), rebuilt when subscriptions change. At start-up a run missed today within
 * the catch-up window runs once. Runs never overlap; stop() lets the message in flight finish.
 * @module
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../../logger.js';
import type { ChatPort } from '../chat-port.js';
import type { DigestLedger } from './ledger.js';
import type { DigestService } from './delivery.js';
import type { RoundupService } from './roundup.js';
import { cronPattern, localParts, missedBy, roundupPattern } from './run-times.js';
import type { Subscription, SubscriptionStore } from '../subscriptions/store.js';

export interface SchedulerDeps {
  subscriptions: SubscriptionStore;
  digests: Pick<DigestService, 'deliver' | 'stop'>;
  roundups?: Pick<RoundupService, 'deliver'>;
  ledger: DigestLedger;
  /** The started adapters' ports, by platform. Subscriptions of other platforms wait. */
  ports: ReadonlyMap<string, ChatPort>;
  now?: () => number;
  /** Daily upkeep (dropping aged papers from the recent search index), run at start and at 03:17 UTC. */
  maintenance?: () => void;
  /** How late a missed run may still be caught up at start-up (default 6 hours). */
  catchUpWindowMs?: number;
  logger?: Logger;
}

export class Scheduler {
  private tasks: ScheduledTask[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Schedules every active subscription and catches up today's missed runs. */
  start(): void {
    this.stopped = false;
    this.schedule();
    if (this.deps.maintenance) this.upkeep(this.deps.maintenance);
    this.unsubscribe = this.deps.subscriptions.onChange(() => this.reload());
    this.catchUp();
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
    this.clearTasks();
    await this.deps.digests.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  /** The scheduled digest and roundup tasks. */
  get taskCount(): number {
    return this.tasks.filter((t) => t.name !== 'maintenance').length;
  }

  /** Runs the digest of one subscription for its local today. Exposed for catch-up and tests. */
  runDigest(subscription: Subscription): Promise<unknown> {
    const port = this.deps.ports.get(subscription.platform);
    if (!port || this.stopped) return Promise.resolve();
    const { date } = localParts(this.now(), subscription.timezone);
    return this.track(this.deps.digests.deliver(port, subscription, date, subscription));
  }

  private schedule(): void {
    const { maintenance } = this.deps;
    if (maintenance) this.tasks.push(cron.schedule('17 3 * * *', () => this.upkeep(maintenance), { timezone: 'UTC', name: 'maintenance', noOverlap: true }));
    for (const subscription of this.deps.subscriptions.active()) {
      if (!this.deps.ports.has(subscription.platform)) continue;
      const name = `digest ${subscription.platform}/${subscription.workspace}/${subscription.channel}`;
      this.tasks.push(
        cron.schedule(cronPattern(subscription.time, subscription.weekdays), () => this.runDigest(subscription), {
          timezone: subscription.timezone, name, noOverlap: true,
        }),
      );
      if (subscription.roundup && this.deps.roundups) {
        const roundups = this.deps.roundups;
        this.tasks.push(
          cron.schedule(roundupPattern(subscription.roundup), () => this.runRoundup(roundups, subscription), {
            timezone: subscription.timezone, name: `roundup ${name.slice(7)}`, noOverlap: true,
          }),
        );
      }
    }
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

  private catchUp(): void {
    const window = this.deps.catchUpWindowMs ?? 6 * 3_600_000;
    for (const subscription of this.deps.subscriptions.active()) {
      if (!this.deps.ports.has(subscription.platform)) continue;
      const missed = missedBy(subscription, this.now());
      if (!missed || missed.agoMs > window) continue;
      const steps = this.deps.ledger.steps({ ...subscription, digest: 'daily', date: missed.date });
      if (steps.length > 0 && steps.every((s) => s.state === 'posted')) continue;
      this.deps.logger?.info({ channel: subscription.channel, date: missed.date }, 'catching up a missed digest');
      void this.runDigest(subscription);
    }
  }

  private track(run: Promise<unknown>): Promise<unknown> {
    const guarded = run.catch((err: unknown) => this.deps.logger?.error({ err }, 'scheduled run failed'));
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
    return guarded;
  }

  private clearTasks(): void {
    for (const task of this.tasks) void task.destroy();
    this.tasks = [];
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

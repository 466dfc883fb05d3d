import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DigestLedger } from '../../../src/core/digest/ledger.js';
import type { DigestOutcome } from '../../../src/core/digest/delivery.js';
import { Scheduler } from '../../../src/core/digest/scheduler.js';
import type { DigestSettings } from '../../../src/core/subscriptions/settings.js';
import { SubscriptionStore, type ChannelTarget } from '../../../src/core/subscriptions/store.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { RecordingChat } from '../../helpers/recording-chat.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const target: ChannelTarget = { platform: 'test', workspace: 'w', channel: 'c' };

interface Run { at: string; date: string }

function setup(settings: Partial<DigestSettings>, options: { hang?: boolean; failures?: number; catchUpWindowMs?: number } = {}) {
  const database: Database = openDatabase(':memory:');
  const subscriptions = new SubscriptionStore(database);
  const ledger = new DigestLedger(database);
  subscriptions.save(target, settings);
  const runs: Run[] = [];
  const logs: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(JSON.parse(chunk.toString()) as { level: number; msg: string }), done()) }));
  let release: () => void = () => undefined;
  let failures = options.failures ?? 0;
  const digests = {
    async deliverScheduled(_chat: unknown, t: ChannelTarget, date: string): Promise<DigestOutcome> {
      runs.push({ at: new Date().toISOString(), date });
      if (failures-- > 0) throw new Error('Hugging Face is down');
      const ref = { ...t, digest: 'scheduled' as const, date };
      ledger.plan(ref, [{ kind: 'notice' }], { source: 'hf', dates: [] });
      if (options.hang) await new Promise<void>((resolve) => (release = resolve));
      const [step] = ledger.steps(ref);
      ledger.markPosted(step!.key, 'm', { workspace: t.workspace, channel: t.channel });
      return { status: 'delivered', posted: 1, papers: 0 };
    },
    stop: async () => undefined,
  };
  const make = () => new Scheduler({ subscriptions, digests, ledger, ports: new Map([['test', new RecordingChat()]]), catchUpWindowMs: options.catchUpWindowMs, logger });
  return { database, subscriptions, runs, logs, make, release: () => release() };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('scheduler', () => {
  it('fires at 09:00 Asia/Seoul on weekdays only', async () => {
    vi.useFakeTimers({ now: new Date('2024-03-09T12:00:00Z') }); // Saturday
    const { runs, make } = setup({ time: '09:00', timezone: 'Asia/Seoul', weekdays: [1, 2, 3, 4, 5] });
    const scheduler = make();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(9 * DAY);
    await scheduler.stop();
    expect(runs.map((r) => r.date)).toEqual(['2024-03-11', '2024-03-12', '2024-03-13', '2024-03-14', '2024-03-15', '2024-03-18']);
    expect(runs.every((r) => r.at.endsWith('T00:00:00.000Z'))).toBe(true); // 09:00 KST
  });

  it('fires once a day across the DST change in America/New_York', async () => {
    vi.useFakeTimers({ now: new Date('2024-03-07T00:00:00Z') });
    const { runs, make } = setup({ time: '09:00', timezone: 'America/New_York', weekdays: [1, 2, 3, 4, 5, 6, 7] });
    const scheduler = make();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(6 * DAY);
    await scheduler.stop();
    expect(runs.map((r) => r.date)).toEqual(['2024-03-07', '2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11', '2024-03-12']);
    expect(runs.map((r) => r.at.slice(11, 16))).toEqual(['14:00', '14:00', '14:00', '13:00', '13:00', '13:00']);
  });

  it('runs a tick the process stalled across within a minute, once, and logs it through our logger', async () => {
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    const stderr = vi.spyOn(process.stderr, 'write');
    vi.useFakeTimers({ now: new Date('2024-03-11T07:00:00Z') });
    const { runs, logs, make } = setup({ time: '09:00', timezone: 'Europe/Berlin' }); // 08:00 UTC in March
    const scheduler = make();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(HOUR - 2_000); // 08:59:58 Berlin
    vi.setSystemTime(Date.now() + 5_000); // a 5-second stall: node-cron's tick comes 5 s late and is skipped
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(runs).toHaveLength(1);
    expect(Date.parse(runs[0]!.at) - Date.parse('2024-03-11T08:00:00Z')).toBeLessThanOrEqual(60_000);
    expect(runs[0]!.date).toBe('2024-03-11');
    await vi.advanceTimersByTimeAsync(HOUR);
    await scheduler.stop();
    expect(runs).toHaveLength(1);
    expect(logs.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual(['scheduled tick fired late; the catch-up sweep runs it']);
    expect(scheduler.lastSweepAt).toBeGreaterThan(Date.parse('2024-03-11T09:00:00Z'));
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
  });

  it('catches up a missed run once after a restart 2 hours late, and not 8 hours late', async () => {
    vi.useFakeTimers({ now: new Date('2024-03-08T12:00:00Z') }); // subscribed on Friday
    const { runs, make } = setup({ time: '09:00', timezone: 'UTC' }, {});
    vi.setSystemTime(new Date('2024-03-11T11:00:00Z')); // Monday, 2 hours after 09:00 UTC
    const first = make();
    first.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await first.stop();
    const second = make(); // another restart: the run is in the ledger now
    second.start();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await second.stop();
    expect(runs.map((r) => r.date)).toEqual(['2024-03-11']);
    expect(runs[0]!.at).toBe('2024-03-11T11:00:00.000Z');

    vi.setSystemTime(new Date('2024-03-12T17:00:00Z')); // 8 hours late: outside the 6-hour window
    const third = make();
    third.start();
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(DAY); // the next scheduled run happens as usual
    await third.stop();
    expect(runs.map((r) => r.at)).toEqual(['2024-03-11T11:00:00.000Z', '2024-03-13T09:00:00.000Z']);
  });

  it('takes the window from its settings', async () => {
    vi.useFakeTimers({ now: new Date('2024-03-08T12:00:00Z') });
    const { runs, make } = setup({ time: '09:00', timezone: 'UTC' }, { catchUpWindowMs: HOUR });
    vi.setSystemTime(new Date('2024-03-11T10:30:00Z')); // 90 minutes late, past a 1-hour window
    const late = make();
    late.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await late.stop();
    expect(runs).toHaveLength(0);
    vi.setSystemTime(new Date('2024-03-12T09:50:00Z')); // 50 minutes late: within it
    const inTime = make();
    inTime.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await inTime.stop();
    expect(runs.map((r) => r.date)).toEqual(['2024-03-12']);
  });

  it('does not run a time that passed before the channel subscribed', async () => {
    vi.useFakeTimers({ now: new Date('2024-03-11T09:30:00Z') });
    const { runs, make } = setup({ time: '09:00', timezone: 'UTC' });
    const scheduler = make();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(HOUR);
    await scheduler.stop();
    expect(runs).toHaveLength(0);
  });

  it('tries a failed run again 10 minutes later, until it is delivered', async () => {
    vi.useFakeTimers({ now: new Date('2024-03-11T08:00:00Z') });
    const { runs, make } = setup({ time: '09:00', timezone: 'UTC' }, { failures: 2 });
    const scheduler = make();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    await scheduler.stop();
    expect(runs.map((r) => r.at.slice(11, 16))).toEqual(['09:00', '09:10', '09:20']);
  });

  it('never overlaps runs, and reloads when a subscription changes', async () => {
    vi.useFakeTimers({ now: new Date('2024-03-11T00:00:00Z') });
    const { runs, make, release, subscriptions } = setup({ time: '09:00', timezone: 'UTC', weekdays: [1, 2, 3, 4, 5, 6, 7] }, { hang: true });
    const scheduler = make();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2 * DAY); // the first run hangs through the second day's time
    expect(runs).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(DAY);
    expect(runs.map((r) => r.date)).toEqual(['2024-03-11', '2024-03-13']);
    release();

    subscriptions.save(target, { time: '07:00' });
    expect(scheduler.taskCount).toBe(1);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(runs.at(-1)?.at.slice(11, 16)).toBe('07:00');
    release();
    await scheduler.stop();
  });
});

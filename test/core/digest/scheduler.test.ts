import { afterEach, describe, expect, it, vi } from 'vitest';
import { DigestLedger } from '../../../src/core/digest/ledger.js';
import type { DigestOutcome } from '../../../src/core/digest/delivery.js';
import { Scheduler } from '../../../src/core/digest/scheduler.js';
import type { DigestSettings } from '../../../src/core/subscriptions/settings.js';
import { SubscriptionStore, type ChannelTarget } from '../../../src/core/subscriptions/store.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { RecordingChat } from '../../helpers/recording-chat.js';

const DAY = 86_400_000;
const target: ChannelTarget = { platform: 'test', workspace: 'w', channel: 'c' };

interface Run { at: string; date: string }

function setup(settings: Partial<DigestSettings>, options: { hang?: boolean; catchUpWindowMs?: number } = {}) {
  const database: Database = openDatabase(':memory:');
  const subscriptions = new SubscriptionStore(database);
  const ledger = new DigestLedger(database);
  subscriptions.save(target, settings);
  const runs: Run[] = [];
  let release: () => void = () => undefined;
  const digests = {
    async deliver(_chat: unknown, t: ChannelTarget, date: string): Promise<DigestOutcome> {
      runs.push({ at: new Date().toISOString(), date });
      ledger.plan({ ...t, digest: 'daily', date }, [{ kind: 'notice' }]);
      if (options.hang) await new Promise<void>((resolve) => (release = resolve));
      const [step] = ledger.steps({ ...t, digest: 'daily', date });
      ledger.markPosted(step!.key, 'm', { workspace: t.workspace, channel: t.channel });
      return { status: 'delivered', posted: 1, papers: 0 };
    },
    stop: async () => undefined,
  };
  const make = () => new Scheduler({ subscriptions, digests, ledger, ports: new Map([['test', new RecordingChat()]]), catchUpWindowMs: options.catchUpWindowMs });
  return { database, subscriptions, runs, make, release: () => release() };
}

afterEach(() => {
  vi.useRealTimers();
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

  it('catches up a run missed today once, and not outside the window', async () => {
    vi.useFakeTimers({ now: new Date('2024-03-11T10:30:00Z') }); // Monday, 90 minutes late
    const { runs, make } = setup({ time: '09:00', timezone: 'UTC' });
    const first = make();
    first.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await first.stop();
    const second = make(); // a restart: today's run is in the ledger now
    second.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await second.stop();
    expect(runs.map((r) => r.date)).toEqual(['2024-03-11']);

    vi.setSystemTime(new Date('2024-03-12T16:00:00Z')); // 7 hours late: outside the 6-hour window
    const third = make();
    third.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await third.stop();
    expect(runs).toHaveLength(1);
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
    expect(runs).toHaveLength(2);
    release();

    subscriptions.save(target, { time: '07:00' });
    expect(scheduler.taskCount).toBe(1);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(runs.at(-1)?.at.slice(11, 16)).toBe('07:00');
    release();
    await scheduler.stop();
  });
});

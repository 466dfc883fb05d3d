/**
 * A week of scheduled digests on a faked clock, through the real Scheduler (node-cron on fake timers),
 * DigestService, Hugging Face client and a fake Hugging Face whose lists fill up during the UTC day.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Scheduler } from '../../../src/core/digest/scheduler.js';
import type { ChannelTarget } from '../../../src/core/subscriptions/store.js';
import { readJsonFixture } from '../../fakes/fixtures.js';
import { startFakeHf, type FakeHf } from '../../fakes/hf-server.js';
import { RecordingChat } from '../../helpers/recording-chat.js';
import { createTestCore, testHttp, type TestCore } from '../../helpers/test-core.js';
import { Core } from '../../../src/core/core.js';
import { HfClient } from '../../../src/sources/hf.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** When papers entered Daily Papers (UTC), by list date. */
const ENTERED: Record<string, string[]> = {
  '2024-03-08': ['10:00'], // before every channel's first digest could reach
  '2024-03-10': ['05:00'], // Sunday, before anyone subscribed: the first digests bring it
  '2024-03-11': ['01:30', '01:45', '03:55', '09:30', '15:00', '23:40'],
  '2024-03-12': ['00:10', '01:31', '07:59', '12:00', '20:30'],
  // 2024-03-13: a holiday, no list at all
  '2024-03-14': ['01:31', '01:50', '08:30', '16:10', '19:59', '20:01'],
  '2024-03-15': ['01:40', '06:00', '15:30', '23:59'],
  '2024-03-16': ['10:00', '18:00'], // Saturday
  '2024-03-18': ['01:31', '02:00', '14:00'],
  '2024-03-19': ['01:31', '09:00', '17:00'],
};

/** UTC offsets in March 2024 (after the US change on the 10th, before New Zealand's on 7 April). */
const ZONES = { 'Asia/Seoul': 9, 'Pacific/Auckland': 13, 'Europe/Berlin': 1, 'America/Los_Angeles': -7 } as const;
type Zone = keyof typeof ZONES;

interface Entry { id: string; date: string; at: number }

function buildEntries(): { entries: Entry[]; daily: Record<string, unknown[]> } {
  const base = readJsonFixture('hf/daily-2024-03-14.json') as { publishedAt: string; paper: { id: string; title: string; upvotes: number; submittedOnDailyAt?: string } }[];
  const entries: Entry[] = [];
  const daily: Record<string, unknown[]> = {};
  let n = 0;
  for (const [date, times] of Object.entries(ENTERED)) {
    daily[date] = times.map((time) => {
      const entry = structuredClone(base[n % base.length]!);
      const at = `${date}T${time}:00.000Z`;
      entry.paper.id = `2403.${String(10000 + n).padStart(5, '0')}`;
      entry.paper.title = `${entry.paper.title} (${date} ${time})`;
      entry.paper.submittedOnDailyAt = at;
      entry.publishedAt = at;
      entries.push({ id: entry.paper.id, date, at: Date.parse(at) });
      n++;
      return entry;
    });
  }
  return { entries, daily };
}

/** 09:00 local, Monday to Friday, as UTC instants, for the local dates given. */
function slotsOf(zone: Zone, dates: string[]): { date: string; at: number }[] {
  return dates
    .filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() % 6 !== 0)
    .map((date) => ({ date, at: Date.parse(`${date}T09:00:00Z`) - ZONES[zone] * HOUR }));
}

const DATES = ['2024-03-11', '2024-03-12', '2024-03-13', '2024-03-14', '2024-03-15', '2024-03-16', '2024-03-17', '2024-03-18', '2024-03-19', '2024-03-20'];
const channelOf = (zone: Zone) => zone.replace('/', '-');

let hf: FakeHf | undefined;
let t: TestCore | undefined;
afterEach(async () => {
  vi.useRealTimers();
  t?.close();
  await hf?.close();
});

interface Week {
  chat: RecordingChat;
  t: TestCore;
  targets: Map<Zone, ChannelTarget>;
  scheduler: Scheduler;
  /** Moves the fake clock on to `until`, letting every run started on the way finish. */
  runUntil(until: string): Promise<void>;
  restart(): void;
  stop(): Promise<void>;
}

async function startWeek(zones: Zone[], start: string): Promise<{ week: Week; entries: Entry[] }> {
  const { entries, daily } = buildEntries();
  vi.useFakeTimers({ now: new Date(start), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  hf = await startFakeHf({ daily, noFixture: true, fillUp: () => Date.now() });
  t = createTestCore({ hfUrl: hf.url });
  const chat = new RecordingChat();
  const targets = new Map<Zone, ChannelTarget>();
  for (const zone of zones) {
    const target = { platform: 'test', workspace: 'w', channel: channelOf(zone) };
    t.core.subscriptions.save(target, { time: '09:00', timezone: zone, weekdays: [1, 2, 3, 4, 5], size: 50 });
    targets.set(zone, target);
  }
  const database = t.database;
  const hfUrl = hf.url;
  // A restart is a new process: a new Core (and DigestService) on the same database.
  const make = (core: Core) => new Scheduler({ subscriptions: core.subscriptions, digests: core.digests, ledger: core.ledger, ports: new Map([['test', chat]]) });
  const week: Week = {
    chat, t, targets, scheduler: make(t.core),
    async runUntil(until) {
      const end = Date.parse(until);
      while (Date.now() < end) {
        await vi.advanceTimersByTimeAsync(Math.min(5 * MINUTE, end - Date.now()));
        await this.scheduler.settled();
      }
    },
    restart() {
      this.scheduler = make(new Core({ database, hf: new HfClient({ apiUrl: hfUrl, http: testHttp }) }));
      this.scheduler.start();
    },
    async stop() {
      await this.scheduler.stop();
    },
  };
  week.scheduler.start();
  return { week, entries };
}

/** Each posted paper of a channel, with the scheduled run (its local date) that posted it. */
function deliveries(week: Week, zone: Zone): { id: string; run: string }[] {
  const channel = channelOf(zone);
  return week.chat.posts
    .filter((p) => p.key.startsWith(`scheduled/test/w/${channel}/`) && p.key.includes('/paper/'))
    .map((p) => ({ id: p.key.split('/').pop()!, run: p.key.split('/')[4]! }));
}

/** Checks every entry reached the channel exactly once, in the first of `runs` at or after it entered. */
function expectExactlyOnce(week: Week, zone: Zone, entries: Entry[], runs: { date: string; at: number }[]): void {
  const got = deliveries(week, zone);
  expect(new Set(got.map((d) => d.id)).size, `${zone}: a paper twice`).toBe(got.length);
  const firstFrom = Math.floor(runs[0]!.at / 86_400_000) * 86_400_000 - 86_400_000;
  const expected = entries
    .filter((e) => e.at > firstFrom && e.at <= runs.at(-1)!.at)
    .map((e) => ({ id: e.id, run: runs.find((r) => r.at >= e.at)!.date }));
  expect(got.sort((a, b) => a.id.localeCompare(b.id)), zone).toEqual(expected.sort((a, b) => a.id.localeCompare(b.id)));
}

/** What a channel's team saw: one line per digest. */
function seen(week: Week, zone: Zone): string[] {
  const channel = channelOf(zone);
  return week.chat.posts
    .filter((p) => p.key.startsWith(`scheduled/test/w/${channel}/`) && !p.key.includes('/paper/'))
    .map((p) => `${p.key.split('/')[4]}: ${p.reply.kind === 'text' ? p.reply.text : ''}`);
}

describe('a week of scheduled digests', () => {
  it('brings every paper once to teams at 09:00 in Seoul, Auckland, Berlin and Los Angeles', { timeout: 120_000 }, async () => {
    const zones = Object.keys(ZONES) as Zone[];
    const { week, entries } = await startWeek(zones, '2024-03-10T12:00:00Z'); // subscribed on Sunday
    await week.runUntil('2024-03-19T23:00:00Z');
    await week.stop();
    for (const zone of zones) {
      const runs = slotsOf(zone, DATES).filter((s) => s.at <= Date.parse('2024-03-19T23:00:00Z'));
      expectExactlyOnce(week, zone, entries, runs);
      // Nothing on the weekend; the holiday's empty list (and Monday's lone Saturday papers) cause no trouble.
      expect(deliveries(week, zone).every((d) => ![6, 0].includes(new Date(`${d.run}T00:00:00Z`).getUTCDay()))).toBe(true);
      if (process.env.WEEK_REPORT) console.log(`${zone}\n  ${seen(week, zone).join('\n  ')}`);
    }
    // Seoul's digest at 09:00 (00:00 UTC) brings the previous UTC day, complete: Tuesday brings Monday's six.
    const seoul = deliveries(week, 'Asia/Seoul').filter((d) => d.run === '2024-03-12');
    expect(seoul).toHaveLength(6);
    expect(seen(week, 'Asia/Seoul')).toContain('2024-03-12: 📰 Daily Papers · Mon 11 Mar 2024 · 6 papers');
    // Monday brings what came since Friday's run, the header naming each list date.
    expect(seen(week, 'Europe/Berlin')).toContain('2024-03-18: 📰 Daily Papers · Fri 15, Sat 16 & Mon 18 Mar 2024 · 6 papers');
  });

  it('runs a digest late after a stall or a restart within 6 hours, and leaves it to the next one after that', { timeout: 120_000 }, async () => {
    const { week, entries } = await startWeek(['Europe/Berlin'], '2024-03-10T12:00:00Z');
    // Monday: the process stalls for 5 s across 09:00 (08:00 UTC): node-cron skips its tick.
    await week.runUntil('2024-03-11T07:59:58Z');
    vi.setSystemTime(Date.now() + 5_000);
    // Tuesday: down from 07:00 to 10:00 UTC, two hours past the run. Thursday: down until 16:00 UTC, eight hours past.
    await week.runUntil('2024-03-12T07:00:00Z');
    await week.stop();
    vi.setSystemTime(new Date('2024-03-12T10:00:00Z'));
    week.restart();
    await week.runUntil('2024-03-14T07:00:00Z');
    await week.stop();
    vi.setSystemTime(new Date('2024-03-14T16:00:00Z'));
    week.restart();
    await week.runUntil('2024-03-15T12:00:00Z');
    await week.stop();

    const runs = ['2024-03-11', '2024-03-12', '2024-03-13', '2024-03-14', '2024-03-15'].flatMap((date) => {
      const run = week.t.core.ledger.run({ ...week.targets.get('Europe/Berlin')!, digest: 'scheduled', date });
      return run?.windowTo !== undefined ? [{ date, at: run.windowTo }] : [];
    });
    expect(runs.map((r) => `${r.date} ${new Date(r.at).toISOString().slice(11, 16)}`)).toEqual([
      '2024-03-11 08:00', // seconds after the tick node-cron skipped
      '2024-03-12 10:00', // at the restart
      '2024-03-13 08:00',
      '2024-03-15 08:00', // no Thursday digest eight hours late: Friday's brings Thursday's papers
    ]);
    expectExactlyOnce(week, 'Europe/Berlin', entries, runs);
    expect(deliveries(week, 'Europe/Berlin').filter((d) => d.run === '2024-03-15')).toHaveLength(8);
  });
});

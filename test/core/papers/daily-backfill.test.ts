import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../../src/core/core.js';
import { backfillDays, daysOfRange, type BackfillProgress } from '../../../src/core/papers/daily-backfill.js';
import { openDatabase } from '../../../src/db/database.js';
import { BadInputError, UpstreamError } from '../../../src/errors.js';
import { HfClient } from '../../../src/sources/hf.js';
import { HfCallWindow } from '../../../src/sources/hf-limiter.js';
import { startFakeHf, type FakeHf } from '../../fakes/hf-server.js';
import { dailyList, testHttp } from '../../helpers/test-core.js';

const NOW = Date.parse('2024-04-10T12:00:00Z');
let hf: FakeHf;

/** A list of 3 papers of its own for each day of March 2024. */
function marchLists(): Record<string, unknown[]> {
  const lists: Record<string, unknown[]> = {};
  for (let d = 1; d <= 31; d++) {
    const date = `2024-03-${String(d).padStart(2, '0')}`;
    lists[date] = dailyList(12).slice(9).map((e, i) => {
      const entry = e as { paper: { id: string } };
      entry.paper.id = `2403.${String(d * 10 + i).padStart(5, '0')}`;
      return entry;
    });
  }
  return lists;
}

beforeAll(async () => {
  hf = await startFakeHf({ daily: marchLists() });
});
afterAll(() => hf.close());

function setup(callsPerWindow = 1000, now = () => NOW) {
  const clock = { t: 0, sleeps: [] as number[] };
  const limiter = new HfCallWindow(callsPerWindow, 300_000, { now: () => clock.t, sleep: async (ms) => void (clock.sleeps.push(ms), (clock.t += ms)) });
  const database = openDatabase(':memory:');
  const core = new Core({ database, hf: new HfClient({ apiUrl: hf.url, http: { ...testHttp, retries: 0 }, limiter }), now });
  const fetcher = { fetchDaily: (d: string) => core.dailyLists.fetch(d), isComplete: (d: string) => core.fetchedDays.isComplete(d) };
  return { core, database, fetcher, clock };
}

const dayRequests = () => hf.requests.filter((r) => r.path === '/api/daily_papers').map((r) => r.query.date);

describe('daysOfRange', () => {
  it('lists the days of a range up to today and refuses a backwards, future or huge one', () => {
    expect(daysOfRange('2024-02-28', '2024-03-01', NOW)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(daysOfRange('2024-04-09', '2024-12-31', NOW)).toEqual(['2024-04-09', '2024-04-10']);
    expect(() => daysOfRange('2024-03-02', '2024-03-01', NOW)).toThrow(BadInputError);
    expect(() => daysOfRange('2024-05-01', '2024-05-02', NOW)).toThrow(/future/);
    expect(() => daysOfRange('1990-01-01', '2024-01-01', NOW)).toThrow(/at most/);
  });
});

describe('backfillDays', () => {
  it('stores every day of the range with progress, paced by the call window', async () => {
    const { core, database, fetcher, clock } = setup(10); // a budget of 9 calls per 5 minutes
    hf.requests.length = 0;
    const seen: BackfillProgress[] = [];
    const result = await backfillDays(daysOfRange('2024-03-01', '2024-03-20', NOW), fetcher, (p) => seen.push(p));
    expect(result).toMatchObject({ days: 20, fetched: 20, skipped: 0, papers: 60, inserted: 60 });
    expect(seen.map((p) => p.done)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(seen.at(-1)).toMatchObject({ total: 20, papers: 60, date: '2024-03-20' });
    expect(core.papers.daily('2024-03-20').map((p) => p.id)).toEqual(['2403.00200', '2403.00201', '2403.00202']);
    // 20 calls with 9 per window: two waits of a full window.
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(600_000);
    expect(dayRequests()).toHaveLength(20);
    database.close();
  });

  it('resumes after an interruption: finished days are skipped, the rest fetched', async () => {
    const { database, fetcher } = setup();
    hf.requests.length = 0;
    const days = daysOfRange('2024-03-01', '2024-03-10', NOW);
    // The 5th call fails (no retries here): the run stops with the four days before it stored.
    let calls = 0;
    const flaky = { ...fetcher, fetchDaily: (d: string) => (++calls === 5 ? (hf.failNext(1, 503), fetcher.fetchDaily(d)) : fetcher.fetchDaily(d)) };
    await expect(backfillDays(days, flaky)).rejects.toBeInstanceOf(UpstreamError);
    expect(dayRequests()).toEqual(days.slice(0, 5));

    hf.requests.length = 0;
    const again = await backfillDays(days, fetcher);
    expect(again).toMatchObject({ fetched: 6, skipped: 4, papers: 18 });
    expect(dayRequests()).toEqual(days.slice(4));
    hf.requests.length = 0;
    expect(await backfillDays(days, fetcher)).toMatchObject({ fetched: 0, skipped: 10 });
    expect(dayRequests()).toEqual([]);
    database.close();
  });

  it('fetches today again (its list still fills up) but not a past day fetched after it ended', async () => {
    let now = Date.parse('2024-03-05T08:00:00Z');
    const { database, fetcher } = setup(1000, () => now);
    await backfillDays(daysOfRange('2024-03-04', '2024-03-05', now), fetcher);
    now = Date.parse('2024-03-05T20:00:00Z');
    expect(await backfillDays(daysOfRange('2024-03-04', '2024-03-05', now), fetcher)).toMatchObject({ fetched: 1, skipped: 1 });
    // After the day ended: fetched once more, and then it is complete.
    now = Date.parse('2024-03-06T01:00:00Z');
    expect(await backfillDays(daysOfRange('2024-03-04', '2024-03-05', now), fetcher)).toMatchObject({ fetched: 1, skipped: 1 });
    expect(await backfillDays(daysOfRange('2024-03-04', '2024-03-05', now), fetcher)).toMatchObject({ fetched: 0, skipped: 2 });
    database.close();
  });
});

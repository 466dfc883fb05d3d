import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Invoker } from '../../src/commands/command.js';
import { runCommand } from '../../src/commands/run.js';
import { plainText } from '../../src/core/render-plain.js';
import { parseDailyPapers } from '../../src/sources/hf.js';
import { startFakeArxiv, type FakeArxiv } from '../fakes/arxiv-server.js';
import { readJsonFixture } from '../fakes/fixtures.js';
import { startFakeHf, type FakeHf } from '../fakes/hf-server.js';
import { RecordingChat } from '../helpers/recording-chat.js';
import { createTestCore, dailyList, type TestCore } from '../helpers/test-core.js';

// Short enough to keep the tests quick; testHttp's own limits (2 s a try, one retry) would take 4 s.
const BUDGET_MS = 400;
const admin: Invoker = { platform: 'test', workspace: 'w', channel: 'c', user: 'u1', canManage: true };

let hf: FakeHf;
let arxiv: FakeArxiv;
let t: TestCore;

beforeEach(async () => {
  [hf, arxiv] = await Promise.all([startFakeHf({ daily: { '2024-03-15': dailyList(150) } }), startFakeArxiv()]);
  t = createTestCore({ hfUrl: hf.url, arxivUrl: `${arxiv.url}/api/query`, now: () => Date.parse('2024-03-15T12:00:00Z'), digestListBudgetMs: BUDGET_MS });
});
afterEach(async () => {
  t.close();
  await Promise.all([hf.close(), arxiv.close()]);
});

async function digest(text: string, chat = new RecordingChat()) {
  const started = performance.now();
  const reply = await runCommand({ name: 'digest', input: { text }, invoker: admin, chat }, { core: t.core });
  return { reply, text: plainText(reply), seconds: (performance.now() - started) / 1000, chat };
}

const storedRows = () => t.database.sqlite.prepare<[], { n: number }>('SELECT (SELECT count(*) FROM papers) + (SELECT count(*) FROM daily_papers) + (SELECT count(*) FROM fetched_days) + (SELECT count(*) FROM posts) AS n').get()!.n;

describe('/digest within its budget for the Hugging Face lists', () => {
  it('with Hugging Face hanging and nothing stored, says so within the budget and stores nothing', async () => {
    hf.hang();
    const { reply, text, seconds, chat } = await digest('2024-03-14');
    expect(reply).toMatchObject({ kind: 'text', ephemeral: true, error: 'upstream_unavailable' });
    expect(text).toMatch(/^Hugging Face is unavailable right now/);
    expect(seconds).toBeLessThan(1.5);
    expect(chat.posts).toHaveLength(0);
    expect(storedRows()).toBe(0);
  });

  it('without a date, says Hugging Face is unavailable rather than "no papers this week"', async () => {
    hf.hang();
    const { text, seconds } = await digest('');
    expect(text).toMatch(/^Hugging Face is unavailable right now/);
    expect(seconds).toBeLessThan(1.5);
    expect(storedRows()).toBe(0);
  });

  it('without a date, posts the stored list once the budget is spent, waiting for Hugging Face once, not twice', async () => {
    t.core.papers.saveDaily('2024-03-14', parseDailyPapers(readJsonFixture('hf/daily-2024-03-14.json'), '2024-03-14'));
    hf.hang();
    const { text, chat } = await digest('');
    expect(text).toMatch(/^Posted the papers of .*14 Mar 2024/);
    expect(chat.posts.length).toBeGreaterThan(0);
    // Today's list was asked for (and hung); the stored day was not asked again on a spent budget.
    expect(hf.requests.map((r) => r.query.date)).toEqual(['2024-03-15']);
  });

  it("falls back to arXiv's categories when the channel has some", async () => {
    await runCommand({ name: 'subscribe', input: { text: 'cats=cs.CL' }, invoker: admin }, { core: t.core });
    hf.hang();
    const { text, seconds, chat } = await digest('2024-03-14');
    expect(text).toMatch(/^Posted the papers of/);
    expect(seconds).toBeLessThan(2);
    expect(chat.posts.length).toBeGreaterThan(0);
    expect(arxiv.requests.some((r) => /cat%3Acs\.CL|cat:cs\.CL/.test(r.target))).toBe(true);
  });

  it('stores nothing of a list whose second page misses the budget', async () => {
    // A roomier budget, so the first page surely comes in time on a busy machine.
    t.close();
    t = createTestCore({ hfUrl: hf.url, now: () => Date.parse('2024-03-15T12:00:00Z'), digestListBudgetMs: 1500 });
    hf.setLatency(900);
    const { text, chat } = await digest('2024-03-15');
    expect(text).toMatch(/^Hugging Face is unavailable right now/);
    expect(hf.requests.map((r) => r.query.p)).toEqual(['0', '1']);
    expect(chat.posts).toHaveLength(0);
    expect(storedRows()).toBe(0);
  });

  it('with Hugging Face healthy, posts the list as before', async () => {
    const { text } = await digest('2024-03-14');
    expect(text).toBe('Posted the papers of Thu 14 Mar 2024: 9 papers.');
  });
});

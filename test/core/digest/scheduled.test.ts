/** Scheduled runs through the real DigestService, clients and fakes, on an injected clock. */
import { afterEach, describe, expect, it } from 'vitest';
import digestCommand from '../../../src/commands/digest.js';
import { DEFAULT_SETTINGS, type DigestSettings } from '../../../src/core/subscriptions/settings.js';
import { startFakeArxiv, type FakeArxiv } from '../../fakes/arxiv-server.js';
import { readJsonFixture } from '../../fakes/fixtures.js';
import { startFakeHf, type FakeHf } from '../../fakes/hf-server.js';
import { RecordingChat } from '../../helpers/recording-chat.js';
import { createTestCore, type TestCore } from '../../helpers/test-core.js';

const target = { platform: 'test', workspace: 'w', channel: 'c' };
const settings = (over: Partial<DigestSettings> = {}): DigestSettings => ({ ...DEFAULT_SETTINGS, ...over });

type FixtureEntry = { publishedAt: string; paper: { id: string; title: string; upvotes: number; submittedOnDailyAt?: string } };

function entry(id: string, at: string, upvotes: number): FixtureEntry {
  const base = structuredClone((readJsonFixture('hf/daily-2024-03-14.json') as FixtureEntry[])[0]!);
  base.paper.id = id;
  base.paper.title = `Paper ${id}`;
  base.paper.upvotes = upvotes;
  base.paper.submittedOnDailyAt = at;
  base.publishedAt = at;
  return base;
}

let clock = 0;
let t: TestCore | undefined;
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  t?.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fakeHf(daily: Record<string, unknown[]>): Promise<FakeHf> {
  const hf = await startFakeHf({ daily, noFixture: true, fillUp: () => clock });
  servers.push(hf);
  return hf;
}

async function fakeArxiv(options: Parameters<typeof startFakeArxiv>[0] = {}): Promise<FakeArxiv> {
  const arxiv = await startFakeArxiv(options);
  servers.push(arxiv);
  return arxiv;
}

const paperIds = (chat: RecordingChat, date?: string) =>
  chat.posts.filter((p) => p.key.includes('/paper/') && (!date || p.key.includes(`/${date}/`))).map((p) => p.key.split('/').pop());
const headers = (chat: RecordingChat) => chat.posts.filter((p) => p.key.endsWith('/header')).map((p) => (p.reply.kind === 'text' ? p.reply.text : ''));

describe('scheduled runs', () => {
  it('considers a paper below min= again while it is recent, then lets it age out', async () => {
    const late = entry('2403.20001', '2024-03-11T02:00:00.000Z', 2); // grows to 9 by Wednesday
    const old = entry('2403.20002', '2024-03-11T03:00:00.000Z', 1); // grows to 50, but only after 3 days
    const hf = await fakeHf({ '2024-03-11': [late, old] });
    t = createTestCore({ hfUrl: hf.url, now: () => clock });
    const chat = new RecordingChat();
    const run = (date: string) => {
      clock = Date.parse(`${date}T09:00:00Z`);
      return t!.core.digests.deliverScheduled(chat, target, date, settings({ minUpvotes: 5 }));
    };
    expect(await run('2024-03-11')).toMatchObject({ status: 'empty', posted: 0 });
    expect(await run('2024-03-12')).toMatchObject({ status: 'empty' });
    late.paper.upvotes = 9;
    expect(await run('2024-03-13')).toMatchObject({ status: 'delivered', papers: 1 });
    expect(paperIds(chat, '2024-03-13')).toEqual(['2403.20001']);
    old.paper.upvotes = 50;
    expect(await run('2024-03-14')).toMatchObject({ status: 'empty' }); // entered more than 3 days ago
    expect(await run('2024-03-14')).toMatchObject({ status: 'empty' }); // the same run again: still nothing
    expect(paperIds(chat)).toEqual(['2403.20001']);
  });

  it('caps the post at size=, says how many more there were, and never carries them into the next digest', async () => {
    const list = Array.from({ length: 7 }, (_, i) => entry(`2403.2010${i}`, `2024-03-11T0${i + 1}:00:00.000Z`, 100 - i));
    const hf = await fakeHf({ '2024-03-11': list });
    t = createTestCore({ hfUrl: hf.url, now: () => clock });
    const chat = new RecordingChat();
    clock = Date.parse('2024-03-12T09:00:00Z');
    await t.core.digests.deliverScheduled(chat, target, '2024-03-12', settings({ size: 3 }));
    expect(headers(chat)).toEqual(['📰 Daily Papers · Mon 11 Mar 2024 · 3 papers · 4 more at https://huggingface.co/papers/date/2024-03-11']);
    expect(paperIds(chat)).toEqual(['2403.20100', '2403.20101', '2403.20102']);
    clock = Date.parse('2024-03-13T09:00:00Z');
    expect(await t.core.digests.deliverScheduled(chat, target, '2024-03-13', settings({ size: 3 }))).toMatchObject({ status: 'empty' });
    expect(chat.posts).toHaveLength(4);
  });

  it('posts one notice when nothing is new, which blocks nothing: /digest of the day posts its papers once they come', async () => {
    const hf = await fakeHf({ '2024-03-14': [entry('2403.20201', '2024-03-14T12:00:00.000Z', 3), entry('2403.20202', '2024-03-14T13:00:00.000Z', 4)] });
    t = createTestCore({ hfUrl: hf.url, now: () => clock });
    const chat = new RecordingChat();
    const invoke = (date: string) => digestCommand.execute({ args: { date }, core: t!.core, invoker: { ...target, user: 'u', canManage: true }, commands: [], chat });
    clock = Date.parse('2024-03-14T09:00:00Z');
    await t.core.digests.deliverScheduled(chat, target, '2024-03-14', settings({ notifyEmpty: true }));
    expect(await invoke('2024-03-14')).toMatchObject({ text: expect.stringMatching(/^No papers for Thu 14 Mar 2024/) });
    expect(chat.posts.map((p) => (p.reply.kind === 'text' ? p.reply.text : ''))).toEqual(['📭 No new papers on Hugging Face Daily Papers since the last digest (Thu 14 Mar 2024).']);

    clock = Date.parse('2024-03-14T18:00:00Z');
    expect(await invoke('2024-03-14')).toMatchObject({ text: 'Posted the papers of Thu 14 Mar 2024: 2 papers.' });
    expect(await invoke('2024-03-14')).toMatchObject({ text: expect.stringContaining('already here (2)') });
    // The next scheduled digest does not post them again.
    clock = Date.parse('2024-03-15T09:00:00Z');
    await t.core.digests.deliverScheduled(chat, target, '2024-03-15', settings({ notifyEmpty: true }));
    expect(paperIds(chat).sort()).toEqual(['2403.20201', '2403.20202']);
  });

  it('delivers the rest of a list that has a malformed entry', async () => {
    const broken = entry('2403.20302', '2024-03-11T02:00:00.000Z', 9) as unknown as { paper: { title: string | null } };
    broken.paper.title = null;
    const hf = await fakeHf({ '2024-03-11': [entry('2403.20301', '2024-03-11T01:00:00.000Z', 8), broken, entry('2403.20303', '2024-03-11T03:00:00.000Z', 7)] });
    t = createTestCore({ hfUrl: hf.url, now: () => clock });
    const chat = new RecordingChat();
    clock = Date.parse('2024-03-12T09:00:00Z');
    expect(await t.core.digests.deliverScheduled(chat, target, '2024-03-12', settings())).toMatchObject({ status: 'delivered', papers: 2 });
    expect(paperIds(chat)).toEqual(['2403.20301', '2403.20303']);
  });

  it('refuses a /digest of a day still to come, in one line, posting nothing', async () => {
    const hf = await fakeHf({});
    t = createTestCore({ hfUrl: hf.url, now: () => Date.parse('2024-03-14T23:30:00Z') });
    const chat = new RecordingChat();
    const run = digestCommand.execute({ args: { date: '2024-03-15' }, core: t.core, invoker: { ...target, user: 'u', canManage: true }, commands: [], chat });
    await expect(run).rejects.toMatchObject({ code: 'bad_input', message: expect.stringMatching(/^2024-03-15 is still to come[^\n]*$/) });
    expect(chat.posts).toHaveLength(0);
    expect(hf.requests).toHaveLength(0);
  });

  it('with Hugging Face down and min=5, delivers arXiv\'s papers, saying so in the header', async () => {
    const hf = await fakeHf({});
    hf.failNext(1000, 503);
    const arxiv = await fakeArxiv();
    t = createTestCore({ hfUrl: hf.url, arxivUrl: `${arxiv.url}/api/query`, now: () => clock });
    const chat = new RecordingChat();
    clock = Date.parse('2024-03-14T09:00:00Z');
    const outcome = await t.core.digests.deliverScheduled(chat, target, '2024-03-14', settings({ minUpvotes: 5, categories: ['cs.CL'] }));
    expect(outcome).toMatchObject({ status: 'delivered', papers: 4 });
    expect(headers(chat)).toEqual(['📰 Daily Papers · Thu 14 Mar 2024 · 4 papers\nHugging Face could not be reached: these are the newest arXiv papers in cs.CL.']);
    expect(paperIds(chat).sort()).toEqual(['2403.08295', '2403.08540', '2403.08715', '2403.08763']);
  });

  it('source=arxiv brings what arXiv announced since the previous run, and never a replacement as new', async () => {
    const paper = (id: string, published: string, extra: object = {}) => ({ id, title: `Paper ${id}`, summary: 'About it.', authors: ['A. Author'], published, categories: ['cs.DL'], ...extra });
    const arxiv = await fakeArxiv({
      defaults: false,
      papers: [
        paper('2403.30001', '2024-03-18T14:00:00Z'), // Monday 10:00 ET: announced Monday 20:00 ET
        paper('2403.30002', '2024-03-15T20:00:00Z'), // Friday 16:00 ET: announced Monday 20:00 ET
        paper('2403.30003', '2024-03-18T19:00:00Z'), // Monday 15:00 ET, after the cutoff: announced Tuesday
        paper('2403.30004', '2024-03-01T12:00:00Z', { version: 2, updated: '2024-03-18T12:00:00Z' }), // a replacement
      ],
    });
    t = createTestCore({ arxivUrl: `${arxiv.url}/api/query`, now: () => clock });
    const chat = new RecordingChat();
    const run = (date: string) => {
      clock = Date.parse(`${date}T09:00:00Z`);
      return t!.core.digests.deliverScheduled(chat, target, date, settings({ source: 'arxiv', categories: ['cs.DL'], weekdays: [1, 2, 3, 4, 5, 6, 7] }));
    };
    await run('2024-03-19');
    expect(paperIds(chat, '2024-03-19').sort()).toEqual(['2403.30001', '2403.30002']);
    expect(headers(chat)[0]).toBe('📰 New on arXiv · cs.DL · Tue 19 Mar 2024 · 2 papers');
    await run('2024-03-20');
    expect(paperIds(chat, '2024-03-20')).toEqual(['2403.30003']);
    expect(await run('2024-03-21')).toMatchObject({ status: 'empty' });
    expect(paperIds(chat)).toHaveLength(3);
  });

  it('finishes a digest a crash left half-posted before the next one, each paper once', async () => {
    const hf = await fakeHf({ '2024-03-11': [1, 2, 3, 4].map((i) => entry(`2403.2040${i}`, `2024-03-11T0${i}:00:00.000Z`, 10)), '2024-03-12': [entry('2403.20409', '2024-03-12T01:00:00.000Z', 10)] });
    t = createTestCore({ hfUrl: hf.url, now: () => clock });
    const chat = new RecordingChat({ dedupe: 'nonce' });
    clock = Date.parse('2024-03-12T00:30:00Z');
    chat.crashOn(4, 'after');
    await expect(t.core.digests.deliverScheduled(chat, target, '2024-03-12', settings())).rejects.toThrow(/injected/);
    chat.heal();
    clock = Date.parse('2024-03-13T00:30:00Z');
    await t.core.digests.deliverScheduled(chat, target, '2024-03-13', settings());
    expect(paperIds(chat, '2024-03-12')).toEqual(['2403.20401', '2403.20402', '2403.20403', '2403.20404']);
    expect(paperIds(chat, '2024-03-13')).toEqual(['2403.20409']);
  });
});

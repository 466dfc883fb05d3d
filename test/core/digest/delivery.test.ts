import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatPermissionError } from '../../../src/core/chat-port.js';
import { DEFAULT_SETTINGS, type DigestSettings } from '../../../src/core/subscriptions/settings.js';
import { startFakeArxiv } from '../../fakes/arxiv-server.js';
import { startFakeHf, type FakeHf } from '../../fakes/hf-server.js';
import { RecordingChat } from '../../helpers/recording-chat.js';
import { createTestCore, dailyList, type TestCore } from '../../helpers/test-core.js';

const DATE = '2024-03-15';
const target = { platform: 'test', workspace: 'w1', channel: 'c1' };
const settings = (over: Partial<DigestSettings> = {}): DigestSettings => ({ ...DEFAULT_SETTINGS, ...over });

let hf: FakeHf;
let t: TestCore;

beforeAll(async () => {
  hf = await startFakeHf({ daily: { [DATE]: dailyList(12), '2024-03-16': [] } });
});
afterAll(() => hf.close());
afterEach(() => t?.close());

function fresh(): TestCore {
  t = createTestCore({ hfUrl: hf.url });
  return t;
}

const paperPosts = (chat: RecordingChat) => chat.posts.filter((p) => p.key.includes('/paper/'));

describe('daily digest', () => {
  it('posts one header, one thread and one message per paper, then nothing on a second run', async () => {
    const { core } = fresh();
    const chat = new RecordingChat();
    const first = await core.digests.deliver(chat, target, DATE, settings());
    expect(first).toMatchObject({ status: 'delivered', papers: 10, posted: 12 });
    expect(chat.posts).toHaveLength(11);
    expect(chat.threads).toHaveLength(1);
    expect(chat.posts[0]!.reply).toMatchObject({ kind: 'text', text: '📰 Daily Papers · Fri 15 Mar 2024 · 10 papers · 2 more at https://huggingface.co/papers/date/2024-03-15' });
    expect(paperPosts(chat).every((p) => p.place.thread === chat.posts[0]!.id)).toBe(true);
    const steps = core.ledger.steps({ ...target, digest: 'daily', date: DATE });
    expect(steps.map((s) => s.kind).join(' ')).toBe(`header thread ${'paper '.repeat(10)}overflow overflow`);
    expect(steps.every((s) => s.state === 'posted')).toBe(true);

    const second = await core.digests.deliver(chat, target, DATE, settings());
    expect(second).toMatchObject({ status: 'already-delivered', posted: 0 });
    expect(chat.posts).toHaveLength(11);
  });

  it('ranks by Hugging Face upvotes and cuts to size', async () => {
    const { core } = fresh();
    const chat = new RecordingChat();
    await core.digests.deliver(chat, target, DATE, settings({ size: 3 }));
    const titles = paperPosts(chat).map((p) => (p.reply.kind === 'card' ? p.reply.card.title : ''));
    expect(titles).toEqual([
      'Gemma: Open Models Based on Gemini Research and Technology',
      'Simple and Scalable Strategies to Continually Pre-train Large Language Models',
      'VLOGGER: Multimodal Diffusion for Embodied Avatar Synthesis',
    ]);
  });

  it('filters by minimum upvotes and keywords', async () => {
    const { core } = fresh();
    const chat = new RecordingChat();
    await core.digests.deliver(chat, target, DATE, settings({ minUpvotes: 10, excludeKeywords: ['gemma'] }));
    const ids = paperPosts(chat).map((p) => p.key.split('/').pop());
    // The grown list's part 10 (▲ 12) passes; part 9 is Gemma again (excluded).
    expect(ids).toEqual(['2403.08763', '2403.08764', '2403.08715', '2403.90010', '2403.08268']);
  });

  it('posts nothing on a day without papers, or one notice when asked', async () => {
    const { core } = fresh();
    const chat = new RecordingChat();
    expect(await core.digests.deliver(chat, target, '2024-03-16', settings())).toMatchObject({ status: 'empty' });
    expect(chat.posts).toHaveLength(0);
    await core.digests.deliver(chat, target, '2024-03-16', settings({ notifyEmpty: true }));
    await core.digests.deliver(chat, target, '2024-03-16', settings({ notifyEmpty: true }));
    expect(chat.posts).toHaveLength(1);
    expect(chat.posts[0]!.reply).toMatchObject({ kind: 'text', text: expect.stringContaining('No new papers') });
  });

  it('shares one run between concurrent calls for the same delivery', async () => {
    const { core } = fresh();
    const chat = new RecordingChat();
    await Promise.all([1, 2, 3].map(() => core.digests.deliver(chat, target, DATE, settings())));
    expect(paperPosts(chat)).toHaveLength(10);
  });

  it('marks the subscription failing when the platform refuses, and clears it after a success', async () => {
    const { core } = fresh();
    core.subscriptions.save(target, {});
    const refusing = new RecordingChat();
    refusing.startThread = async () => {
      throw new ChatPermissionError('Paperboy cannot create threads in #c1: give it Create Public Threads');
    };
    const outcome = await core.digests.deliver(refusing, target, DATE, settings());
    expect(outcome).toMatchObject({ status: 'failed', reason: expect.stringContaining('Create Public Threads') });
    expect(core.subscriptions.find(target)?.failure).toContain('Create Public Threads');
    const working = new RecordingChat({ dedupe: 'nonce' });
    working.posts.push(...refusing.posts);
    await core.digests.deliver(working, target, DATE, settings());
    expect(core.subscriptions.find(target)?.failure).toBeNull();
    expect(paperPosts(working)).toHaveLength(10);
  });
});

describe('crash injection', () => {
  // Operations: 1 header, 2 thread, 3..12 papers.
  const cases = [];
  for (const dedupe of ['nonce', 'readback'] as const) for (const when of ['before', 'after'] as const) for (let k = 1; k <= 12; k++) cases.push({ dedupe, when, k });

  it.each(cases)('a crash $when operation $k ($dedupe) resumes with every paper exactly once', async ({ dedupe, when, k }) => {
    const { core } = fresh();
    const chat = new RecordingChat({ dedupe });
    chat.crashOn(k, when);
    await expect(core.digests.deliver(chat, target, DATE, settings())).rejects.toThrow(/injected crash/);
    chat.heal();
    const resumed = await core.digests.deliver(chat, target, DATE, settings());
    expect(resumed.status).toBe('delivered');
    expect(chat.posts.filter((p) => p.key.endsWith('/header'))).toHaveLength(1);
    expect(chat.threads).toHaveLength(1);
    const keys = paperPosts(chat).map((p) => p.key);
    expect(keys).toHaveLength(10);
    expect(new Set(keys).size).toBe(10);
    expect(core.ledger.steps({ ...target, digest: 'daily', date: DATE }).every((s) => s.state === 'posted')).toBe(true);
  });
});

describe('reading back', () => {
  it('looks for an unrecorded post only once, for the first pending step of a resumed run', async () => {
    const { core } = fresh();
    const chat = new RecordingChat({ dedupe: 'readback' });
    const lookups: string[] = [];
    const find = chat.findPosted!;
    chat.findPosted = async (place, key) => (lookups.push(key), find(place, key));
    await core.digests.deliver(chat, { ...target, channel: 'fresh' }, DATE, settings());
    expect(lookups).toEqual([]);
    chat.crashOn(5, 'after');
    await expect(core.digests.deliver(chat, target, DATE, settings())).rejects.toThrow(/injected/);
    chat.heal();
    await core.digests.deliver(chat, target, DATE, settings());
    expect(lookups).toHaveLength(1);
    expect(lookups[0]).toBe('daily/test/w1/c1/2024-03-15/paper/2403.08764'); // the third paper: posted, never recorded
  });
});

describe('sources', () => {
  it('falls back to the arXiv categories when Hugging Face stays down', async () => {
    const arxiv = await startFakeArxiv();
    const down = await startFakeHf();
    down.failNext(100, 503);
    t = createTestCore({ hfUrl: down.url, arxivUrl: `${arxiv.url}/api/query` });
    const chat = new RecordingChat();
    const outcome = await t.core.digests.deliver(chat, target, '2024-03-20', settings({ categories: ['cs.CL'] }));
    expect(outcome.status).toBe('delivered');
    expect(arxiv.requests.some((r) => r.target.includes('cat%3Acs.CL'))).toBe(true);
    await Promise.all([arxiv.close(), down.close()]);
  });

  it('reports Hugging Face being down when there is no fallback', async () => {
    const down = await startFakeHf();
    down.failNext(100, 503);
    t = createTestCore({ hfUrl: down.url });
    await expect(t.core.digests.deliver(new RecordingChat(), target, DATE, settings())).rejects.toMatchObject({ code: 'upstream_unavailable' });
    await down.close();
  });
});

describe('stopping, languages and the weekly roundup', () => {
  it('finishes the message in flight, records it, and stops', async () => {
    const { core } = fresh();
    const chat = new RecordingChat();
    const post = chat.post.bind(chat);
    let posts = 0;
    chat.post = async (place, reply, key) => {
      if (++posts === 3) void core.digests.stop(); // a SIGTERM while the third message is on its way
      return post(place, reply, key);
    };
    const outcome = await core.digests.deliver(chat, target, DATE, settings());
    expect(outcome.status).toBe('interrupted');
    const steps = core.ledger.steps({ ...target, digest: 'daily', date: DATE });
    expect(steps.filter((s) => s.state === 'posted' && s.kind !== 'overflow')).toHaveLength(4); // header, thread, two papers
    expect(chat.posts).toHaveLength(3);
  });

  it('posts in English with one note when the language needs a model that is not configured', async () => {
    const { core } = fresh();
    const chat = new RecordingChat();
    await core.digests.deliver(chat, target, DATE, settings({ language: 'ko', size: 3 }));
    const header = chat.posts[0]!.reply;
    expect(header.kind === 'text' && header.text).toMatch(/^📰 Daily Papers · Fri 15 Mar 2024 · 3 papers · 9 more at \S+\n.*language model/);
    const notes = chat.posts.filter((p) => JSON.stringify(p.reply).includes('LLM_BASE_URL'));
    expect(notes).toHaveLength(1);
  });

  it('posts the week\'s most-voted papers once', async () => {
    const { core } = fresh();
    const chat = new RecordingChat();
    await core.digests.deliver(chat, target, DATE, settings());
    const [first, second] = paperPosts(chat);
    for (const user of ['a', 'b']) await core.votes.react({ ...target, channel: 'thread', messageId: second!.id, user, emoji: '🔥', userIsBot: false, added: true });
    await core.votes.react({ ...target, channel: 'thread', messageId: first!.id, user: 'a', emoji: '👍', userIsBot: false, added: true });
    expect(await core.roundups.deliver(chat, target, settings())).toBe(2);
    expect(await core.roundups.deliver(chat, target, settings())).toBe(0);
    const roundup = chat.posts.at(-1)!.reply;
    expect(roundup.kind).toBe('list');
    if (roundup.kind !== 'list') return;
    expect(roundup.title).toMatch(/^🏆 The week's most-voted papers · \d{4}-W\d{2}$/);
    expect(roundup.items.map((i) => i.detail)).toEqual(['2 team votes · ▲ 22 on HF', '1 team vote · ▲ 25 on HF']);
    expect(roundup.items[0]!.text).toBeTruthy();
  });
});

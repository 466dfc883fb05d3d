import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DISCORD_LIMITS } from '../../../src/adapters/discord/render.js';
import { FAKE_CHANNEL_ID, FAKE_GUILD_ID, MANAGE_GUILD, MEMBER_PERMISSIONS, type InteractionRecord, type RecordedDiscordRequest } from '../../fakes/discord/index.js';
import { embedChars } from '../../fakes/discord/validate.js';
import { waitFor } from '../../fakes/discord/wait-for.js';
import { startHarness, type Harness } from './harness.js';

const DATE = '2024-03-14';
const PAPERS_THAT_DAY = 9;
const ADMIN = MEMBER_PERMISSIONS | MANAGE_GUILD;
const target = { platform: 'discord', workspace: FAKE_GUILD_ID, channel: FAKE_CHANNEL_ID };

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

type Json = Record<string, unknown>;

async function digest(date = DATE): Promise<string> {
  const record = h.fake.pushCommand({ name: 'digest', options: [{ name: 'date', value: date }], permissions: ADMIN });
  return finalText(record);
}

async function finalText(record: InteractionRecord): Promise<string> {
  await waitFor(() => record.responses.some((r) => r.kind === 'edit-original' || r.kind === 'followup' || (r.kind === 'callback' && r.body?.type === 4)), {
    what: 'the /digest acknowledgement',
    timeoutMs: 10_000,
  });
  const final = record.responses.find((r) => r.kind === 'edit-original' || r.kind === 'followup' || r.kind === 'callback' && r.body?.type === 4);
  const body = (final?.kind === 'callback' ? final.body?.data : final?.body) as Json | undefined;
  return String(body?.content ?? '');
}

const isMessagePost = (r: RecordedDiscordRequest) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.route);

describe('a digest through /digest', () => {
  it('posts a header, a thread on it, and one message per paper, each within limits and pinging no one', async () => {
    const answer = await digest();
    expect(answer).toBe(`Posted the papers of Thu 14 Mar 2024: ${PAPERS_THAT_DAY} papers.`);

    const headers = h.fake.state.messagesIn(FAKE_CHANNEL_ID);
    expect(headers).toHaveLength(1);
    expect(headers[0]?.body.content).toMatch(/^📰 Daily Papers · Thu 14 Mar 2024 · 9 papers/);

    const threads = h.fake.state.threadsOf(FAKE_CHANNEL_ID);
    expect(threads).toHaveLength(1);
    expect(threads[0]?.id).toBe(headers[0]?.id);
    expect(threads[0]?.name).toBe('Daily Papers · Thu 14 Mar 2024');

    const papers = h.fake.state.messagesIn(threads[0]?.id ?? '');
    expect(papers).toHaveLength(PAPERS_THAT_DAY);
    expect(papers[0]?.body.embeds).toMatchObject([{ title: 'Gemma: Open Models Based on Gemini Research and Technology', url: 'https://arxiv.org/abs/2403.08295' }]);

    const posts = h.fake.requests.filter(isMessagePost);
    expect(posts).toHaveLength(1 + PAPERS_THAT_DAY);
    const nonces = new Set<string>();
    for (const post of posts) {
      const body = post.body as Json;
      expect(body.allowed_mentions).toEqual({ parse: [] });
      expect(body.enforce_nonce).toBe(true);
      expect(typeof body.nonce === 'string' && body.nonce.length <= 25).toBe(true);
      nonces.add(String(body.nonce));
      const embeds = (body.embeds ?? []) as Json[];
      expect(embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
      expect(embeds.reduce((sum, e) => sum + embedChars(e), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    }
    expect(nonces.size).toBe(posts.length);
  });

  it('posts nothing new the second time', async () => {
    await digest();
    const before = h.fake.requests.filter(isMessagePost).length;
    expect(await digest()).toMatch(/already here \(9\); nothing new to post/);
    expect(h.fake.requests.filter(isMessagePost).length).toBe(before);
  });

  it('resumes after a crash between posting and recording, with no paper twice', async () => {
    let threadPosts = 0;
    // From the fourth paper on, Discord takes the post but the bot never hears back: then it "crashes".
    const stopDropping = h.fake.dropResponsesWhere((r) => isMessagePost(r) && r.route !== `/channels/${FAKE_CHANNEL_ID}/messages` && ++threadPosts >= 4);
    const first = await digest();
    expect(first).toMatch(/Discord is unavailable right now|Something went wrong/);
    stopDropping();
    const threadId = h.fake.state.threadsOf(FAKE_CHANNEL_ID)[0]?.id ?? '';
    expect(h.fake.state.messagesIn(threadId)).toHaveLength(4);

    await h.restart();
    expect(await digest()).toBe(`Posted the papers of Thu 14 Mar 2024: ${PAPERS_THAT_DAY} papers.`);

    expect(h.fake.state.messagesIn(FAKE_CHANNEL_ID)).toHaveLength(1);
    expect(h.fake.state.threadsOf(FAKE_CHANNEL_ID)).toHaveLength(1);
    const papers = h.fake.state.messagesIn(threadId);
    expect(papers).toHaveLength(PAPERS_THAT_DAY);
    const titles = papers.map((m) => (m.body.embeds as Json[])[0]?.title);
    expect(new Set(titles).size).toBe(PAPERS_THAT_DAY);
    // The fourth paper was found by reading the thread back (one GET), not posted again.
    expect(h.fake.requests.filter((r) => r.method === 'GET' && r.route === `/channels/${threadId}/messages`)).toHaveLength(1);
  });

  it('says which permission is missing, marks the subscription failing, and completes once it is given', async () => {
    await finalText(h.fake.pushCommand({ name: 'subscribe', options: [{ name: 'settings', value: 'time=09:00' }], permissions: ADMIN }));
    expect(h.app.core.subscriptions.find(target)?.active).toBe(true);
    h.fake.state.deny(FAKE_CHANNEL_ID, 'thread');
    const refused = await digest();
    expect(refused).toBe('Could not post here: Paperboy cannot create threads in #papers: give it Create Public Threads.');
    expect(h.app.core.subscriptions.find(target)?.failure).toBe('Paperboy cannot create threads in #papers: give it Create Public Threads');

    h.fake.state.allow(FAKE_CHANNEL_ID);
    expect(await digest()).toMatch(/^Posted the papers of Thu 14 Mar 2024/);
    expect(h.fake.state.messagesIn(FAKE_CHANNEL_ID)).toHaveLength(1);
    expect(h.fake.state.messagesIn(h.fake.state.threadsOf(FAKE_CHANNEL_ID)[0]?.id ?? '')).toHaveLength(PAPERS_THAT_DAY);
    expect(h.app.core.subscriptions.find(target)?.failure ?? null).toBeNull();
  });

  it('says so when it cannot post in the channel at all', async () => {
    h.fake.state.deny(FAKE_CHANNEL_ID, 'post');
    expect(await digest()).toBe('Could not post here: Paperboy cannot post in #papers: give it View Channel, Send Messages and Embed Links.');
    expect(h.fake.state.messagesIn(FAKE_CHANNEL_ID)).toHaveLength(0);
  });

  it('is refused to members who cannot manage the server, before anything is posted', async () => {
    const record = h.fake.pushCommand({ name: 'digest', options: [{ name: 'date', value: DATE }], permissions: MEMBER_PERMISSIONS });
    expect(await finalText(record)).toBe('Only people who can manage this channel can use /digest.');
    expect(h.fake.requests.filter(isMessagePost)).toHaveLength(0);
  });
});

describe('votes on digest messages', () => {
  it('counts reactions added and removed, ignoring the bot, other emojis and the header', async () => {
    await digest();
    const threadId = h.fake.state.threadsOf(FAKE_CHANNEL_ID)[0]?.id ?? '';
    const [gemma] = h.fake.state.messagesIn(threadId);
    const messageId = gemma?.id ?? '';
    const votes = () => h.app.core.votes.teamVotes('2403.08295', target);
    const alice = { id: '600000000000000010', username: 'alice' };
    const bob = { id: '600000000000000011', username: 'bob' };

    h.fake.pushReaction({ added: true, channelId: threadId, messageId, user: alice, emoji: '👍' });
    await waitFor(() => votes() === 1, { what: "alice's vote" });
    h.fake.pushReaction({ added: true, channelId: threadId, messageId, user: bob, emoji: '🔥' });
    await waitFor(() => votes() === 2, { what: "bob's vote" });

    // Ignored: the bot itself, an emoji that is not a vote, a custom emoji, the header message.
    h.fake.pushReaction({ added: true, channelId: threadId, messageId, user: h.fake.bot, emoji: '👍' });
    h.fake.pushReaction({ added: true, channelId: threadId, messageId, user: { id: '600000000000000012', username: 'carol' }, emoji: '😴' });
    h.fake.pushReaction({ added: true, channelId: threadId, messageId, user: { id: '600000000000000013', username: 'dan' }, emoji: { id: '700000000000000001', name: 'party' } });
    h.fake.pushReaction({ added: true, channelId: FAKE_CHANNEL_ID, messageId: threadId, user: { id: '600000000000000014', username: 'erin' }, emoji: '👍' });
    // A last event to know the ones before it were handled (the gateway keeps order).
    h.fake.pushReaction({ added: false, channelId: threadId, messageId, user: alice, emoji: '👍' });
    await waitFor(() => votes() === 1, { what: "alice's vote removed" });
    expect(h.app.database.sqlite.prepare('SELECT count(*) AS n FROM reactions').get()).toEqual({ n: 1 });
  });

  it("counts the server's own emoji when /subscribe names it, by its id whatever its name", async () => {
    const answer = await finalText(h.fake.pushCommand({ name: 'subscribe', options: [{ name: 'settings', value: 'emojis=<:partyblob:700000000000000001>🎯' }], permissions: ADMIN }));
    expect(answer).toContain('Subscribed');
    expect(h.app.core.subscriptions.find(target)?.voteEmojis).toEqual(['custom:700000000000000001', '🎯']);
    await digest();
    const threadId = h.fake.state.threadsOf(FAKE_CHANNEL_ID)[0]?.id ?? '';
    const messageId = h.fake.state.messagesIn(threadId)[0]?.id ?? '';
    const votes = () => h.app.core.votes.teamVotes('2403.08295', target);
    const react = (id: string, emoji: string | { id: string; name: string }) =>
      h.fake.pushReaction({ added: true, channelId: threadId, messageId, user: { id, username: `u${id}` }, emoji });
    // Renamed since: Discord reactions carry the id, and the id is what counts.
    react('600000000000000030', { id: '700000000000000001', name: 'partyblob_renamed' });
    await waitFor(() => votes() === 1, { what: 'the custom emoji vote' });
    react('600000000000000031', { id: '700000000000000002', name: 'partyblob' });
    react('600000000000000032', '👍');
    react('600000000000000033', '🎯');
    await waitFor(() => votes() === 2, { what: 'the 🎯 vote' });
    expect(h.app.database.sqlite.prepare('SELECT emoji FROM reactions ORDER BY emoji').all()).toEqual([{ emoji: 'custom:700000000000000001' }, { emoji: '🎯' }]);
  });

  it('counts reactions in a thread the restarted bot has never seen', async () => {
    await digest();
    await h.restart();
    const threadId = h.fake.state.threadsOf(FAKE_CHANNEL_ID)[0]?.id ?? '';
    expect(h.bot.client.channels.cache.has(threadId)).toBe(false);
    const messageId = h.fake.state.messagesIn(threadId)[1]?.id ?? '';
    h.fake.pushReaction({ added: true, channelId: threadId, messageId, user: { id: '600000000000000020', username: 'fay' }, emoji: '⬆️' });
    await waitFor(() => h.app.core.votes.teamVotes('2403.08763', target) === 1, { what: 'the vote in an uncached thread' });
  });
});

describe('the chat port on its own', () => {
  it('posts in a forum channel as a forum post, with the papers inside it', async () => {
    const { FAKE_FORUM_ID } = await import('../../fakes/discord/index.js');
    const chat = h.bot.chat;
    const place = { workspace: FAKE_GUILD_ID, channel: FAKE_FORUM_ID };
    const header = await chat.post(place, { kind: 'text', text: '📰 Daily Papers · Thu 14 Mar 2024 · 2 papers' }, 'digest:forum:header');
    const thread = await chat.startThread(header, 'Daily Papers · Thu 14 Mar 2024', 'digest:forum:thread');
    expect(thread).toEqual({ workspace: FAKE_GUILD_ID, channel: header.id });
    await chat.post(thread, { kind: 'card', card: { title: 'A paper', url: 'https://arxiv.org/abs/2403.08295' } }, 'digest:forum:paper:1');
    const forumPost = h.fake.state.threadsOf(FAKE_FORUM_ID);
    expect(forumPost.map((t) => t.name)).toEqual(['📰 Daily Papers · Thu 14 Mar 2024 · 2 papers']);
    expect(h.fake.state.messagesIn(header.id)).toHaveLength(2);
    // A retry in the same process does not make a second post.
    expect(await chat.post(place, { kind: 'text', text: 'again' }, 'digest:forum:header')).toEqual(header);
    expect(h.fake.state.threadsOf(FAKE_FORUM_ID)).toHaveLength(1);
  });

  it('answers a retried post with the message Discord already has', async () => {
    const place = { workspace: FAKE_GUILD_ID, channel: FAKE_CHANNEL_ID };
    const first = await h.bot.chat.post(place, { kind: 'text', text: 'hello' }, 'key:a-very-long-idempotency-key-that-does-not-fit-in-25-characters');
    const again = await h.bot.chat.post(place, { kind: 'text', text: 'hello' }, 'key:a-very-long-idempotency-key-that-does-not-fit-in-25-characters');
    expect(again.id).toBe(first.id);
    expect(h.fake.state.messagesIn(FAKE_CHANNEL_ID)).toHaveLength(1);
  });

  it('waits out a rate limit and posts once', async () => {
    const place = { workspace: FAKE_GUILD_ID, channel: FAKE_CHANNEL_ID };
    h.fake.rateLimitNext((r) => isMessagePost(r), 200);
    const started = performance.now();
    await h.bot.chat.post(place, { kind: 'text', text: 'after the limit' }, 'limited');
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(h.fake.requests.filter(isMessagePost)).toHaveLength(2);
    expect(h.fake.state.messagesIn(FAKE_CHANNEL_ID)).toHaveLength(1);
  });

  it('starts a thread only once on a message', async () => {
    const place = { workspace: FAKE_GUILD_ID, channel: FAKE_CHANNEL_ID };
    const message = await h.bot.chat.post(place, { kind: 'text', text: 'header' }, 'k1');
    const a = await h.bot.chat.startThread(message, 'Title', 'k2');
    const b = await h.bot.chat.startThread(message, 'Title', 'k2');
    expect(a).toEqual(b);
    expect(h.fake.state.threadsOf(FAKE_CHANNEL_ID)).toHaveLength(1);
  });

  it('posts a long text as several messages within 2,000 characters, returning the first', async () => {
    const place = { workspace: FAKE_GUILD_ID, channel: FAKE_CHANNEL_ID };
    const long = Array.from({ length: 120 }, (_, i) => `Line ${i} @everyone ${'x'.repeat(30)}`).join('\n');
    const posted = await h.bot.chat.post(place, { kind: 'text', text: long }, 'long');
    const messages = h.fake.state.messagesIn(FAKE_CHANNEL_ID);
    expect(messages.length).toBeGreaterThan(1);
    expect(posted.id).toBe(messages[0]?.id);
    for (const m of messages) {
      expect(String(m.body.content).length).toBeLessThanOrEqual(2000);
      expect(String(m.body.content)).not.toContain('@everyone');
    }
  });
});

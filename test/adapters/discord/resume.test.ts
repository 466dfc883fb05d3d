/**
 * A resume long after a crash: Discord's nonce window (a few minutes) has closed, so only reading the
 * place back can show that a step was posted but never recorded. The fake forgets nonces after its
 * window; its clock is moved on between the crash and the restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_CHANNEL_ID, FAKE_FORUM_ID, FAKE_GUILD_ID, FAKE_USER, MANAGE_GUILD, MEMBER_PERMISSIONS, type InteractionRecord, type RecordedDiscordRequest } from '../../fakes/discord/index.js';
import { NONCE_WINDOW_MS } from '../../fakes/discord/state.js';
import { waitFor } from '../../fakes/discord/wait-for.js';
import { startHarness, type Harness } from './harness.js';

const PAPERS_THAT_DAY = 9;
const DELIVERED = `Posted the papers of Thu 14 Mar 2024: ${PAPERS_THAT_DAY} papers.`;
const LONG_AFTER = 30 * 60_000;

let clock = Date.now();
let h: Harness;
beforeEach(async () => {
  clock = Date.now();
  h = await startHarness({ discord: { now: () => clock } });
});
afterEach(async () => {
  await h.close();
});

type Json = Record<string, unknown>;

async function digest(channelId = FAKE_CHANNEL_ID): Promise<string> {
  const record = h.fake.pushCommand({ name: 'digest', channelId, options: [{ name: 'date', value: '2024-03-14' }], permissions: MEMBER_PERMISSIONS | MANAGE_GUILD });
  return finalText(record);
}

async function finalText(record: InteractionRecord): Promise<string> {
  const done = () => record.responses.find((r) => r.kind === 'edit-original' || r.kind === 'followup' || (r.kind === 'callback' && r.body?.type === 4));
  await waitFor(() => done() !== undefined, { what: 'the /digest answer', timeoutMs: 10_000 });
  const final = done();
  const body = (final?.kind === 'callback' ? final.body?.data : final?.body) as Json | undefined;
  return typeof body?.content === 'string' ? body.content : '';
}

const isPost = (channelId?: string) => (r: RecordedDiscordRequest) =>
  r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.route) && (channelId === undefined || r.route === `/channels/${channelId}/messages`);
const reads = (channelId: string) => h.fake.requests.filter((r) => r.method === 'GET' && r.route === `/channels/${channelId}/messages`);
const botMessagesIn = (channelId: string) => h.fake.state.messagesIn(channelId).filter((m) => m.authorId === undefined);
const titles = (channelId: string) => botMessagesIn(channelId).map((m) => String((m.body.embeds as Json[] | undefined)?.[0]?.title));

/** A crash: Discord has the message but the bot never hears back; then the bot restarts long after. */
async function crashAndRestartLater(match: (r: RecordedDiscordRequest) => boolean, channelId = FAKE_CHANNEL_ID): Promise<void> {
  const stop = h.fake.dropResponsesWhere(match);
  expect(await digest(channelId)).toMatch(/Discord is unavailable right now|Something went wrong/);
  stop();
  await h.restart();
  clock += LONG_AFTER;
}

describe('a Discord resume after the nonce window', () => {
  it('the fake forgets nonces: a repeat long after is a second message (what read-back prevents)', async () => {
    const place = { workspace: FAKE_GUILD_ID, channel: FAKE_CHANNEL_ID };
    await h.bot.chat.post(place, { kind: 'text', text: 'once' }, 'key');
    clock += NONCE_WINDOW_MS - 1000;
    await h.bot.chat.post(place, { kind: 'text', text: 'once' }, 'key');
    expect(botMessagesIn(FAKE_CHANNEL_ID)).toHaveLength(1);
    clock += 2000;
    await h.bot.chat.post(place, { kind: 'text', text: 'once' }, 'key');
    expect(botMessagesIn(FAKE_CHANNEL_ID)).toHaveLength(2);
  });

  it('finds a paper posted but not recorded in the thread, and posts every paper once', async () => {
    let threadPosts = 0;
    await crashAndRestartLater((r) => isPost()(r) && !isPost(FAKE_CHANNEL_ID)(r) && ++threadPosts === 4);
    const threadId = h.fake.state.threadsOf(FAKE_CHANNEL_ID)[0]?.id ?? '';
    expect(botMessagesIn(threadId)).toHaveLength(4);
    const repeatsBefore = h.fake.state.repeatedNonces.length;

    expect(await digest()).toBe(DELIVERED);
    expect(botMessagesIn(FAKE_CHANNEL_ID)).toHaveLength(1);
    expect(h.fake.state.threadsOf(FAKE_CHANNEL_ID)).toHaveLength(1);
    expect(new Set(titles(threadId)).size).toBe(PAPERS_THAT_DAY);
    expect(titles(threadId)).toHaveLength(PAPERS_THAT_DAY);
    // Recognised by reading back, not by the nonce (Discord forgot it): one GET of the thread.
    expect(h.fake.state.repeatedNonces.length).toBe(repeatsBefore);
    expect(reads(threadId)).toHaveLength(1);
    expect(reads(threadId)[0]?.query).toEqual({ limit: '100' });
    expect(await digest()).toMatch(/already here \(9\)/);
  });

  it('finds the header (the thread starter) among a busy channel, reading back page by page', async () => {
    await crashAndRestartLater(isPost(FAKE_CHANNEL_ID));
    expect(botMessagesIn(FAKE_CHANNEL_ID)).toHaveLength(1);
    for (let i = 0; i < 150; i++) h.fake.state.addUserMessage(FAKE_CHANNEL_ID, FAKE_USER, `chatter ${i}`);

    expect(await digest()).toBe(DELIVERED);
    const [header] = botMessagesIn(FAKE_CHANNEL_ID);
    expect(botMessagesIn(FAKE_CHANNEL_ID)).toHaveLength(1);
    expect(h.fake.state.threadsOf(FAKE_CHANNEL_ID).map((t) => t.id)).toEqual([header?.id]);
    expect(titles(header?.id ?? '')).toHaveLength(PAPERS_THAT_DAY);
    // 150 newer messages by people: two pages of 100, the second before the oldest of the first.
    const pages = reads(FAKE_CHANNEL_ID);
    expect(pages).toHaveLength(2);
    expect(pages[1]?.query.before).toMatch(/^\d+$/);
  });

  it('posts the step when the read-back finds nothing, and ignores messages by others that look the same', async () => {
    let threadPosts = 0;
    // The fourth paper's post fails before Discord takes it: nothing to find.
    const stop = h.fake.dropResponsesWhere((r) => isPost()(r) && !isPost(FAKE_CHANNEL_ID)(r) && ++threadPosts === 4);
    expect(await digest()).toMatch(/Discord is unavailable right now|Something went wrong/);
    stop();
    const threadId = h.fake.state.threadsOf(FAKE_CHANNEL_ID)[0]?.id ?? '';
    const fourth = h.fake.state.messagesIn(threadId)[3];
    // Take the fourth paper away again (as if it never landed), leaving a look-alike by a person.
    if (fourth) h.fake.state.messages.delete(fourth.id);
    const lookAlike = h.fake.state.addUserMessage(threadId, FAKE_USER, '');
    lookAlike.body = { embeds: fourth?.body.embeds };
    await h.restart();
    clock += LONG_AFTER;

    expect(await digest()).toBe(DELIVERED);
    expect(titles(threadId)).toHaveLength(PAPERS_THAT_DAY);
    expect(new Set(titles(threadId)).size).toBe(PAPERS_THAT_DAY);
  });

  it('does not take an older header with the same line, which has its thread, for the one never posted', async () => {
    const place = { workspace: FAKE_GUILD_ID, channel: FAKE_CHANNEL_ID };
    const older = await h.bot.chat.post(place, { kind: 'text', text: '📰 Daily Papers · Thu 14 Mar 2024 · 9 papers' }, 'an-earlier-delivery');
    await h.bot.chat.startThread(older, 'Daily Papers · Thu 14 Mar 2024', 'an-earlier-thread');
    const stop = h.fake.dropResponsesWhere(isPost(FAKE_CHANNEL_ID));
    expect(await digest()).toMatch(/Discord is unavailable right now|Something went wrong/);
    stop();
    // The header never landed after all.
    const lost = botMessagesIn(FAKE_CHANNEL_ID).find((m) => m.id !== older.id);
    if (lost) h.fake.state.messages.delete(lost.id);
    await h.restart();
    clock += LONG_AFTER;

    expect(await digest()).toBe(DELIVERED);
    const headers = botMessagesIn(FAKE_CHANNEL_ID);
    expect(headers).toHaveLength(2);
    const fresh = headers.find((m) => m.id !== older.id);
    expect(titles(fresh?.id ?? '')).toHaveLength(PAPERS_THAT_DAY);
    expect(botMessagesIn(older.id)).toHaveLength(0);
  });

  it('finds a forum post made but not recorded, and posts the papers into it once', async () => {
    await crashAndRestartLater((r) => r.method === 'POST' && r.route === `/channels/${FAKE_FORUM_ID}/threads`, FAKE_FORUM_ID);
    expect(h.fake.state.threadsOf(FAKE_FORUM_ID)).toHaveLength(1);

    expect(await digest(FAKE_FORUM_ID)).toBe(DELIVERED);
    const posts = h.fake.state.threadsOf(FAKE_FORUM_ID);
    expect(posts).toHaveLength(1);
    // The starter message and the nine papers inside the one forum post.
    expect(titles(posts[0]?.id ?? '').filter((t) => t !== 'undefined')).toHaveLength(PAPERS_THAT_DAY);
    expect(h.fake.requests.filter((r) => r.method === 'GET' && r.route === `/guilds/${FAKE_GUILD_ID}/threads/active`)).toHaveLength(1);
  });

  it('says which permission is missing when it cannot read the channel back', async () => {
    await crashAndRestartLater(isPost(FAKE_CHANNEL_ID));
    h.fake.state.deny(FAKE_CHANNEL_ID, 'view');
    expect(await digest()).toBe('Could not post here: Paperboy cannot read back its messages in #papers: give it View Channel and Read Message History.');
    expect(botMessagesIn(FAKE_CHANNEL_ID)).toHaveLength(1);
  });
});

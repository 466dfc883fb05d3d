import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReactionEvent } from '../../../src/core/chat-port.js';
import { DEFAULT_SETTINGS } from '../../../src/core/subscriptions/settings.js';
import { startFakeHf, type FakeHf } from '../../fakes/hf-server.js';
import { RecordingChat } from '../../helpers/recording-chat.js';
import { createTestCore, type TestCore } from '../../helpers/test-core.js';

let hf: FakeHf;
beforeAll(async () => {
  hf = await startFakeHf();
});
afterAll(() => hf.close());

/** Two workspaces on one platform, each with a delivered digest of the 2024-03-14 list. */
async function setup(): Promise<{ t: TestCore; posts: Record<string, { header: string; papers: { id: string; paperId: string }[] }> }> {
  const t = createTestCore({ hfUrl: hf.url });
  const posts: Record<string, { header: string; papers: { id: string; paperId: string }[] }> = {};
  for (const workspace of ['w1', 'w2']) {
    const chat = new RecordingChat({ platform: 'test' });
    await t.core.digests.deliver(chat, { platform: 'test', workspace, channel: 'c' }, '2024-03-14', { ...DEFAULT_SETTINGS });
    posts[workspace] = {
      header: chat.posts[0]!.id + `@${workspace}`,
      papers: chat.posts.slice(1).map((p) => ({ id: p.id, paperId: p.key.split('/').pop()! })),
    };
  }
  return { t, posts };
}

const event = (over: Partial<ReactionEvent>): ReactionEvent => ({
  platform: 'test', workspace: 'w1', channel: 'thread', messageId: 'm2', user: 'u1', emoji: '👍', userIsBot: false, added: true, ...over,
});

describe('votes', () => {
  it('counts adds and removals, once per user, ignoring bots, other emojis, headers and unknown messages', async () => {
    const { t, posts } = await setup();
    const votes = t.core.votes;
    const gemma = posts.w1!.papers[0]!;
    expect(gemma.paperId).toBe('2403.08295');
    const on = (o: Partial<ReactionEvent>) => votes.react(event({ messageId: gemma.id, ...o }));

    expect(await on({})).toBe('counted');
    expect(await on({})).toBe('ignored'); // duplicate
    expect(await on({ emoji: '🔥' })).toBe('counted'); // same user, second emoji: still one vote
    expect(votes.teamVotes('2403.08295', { platform: 'test', workspace: 'w1' })).toBe(1);
    expect(await on({ user: 'u2', emoji: '👍🏽' })).toBe('counted'); // skin tone is the same emoji
    expect(await on({ user: 'u3', emoji: '⬆' })).toBe('counted'); // without the presentation selector
    expect(await on({ user: 'u4', emoji: '🎉' })).toBe('ignored');
    expect(await on({ user: 'bot', userIsBot: true })).toBe('ignored');
    expect(await votes.react(event({ messageId: 'm1' }))).toBe('ignored'); // the header
    expect(await votes.react(event({ messageId: 'nope' }))).toBe('ignored');
    expect(votes.teamVotes('2403.08295', { platform: 'test', workspace: 'w1' })).toBe(3);

    expect(await on({ added: false })).toBe('removed');
    expect(votes.teamVotes('2403.08295', { platform: 'test', workspace: 'w1' })).toBe(3); // 🔥 still counts
    expect(await on({ added: false, emoji: '🔥' })).toBe('removed');
    expect(votes.teamVotes('2403.08295', { platform: 'test', workspace: 'w1' })).toBe(2);
    expect(await on({ added: false, emoji: '🔥' })).toBe('ignored');

    // Another workspace's votes count globally, not for this team.
    await votes.react(event({ workspace: 'w2', messageId: posts.w2!.papers[0]!.id, user: 'u9' }));
    expect(votes.teamVotes('2403.08295', { platform: 'test', workspace: 'w1' })).toBe(2);
    expect(votes.globalVotes('2403.08295')).toBe(3);
    const top = votes.top({ period: 'week', scope: 'global', target: { platform: 'test', workspace: 'w1', channel: 'c' } });
    expect(top[0]).toEqual({ paperId: '2403.08295', votes: 3 });
    t.close();
  });

  it('agrees with a simple reference model over 10,000 random events', async () => {
    const { t, posts } = await setup();
    const emojis = ['👍', '🔥', '⬆️', '❤️', '🎉'];
    const messages = [...posts.w1!.papers.map((p) => ({ ...p, workspace: 'w1' })), ...posts.w2!.papers.map((p) => ({ ...p, workspace: 'w2' }))];
    // Reference: the set of live (message, user, emoji) vote reactions.
    const live = new Set<string>();
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    // Events arrive in bursts, as from a busy gateway: each burst is written in one transaction.
    let burst: Promise<unknown>[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (burst.length === 300) burst = (await Promise.all(burst), []);
      const message = messages[rand(messages.length)]!;
      const user = `u${rand(25)}`;
      const emoji = emojis[rand(emojis.length)]!;
      const added = rand(3) > 0;
      const bot = rand(50) === 0;
      burst.push(t.core.votes.react(event({ workspace: message.workspace, messageId: message.id, user, emoji, added, userIsBot: bot })));
      if (bot || emoji === '🎉') continue;
      const key = `${message.id}|${message.workspace}|${message.paperId}|${user}|${emoji}`;
      if (added) live.add(key);
      else live.delete(key);
    }
    await Promise.all(burst);
    const expected = (paperId: string, workspace?: string) =>
      new Set([...live].map((k) => k.split('|')).filter(([, w, p]) => p === paperId && (!workspace || w === workspace)).map(([, , , u]) => u)).size;
    for (const paperId of new Set(messages.map((m) => m.paperId))) {
      expect(t.core.votes.teamVotes(paperId, { platform: 'test', workspace: 'w1' })).toBe(expected(paperId, 'w1'));
      expect(t.core.votes.teamVotes(paperId, { platform: 'test', workspace: 'w2' })).toBe(expected(paperId, 'w2'));
      expect(t.core.votes.globalVotes(paperId)).toBe(expected(paperId));
    }
    for (const scope of ['workspace', 'channel'] as const) {
      const top = t.core.votes.top({ period: 'all', scope, target: { platform: 'test', workspace: 'w1', channel: 'c' }, limit: 50 });
      expect(top.length).toBeGreaterThan(0);
      for (const entry of top) expect(entry.votes).toBe(expected(entry.paperId, 'w1'));
    }
    t.close();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../../src/core/core.js';
import { channelScope, workspaceScope } from '../../../src/core/taste/scope.js';
import { MIN_VOTES } from '../../../src/core/taste/service.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { DAY, deliver, history, react, topicOf, topicPaper, type Clock, type Topic } from './team.js';

let database: Database | undefined;
afterEach(() => database?.close());

function setup(): { core: Core; clock: Clock } {
  database = openDatabase(':memory:');
  const clock = { t: Date.UTC(2024, 0, 1) };
  return { core: new Core({ database, now: () => clock.t, tasteRefitDelayMs: 1 }), clock };
}

const alpha = { platform: 'test', workspace: 'w1', channel: 'alpha' };
const beta = { platform: 'test', workspace: 'w1', channel: 'beta' };
const elsewhere = { platform: 'test', workspace: 'w2', channel: 'alpha' };

/** A fresh day of candidates: `count` per topic, upvotes favouring `popular`. */
function candidates(core: Core, count: number, popular: Topic) {
  const records = (['robots', 'vision', 'speech', 'proteins'] as Topic[]).flatMap((topic) =>
    Array.from({ length: count }, () => topicPaper(topic, { hfUpvotes: topic === popular ? 80 + Math.floor(Math.random() * 20) : Math.floor(Math.random() * 30) })));
  core.papers.upsertMany(records);
  return [...core.papers.getMany(records.map((r) => r.id)).values()];
}

describe('taste learning', () => {
  it('puts the one topic a team votes for first, above the upvoted ones, and explains with papers it voted on', async () => {
    const { core, clock } = setup();
    const { voted } = await history(core, alpha, { liked: ['robots'], votes: 20, clock });
    clock.t += 3 * DAY;
    await core.taste.settle();
    const status = core.taste.status(channelScope(alpha));
    expect(status).toMatchObject({ votes: 20, enough: true });
    expect(status.stored!.weakNegatives).toBeGreaterThan(50);
    expect(status.stored!.summary!.terms.map(([t]) => t)).toEqual(expect.arrayContaining(['robot']));

    const day = candidates(core, 5, 'vision');
    const { papers, picks } = await core.taste.rank(alpha, day, 'on');
    expect(papers.slice(0, 5).map(topicOf)).toEqual(['robots', 'robots', 'robots', 'robots', 'robots']);
    expect(picks.size).toBe(3);
    const titles = voted.map((p) => p.title);
    for (const reason of picks.values()) {
      expect(reason).toMatch(/^like (a paper|\d+ papers) you voted on: “/);
      const quoted = [...reason.matchAll(/“([^”]+)”/g)].map((m) => m[1]!.replace(/…$/, ''));
      expect(quoted.length).toBeGreaterThan(0);
      for (const q of quoted) expect(titles.some((t) => t.startsWith(q))).toBe(true);
    }
    // taste=off keeps the upvote order it was given.
    expect((await core.taste.rank(alpha, day, 'off')).papers).toEqual(day);
  });

  it('leans on upvotes until a channel has enough votes, and says so', async () => {
    const { core, clock } = setup();
    await history(core, alpha, { liked: ['robots'], votes: MIN_VOTES - 5, clock });
    clock.t += 3 * DAY;
    await core.taste.settle();
    expect(core.taste.status(channelScope(alpha))).toMatchObject({ votes: 10, enough: false });
    const day = candidates(core, 3, 'vision');
    const ranked = await core.taste.rank(alpha, day, 'strong');
    expect(ranked.papers).toEqual(day);
    expect(ranked.picks.size).toBe(0);
    const forYou = await core.taste.forYou(alpha, 'month');
    expect(forYou.status.enough).toBe(false);
    const upvotes = forYou.picks.map((p) => p.paper.hfUpvotes ?? 0);
    expect(upvotes).toEqual([...upvotes].sort((a, b) => b - a));
  });

  it('counts silence as a weak "no" only after two days, and 👎 as a strong one kept apart from votes', async () => {
    const { core, clock } = setup();
    const papers = [topicPaper('robots'), topicPaper('vision'), topicPaper('speech')];
    const messages = deliver(core, alpha, '2024-01-02', papers);
    expect(await react(core, alpha, messages.get(papers[0]!.id)!)).toBe('counted');
    expect(await react(core, alpha, messages.get(papers[1]!.id)!, { emoji: '👎' })).toBe('counted');
    expect(await react(core, alpha, messages.get(papers[1]!.id)!, { emoji: '😐' })).toBe('ignored');
    // A "not for me" is no vote: tallies do not move.
    expect(core.votes.teamVotes(papers[1]!.id, alpha)).toBe(0);
    clock.t += DAY;
    await core.taste.refit(channelScope(alpha));
    expect(core.taste.status(channelScope(alpha)).stored).toMatchObject({ positives: 1, strongNegatives: 1, weakNegatives: 0 });
    clock.t += 2 * DAY;
    await core.taste.refit(channelScope(alpha));
    expect(core.taste.status(channelScope(alpha)).stored).toMatchObject({ positives: 1, strongNegatives: 1, weakNegatives: 1 });
    // Taking the 👎 back takes it out of the model.
    expect(await react(core, alpha, messages.get(papers[1]!.id)!, { emoji: '👎', added: false })).toBe('removed');
    await core.taste.refit(channelScope(alpha));
    expect(core.taste.status(channelScope(alpha)).stored).toMatchObject({ positives: 1, strongNegatives: 0, weakNegatives: 2 });
  });

  it('ranks a topic marked 👎 below one voted for, where votes alone cannot tell them apart', async () => {
    const { core, clock } = setup();
    for (let d = 0; d < 6; d++) {
      clock.t += DAY;
      const papers = [...Array.from({ length: 3 }, () => topicPaper('robots')), ...Array.from({ length: 3 }, () => topicPaper('vision'))];
      const messages = deliver(core, alpha, new Date(clock.t).toISOString().slice(0, 10), papers);
      for (const paper of papers) {
        // Both topics get votes; vision also gets a 👎 from two others on each paper.
        await react(core, alpha, messages.get(paper.id)!);
        if (topicOf(paper) === 'vision') for (const user of ['u2', 'u3']) await react(core, alpha, messages.get(paper.id)!, { user, emoji: '👎' });
      }
    }
    await core.taste.refit(channelScope(alpha));
    expect(core.taste.status(channelScope(alpha)).stored).toMatchObject({ positives: 18, strongNegatives: 18 });
    const { papers } = await core.taste.rank(alpha, candidates(core, 4, 'vision').filter((p) => ['robots', 'vision'].includes(topicOf(p))), 'on');
    expect(papers.slice(0, 4).map(topicOf)).toEqual(['robots', 'robots', 'robots', 'robots']);
  });

  it('takes removed votes back out of the model', async () => {
    const { core, clock } = setup();
    const { voted } = await history(core, alpha, { liked: ['robots'], votes: 20, clock });
    clock.t += 3 * DAY;
    await core.taste.settle();
    expect(core.taste.status(channelScope(alpha)).votes).toBe(20);
    const messages = voted.map((p) => `w1/alpha/${p.id}`);
    for (const id of messages.slice(0, 10)) expect(await react(core, alpha, id, { added: false })).toBe('removed');
    await core.taste.settle();
    expect(core.taste.status(channelScope(alpha))).toMatchObject({ votes: 10, enough: false });
    expect(core.taste.status(channelScope(alpha)).stored!.summary!.voted).not.toContain(voted[0]!.id);
  });
});

describe('taste privacy', () => {
  it('keeps channels, their workspace and other workspaces apart', async () => {
    const { core, clock } = setup();
    const a = await history(core, alpha, { liked: ['robots'], votes: 20, clock });
    const b = await history(core, beta, { liked: ['speech'], votes: 20, clock });
    clock.t += 3 * DAY;
    await core.taste.settle();
    const day = candidates(core, 5, 'vision');
    const forAlpha = await core.taste.rank(alpha, day, 'on');
    const forBeta = await core.taste.rank(beta, day, 'on');
    expect(forAlpha.papers.slice(0, 3).map(topicOf)).toEqual(['robots', 'robots', 'robots']);
    expect(forBeta.papers.slice(0, 3).map(topicOf)).toEqual(['speech', 'speech', 'speech']);
    const betaTitles = b.voted.map((p) => p.title.slice(0, 20));
    for (const reason of forAlpha.picks.values()) expect(betaTitles.some((t) => reason.includes(t))).toBe(false);
    // The workspace learns from both of its channels.
    expect(core.taste.status(workspaceScope(alpha))).toMatchObject({ votes: 40, enough: true });
    expect(core.taste.status(channelScope(alpha)).stored!.summary!.voted.sort()).toEqual(a.voted.map((p) => p.id).sort());
    // The same channel name in another workspace has learned nothing.
    expect(core.taste.status(channelScope(elsewhere))).toMatchObject({ votes: 0, enough: false });
    expect((await core.taste.rank(elsewhere, day, 'on')).papers).toEqual(day);
    expect(core.taste.status(workspaceScope(elsewhere)).votes).toBe(0);
  });

  it('forgets on reset, and learns only from papers delivered after it', async () => {
    const { core, clock } = setup();
    const { voted } = await history(core, alpha, { liked: ['robots'], votes: 20, clock });
    clock.t += 3 * DAY;
    await core.taste.settle();
    expect(core.taste.status(channelScope(alpha)).enough).toBe(true);
    core.taste.reset(channelScope(alpha));
    expect(core.taste.status(channelScope(alpha))).toMatchObject({ votes: 0, enough: false });
    // A vote on an old paper after the reset refits, and still learns nothing from before it.
    await react(core, alpha, `w1/alpha/${voted[0]!.id}`, { user: 'u9' });
    await core.taste.settle();
    expect(core.taste.status(channelScope(alpha))).toMatchObject({ votes: 0, enough: false });
    expect(core.votes.teamVotes(voted[0]!.id, alpha)).toBe(2);
    // The workspace's model was not reset.
    expect(core.taste.status(workspaceScope(alpha)).votes).toBe(20);
    await history(core, alpha, { liked: ['speech'], votes: 16, clock });
    clock.t += 3 * DAY;
    await core.taste.settle();
    expect(core.taste.status(channelScope(alpha))).toMatchObject({ votes: 16, enough: true });
    const { papers } = await core.taste.rank(alpha, candidates(core, 4, 'robots'), 'on');
    expect(papers.slice(0, 3).map(topicOf)).toEqual(['speech', 'speech', 'speech']);
  });

  it('refits in the background after votes, without being asked', async () => {
    const { core, clock } = setup();
    await history(core, alpha, { liked: ['robots'], votes: 16, clock });
    clock.t += 3 * DAY;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await core.taste.settle();
    expect(core.taste.status(channelScope(alpha)).votes).toBe(16);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { Invoker } from '../../src/commands/command.js';
import { runCommand } from '../../src/commands/run.js';
import { Core } from '../../src/core/core.js';
import { plainText } from '../../src/core/render-plain.js';
import { channelScope } from '../../src/core/taste/scope.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { DAY, deliver, history, topicOf, topicPaper, type Clock } from '../core/taste/team.js';

let database: Database | undefined;
afterEach(() => database?.close());

const admin: Invoker = { platform: 'test', workspace: 'w1', channel: 'alpha', user: 'u1', canManage: true };
const member: Invoker = { ...admin, user: 'u2', canManage: false };

function setup(): { core: Core; clock: Clock } {
  database = openDatabase(':memory:');
  const clock = { t: Date.UTC(2024, 0, 1) };
  return { core: new Core({ database, now: () => clock.t, tasteRefitDelayMs: 1 }), clock };
}

async function run(core: Core, name: string, text: string, invoker = admin) {
  const reply = await runCommand({ name, input: { text }, invoker }, { core });
  return { reply, text: plainText(reply) };
}

async function trained() {
  const { core, clock } = setup();
  const team = await history(core, admin, { liked: ['robots'], votes: 20, clock });
  clock.t += 3 * DAY;
  await core.taste.settle();
  return { core, clock, ...team };
}

describe('/taste', () => {
  it('says it needs votes before it has any', async () => {
    const { core } = setup();
    const { text } = await run(core, 'taste', '');
    expect(text).toContain('Needs 15 votes');
    expect(text).toContain('lean on Hugging Face upvotes');
  });

  it('shows the top terms and what it learned from', async () => {
    const { core } = await trained();
    const { text } = await run(core, 'taste', '', member);
    expect(text).toContain('20 voted papers');
    expect(text).toMatch(/Top terms[^\n]*\n?[^\n]*robot/);
    expect(text).toContain('robots Lab');
    expect((await run(core, 'taste', 'workspace')).text).toContain('this team');
  });

  it('lets only managers reset, and a reset forgets', async () => {
    const { core } = await trained();
    const refused = await run(core, 'taste', 'reset', member);
    expect(refused.text).toContain('Only people who can manage');
    expect(core.taste.status(channelScope(admin)).enough).toBe(true);
    const done = await run(core, 'taste', 'reset');
    expect(done.text).toContain('Forgot the taste of this channel');
    expect(core.taste.status(channelScope(admin)).enough).toBe(false);
    expect((await run(core, 'taste', 'resett')).text).toContain('not a /taste option');
  });
});

describe('/foryou', () => {
  it('ranks papers the channel has not had by its taste, each with a reason', async () => {
    const { core, clock } = await trained();
    const fresh = (['robots', 'vision', 'speech', 'proteins'] as const).flatMap((topic) =>
      Array.from({ length: 4 }, () => topicPaper(topic, { publishedAt: new Date(clock.t - DAY).toISOString() })));
    core.papers.upsertMany(fresh);
    const { reply, text } = await run(core, 'foryou', 'week', member);
    expect(reply.kind).toBe('list');
    if (reply.kind !== 'list') return;
    const ids = reply.items.map((i) => i.url!.split('/').pop()!);
    const byId = new Map(fresh.map((p) => [p.id, p]));
    expect(ids.slice(0, 4).map((id) => topicOf(byId.get(id)!))).toEqual(['robots', 'robots', 'robots', 'robots']);
    expect(reply.items[0]!.text).toMatch(/^🎯 /);
    expect(text).toContain('For this channel, this week');
    // Delivered since the last /foryou: no longer offered.
    deliver(core, admin, '2024-02-01', [byId.get(ids[0]!)!]);
    const again = await run(core, 'foryou', 'week', member);
    expect(again.reply.kind === 'list' && again.reply.items.some((i) => i.url!.endsWith(ids[0]!))).toBe(false);
  });

  it('lists by upvotes before it has enough votes, and says so; a bad period changes nothing', async () => {
    const { core, clock } = setup();
    core.papers.upsertMany([topicPaper('vision', { hfUpvotes: 3, publishedAt: new Date(clock.t).toISOString() }), topicPaper('robots', { hfUpvotes: 30, publishedAt: new Date(clock.t).toISOString() })]);
    const { text } = await run(core, 'foryou', '');
    expect(text).toContain('Not enough votes');
    expect(text.indexOf('▲ 30')).toBeLessThan(text.indexOf('▲ 3 '));
    const bad = await run(core, 'foryou', 'year');
    expect(bad.reply).toMatchObject({ kind: 'text', ephemeral: true });
    expect(bad.text).toMatch(/day, week, month|day\|week\|month/);
  });
});

describe('/similar', () => {
  it('finds stored papers on the same topic', async () => {
    const { core } = setup();
    const papers = (['robots', 'vision', 'speech'] as const).flatMap((topic) => Array.from({ length: 6 }, () => topicPaper(topic)));
    core.papers.upsertMany(papers);
    const { reply } = await run(core, 'similar', papers[0]!.id);
    expect(reply.kind).toBe('list');
    if (reply.kind !== 'list') return;
    expect(reply.items.length).toBeGreaterThan(2);
    const byId = new Map(papers.map((p) => [p.id, p]));
    const topics = reply.items.map((i) => topicOf(byId.get(i.url!.split('/').pop()!)!));
    expect(topics.slice(0, 3)).toEqual(['robots', 'robots', 'robots']);
    expect(reply.items.some((i) => i.url!.endsWith(papers[0]!.id))).toBe(false);
  });

  it('answers a bad id with one short message', async () => {
    const { core } = setup();
    const { reply } = await run(core, 'similar', 'not-an-id');
    expect(reply).toMatchObject({ kind: 'text', ephemeral: true });
  });
});

describe('/subscribe taste settings', () => {
  it('reads taste= and down=', async () => {
    const { core } = setup();
    await run(core, 'subscribe', 'taste=strong down=🙅');
    expect(core.subscriptions.find(admin)).toMatchObject({ taste: 'strong', downEmojis: ['🙅'] });
    const bad = await run(core, 'subscribe', 'taste=max');
    expect(bad.text).toContain('taste must be off, on or strong');
    expect(core.subscriptions.find(admin)?.taste).toBe('strong');
  });
});

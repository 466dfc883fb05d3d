import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Invoker } from '../../src/commands/command.js';
import { runCommand } from '../../src/commands/run.js';
import { plainText } from '../../src/core/render-plain.js';
import { createTestCore, type TestCore } from '../helpers/test-core.js';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.close());

const admin: Invoker = { platform: 'test', workspace: 'w', channel: 'c', user: 'u1', canManage: true };
const member: Invoker = { ...admin, user: 'u2', canManage: false };

async function run(name: string, text: string, invoker = admin) {
  const reply = await runCommand({ name, input: { text }, invoker }, { core: t.core });
  return { reply, text: plainText(reply) };
}

describe('/subscribe', () => {
  it('shows the defaults before subscribing', async () => {
    const { text } = await run('subscribe', '');
    expect(text).toContain('Not subscribed yet');
    expect(text).toContain('09:00 UTC, Mon–Fri');
    expect(text).toContain('👍 🔥 ⬆️ ❤️');
  });

  it('subscribes and changes settings', async () => {
    const { text } = await run('subscribe', 'time=8:30 tz=Asia/Seoul days=mon,wed,fri size=5 lang=Korean style=bullets emojis=👍🔥 min=3 include=llm,"diffusion models" roundup="fri 16:00"');
    expect(text).toContain('Subscribed');
    expect(t.core.subscriptions.find(admin)).toMatchObject({
      time: '08:30', timezone: 'Asia/Seoul', weekdays: [1, 3, 5], size: 5, language: 'ko', style: 'bullets',
      voteEmojis: ['👍', '🔥'], minUpvotes: 3, includeKeywords: ['llm', 'diffusion models'], roundup: 'fri 16:00', active: true,
    });
    const second = await run('subscribe', 'size=12');
    expect(second.text).toContain('Updated size');
    expect(t.core.subscriptions.find(admin)?.size).toBe(12);
  });

  it.each([
    ['tz=Mars/Olympus', 'timezone must be an IANA name'],
    ['time=25:00', 'time must be HH:MM'],
    ['time=9am', 'time must be HH:MM'],
    ['size=0', 'size must be a whole number from 1 to 50'],
    ['size=51', 'size must be a whole number from 1 to 50'],
    ['size=ten', 'size must be a whole number'],
    ['emojis=abc', 'emojis must be emoji characters'],
    ['emojis=😀😁😂🤣😃😄😅😆😉😊😋', 'between 1 and 10 emojis'],
    ['days=someday', 'days must be like mon-fri'],
    ['style=haiku', 'style must be one of tldr, bullets, pulse, insights'],
    ['lang=klingon', 'klingon'],
    ['source=rss', 'source must be hf'],
    ['cats=cs.CL;DROP', 'categories must be arXiv categories'],
    ['roundup=someday', 'roundup must be a day and time'],
    ['colour=blue', '"colour=blue" is not a setting'],
    ['time=08:00 size=99', 'size must be'],
  ])('refuses %s and changes nothing', async (input, message) => {
    t.core.subscriptions.save(admin, { time: '07:15' });
    const { reply, text } = await run('subscribe', input);
    expect(reply).toMatchObject({ kind: 'text', ephemeral: true });
    expect(text).toContain('Nothing changed');
    expect(text).toContain(message);
    expect(t.core.subscriptions.find(admin)).toMatchObject({ time: '07:15', size: 10 });
  });

  it('refuses people who cannot manage the channel, and changes nothing', async () => {
    const { reply, text } = await run('subscribe', 'size=3', member);
    expect(reply).toMatchObject({ ephemeral: true });
    expect(text).toMatch(/Only people who can manage this channel/);
    expect(t.core.subscriptions.find(admin)).toBeUndefined();
    expect((await run('unsubscribe', '', member)).text).toMatch(/Only people/);
    expect((await run('digest', '', member)).text).toMatch(/Only people/);
  });

  it('unsubscribes and keeps the settings for later', async () => {
    await run('subscribe', 'size=7');
    expect((await run('unsubscribe', '')).text).toContain('Unsubscribed');
    expect(t.core.subscriptions.active()).toHaveLength(0);
    expect((await run('unsubscribe', '')).text).toContain('not subscribed');
    await run('subscribe', 'time=10:00');
    expect(t.core.subscriptions.find(admin)).toMatchObject({ size: 7, time: '10:00', active: true });
  });
});

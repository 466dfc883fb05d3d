import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Invoker } from '../../src/commands/command.js';
import { runCommand } from '../../src/commands/run.js';
import { plainText } from '../../src/core/render-plain.js';
import { record } from '../helpers/records.js';
import { RecordingChat } from '../helpers/recording-chat.js';
import { createTestCore, type TestCore } from '../helpers/test-core.js';
import { startFakeArxiv, type FakeArxiv } from '../fakes/arxiv-server.js';

let t: TestCore;
beforeEach(() => {
  t = createTestCore({ now: () => Date.parse('2026-06-01T12:00:00Z') });
  t.core.papers.upsert(record({ id: '2403.08295', title: 'Gemma' }));
});
afterEach(() => t.close());

const admin: Invoker = { platform: 'test', workspace: 'w', channel: 'c', user: 'u1', canManage: true };

async function run(name: string, text: string, core = t.core, chat?: RecordingChat) {
  const reply = await runCommand({ name, input: { text }, invoker: admin, chat }, { core });
  return { reply, text: plainText(reply) };
}

const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

describe('option words are looked up among our own names only', () => {
  it.each(INHERITED)('/paper 2403.08295 %s answers "unknown language", not an internal error', async (word) => {
    const { reply, text } = await run('paper', `2403.08295 ${word}`);
    expect(reply).toMatchObject({ kind: 'text', ephemeral: true });
    expect(text).toContain(`Unknown language "${word}"`);
    expect(text).not.toMatch(/went wrong|TypeError/);
  });

  it.each(INHERITED)('/paper 2403.08295 ko %s refuses the word as a language too', async (word) => {
    const { text } = await run('paper', `2403.08295 ${word} ko`);
    expect(text).toContain('Unknown language');
  });

  it.each(INHERITED)('/subscribe %s=1 is refused as an unknown setting and changes nothing', async (word) => {
    const { reply, text } = await run('subscribe', `${word}=1`);
    expect(reply).toMatchObject({ kind: 'text', ephemeral: true });
    expect(text).toContain(`"${word}=1" is not a setting`);
    expect(t.core.subscriptions.find(admin)).toBeUndefined();
  });

  it('/subscribe constructor=x beside a good setting still changes nothing', async () => {
    const { text } = await run('subscribe', 'size=5 constructor=x');
    expect(text).toContain('Nothing changed');
    expect(t.core.subscriptions.find(admin)).toBeUndefined();
  });
});

describe('strict numbers', () => {
  it.each([
    ['size=0x10', 'size must be a whole number from 1 to 50, digits only (not "0x10")'],
    ['min=1e4', 'min must be a whole number from 0 to 10000, digits only (not "1e4")'],
    ['size=+5', 'size must be a whole number from 1 to 50, digits only (not "+5")'],
    ['size= 5', 'size must be a whole number from 1 to 50, digits only (not " 5")'],
    ['size=5.0', 'size must be a whole number from 1 to 50, digits only (not "5.0")'],
    ['size=-1', 'size must be'],
    ['size=٥', 'size must be'],
    ['size=', 'size must be'],
    ['min=0b11', 'min must be'],
    ['min=Infinity', 'min must be'],
  ])('%s is refused in one line', async (input, message) => {
    const { reply, text } = await run('subscribe', input);
    expect(reply).toMatchObject({ kind: 'text', ephemeral: true });
    expect(text).toContain(message);
    expect(text.split('\n')).toHaveLength(1);
    expect(t.core.subscriptions.find(admin)).toBeUndefined();
  });

  it('plain digits are read', async () => {
    await run('subscribe', 'size=07 min=10000');
    expect(t.core.subscriptions.find(admin)).toMatchObject({ size: 7, minUpvotes: 10_000 });
  });
});

describe('replies name the settings as users type them', () => {
  it('says "Updated include, min, tz, lang, emojis, notify-empty", never the stored field names', async () => {
    await run('subscribe', 'time=09:00');
    const { text } = await run('subscribe', 'keywords=agents min=3 zone=Europe/Berlin language=ko votes=👍 empty=yes');
    expect(text).toContain('Updated include, min, tz, lang, emojis, notify-empty.');
    expect(text).not.toMatch(/includeKeywords|minUpvotes|timezone,|voteEmojis|notifyEmpty/);
  });
});

describe('arXiv categories', () => {
  it('source=arxiv without cats is refused, saying what to add', async () => {
    const { reply, text } = await run('subscribe', 'source=arxiv');
    expect(reply).toMatchObject({ kind: 'text', ephemeral: true });
    expect(text).toBe('Nothing changed: source=arxiv lists papers by category, so it needs cats= too, e.g. source=arxiv cats=cs.CL,cs.LG.');
    expect(t.core.subscriptions.find(admin)).toBeUndefined();
  });

  it('source=arxiv is taken when the channel already has categories, and cats=none is then refused', async () => {
    await run('subscribe', 'cats=cs.CL');
    await run('subscribe', 'source=arxiv');
    expect(t.core.subscriptions.find(admin)).toMatchObject({ source: 'arxiv', categories: ['cs.CL'] });
    const { text } = await run('subscribe', 'cats=none');
    expect(text).toContain('needs cats=');
    expect(t.core.subscriptions.find(admin)?.categories).toEqual(['cs.CL']);
  });

  it.each([
    ['cats=a', '"a" is not one'],
    ['cats=cs.XY', "arXiv's cs categories are cs.AI, cs.AR"],
    ['cats=cs', '"cs" is not one'],
    ['cats=cs.CL;DROP', 'cats must be arXiv categories'],
    ['cats=constructor', '"constructor" is not one'],
    ['cats=cmp-lg', '"cmp-lg" is not one'],
  ])('%s is refused', async (input, message) => {
    const { text } = await run('subscribe', input);
    expect(text).toContain(message);
    expect(t.core.subscriptions.find(admin)).toBeUndefined();
  });

  it("normalises any case to arXiv's spelling", async () => {
    const { text } = await run('subscribe', 'source=arxiv cats=cs.cl,CS.LG,Cond-Mat.Str-El,HEP-TH,stat.ml,cs.CL');
    expect(text).toContain('Subscribed');
    expect(t.core.subscriptions.find(admin)?.categories).toEqual(['cs.CL', 'cs.LG', 'cond-mat.str-el', 'hep-th', 'stat.ML']);
  });
});

describe('dates papers can have', () => {
  it.each(['0000-01-01', '1990-12-31', '2028-01-01', '9999-12-31'])('/digest %s is refused before anything is posted', async (date) => {
    const chat = new RecordingChat();
    const { reply, text } = await run('digest', date, t.core, chat);
    expect(reply).toMatchObject({ kind: 'text', ephemeral: true });
    expect(text).toBe(`"${date}" is outside the days papers can have: use a date from 1991-01-01 to 2027-12-31.`);
    expect(text).not.toContain('Sat 1 Jan 1');
    expect(chat.posts).toHaveLength(0);
  });

  it('fetchDaily refuses the same days before asking Hugging Face', async () => {
    await expect(t.core.dailyLists.fetch('0000-01-01')).rejects.toThrow(/No Hugging Face source|outside the days/);
  });

  it.each([['since:0000', 'since: "0000-01-01" is outside'], ['since:1990-06', 'is outside'], ['since:2024-02-30', 'since: needs a date']])(
    '/search gemma %s is refused',
    async (filter, message) => {
      const { text } = await run('search', `gemma ${filter}`);
      expect(text).toContain(message);
    },
  );

  it('the first and last allowed days are accepted', async () => {
    expect((await run('search', 'gemma since:1991-01-01')).text).not.toContain('outside');
  });
});

describe('a version that does not exist', () => {
  let arxiv: FakeArxiv;
  beforeEach(async () => {
    arxiv = await startFakeArxiv({
      papers: [{ id: '2501.00001', version: 2, title: 'Two Versions', summary: 'A paper with two versions.', authors: ['Ada Lovelace'], published: '2025-01-01T00:00:00Z', updated: '2025-02-01T00:00:00Z', categories: ['cs.CL'] }],
    });
  });
  afterEach(() => arxiv.close());

  it('/paper 2501.00001v7 shows v2 and says arXiv has no v7', async () => {
    const withArxiv = createTestCore({ arxivUrl: `${arxiv.url}/api/query` });
    try {
      const { reply, text } = await run('paper', '2501.00001v7', withArxiv.core);
      expect(reply.kind).toBe('card');
      expect(text.split('\n')[0]).toBe('arXiv has v1 to v2 of 2501.00001 only, no v7; showing v2.');
      expect(text).toContain('arXiv:2501.00001v2');
    } finally {
      withArxiv.close();
    }
  });

  it('/paper 2501.00001v1 shows the latest and links the one asked for', async () => {
    const withArxiv = createTestCore({ arxivUrl: `${arxiv.url}/api/query` });
    try {
      await run('paper', '2501.00001', withArxiv.core);
      const { text } = await run('paper', '2501.00001v1', withArxiv.core);
      expect(text.split('\n')[0]).toBe('Showing the latest version, v2; v1 is at https://arxiv.org/abs/2501.00001v1');
    } finally {
      withArxiv.close();
    }
  });

  it('the version asked for, or none, adds no note', async () => {
    const withArxiv = createTestCore({ arxivUrl: `${arxiv.url}/api/query` });
    try {
      const asked = await run('paper', '2501.00001v2', withArxiv.core);
      expect(asked.reply.kind).toBe('card');
      expect(asked.reply).not.toHaveProperty('text');
      const plain = await run('paper', '2501.00001', withArxiv.core);
      expect(plain.reply.kind).toBe('card');
      expect(plain.reply).not.toHaveProperty('text');
    } finally {
      withArxiv.close();
    }
  });
});

import type { ChatInputCommandInteraction } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteractionResponder } from '../../../src/adapters/discord/responder.js';
import type { InteractionRecord } from '../../fakes/discord/index.js';
import { FAKE_USER, MANAGE_GUILD, MEMBER_PERMISSIONS } from '../../fakes/discord/index.js';
import { waitFor } from '../../fakes/discord/wait-for.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

type Body = Record<string, unknown> & { flags?: number; content?: string; embeds?: { title?: string; description?: string }[]; allowed_mentions?: unknown };
const EPHEMERAL = 64;
const ADMINISTRATOR = 1n << 3n;

/** Waits until the interaction has a final answer: a reply, an edit of the deferral, or a follow-up. */
async function answered(record: InteractionRecord, count = 1) {
  await waitFor(() => record.responses.filter((r) => r.kind !== 'delete-original' && !(r.kind === 'callback' && r.body?.type === 5)).length >= count, {
    what: `an answer to interaction ${record.id}`,
  });
  return record.responses;
}

/** The message body the user finally sees (a type 4 reply's data, an edit, or a follow-up). */
function shown(record: InteractionRecord): Body {
  const final = record.responses.filter((r) => r.kind !== 'delete-original' && !(r.kind === 'callback' && r.body?.type === 5));
  const first = final[0];
  if (!first?.body) throw new Error('no answer');
  return (first.kind === 'callback' ? first.body.data : first.body) as Body;
}

describe('slash commands', () => {
  it('/paper defers at once, then edits the deferral with the card', async () => {
    const record = h.fake.pushCommand({ name: 'paper', options: [{ name: 'id', value: 'https://huggingface.co/papers/2403.08295' }] });
    const responses = await answered(record);
    expect(responses[0]).toMatchObject({ kind: 'callback', body: { type: 5 } });
    expect(responses[0]?.afterMs).toBeLessThan(3000);
    expect(responses[1]?.kind).toBe('edit-original');
    const body = shown(record);
    expect(body.embeds?.[0]?.title).toBe('Gemma: Open Models Based on Gemini Research and Technology');
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(h.hf.requests.some((r) => r.path === '/api/papers/2403.08295')).toBe(true);
  });

  it('/paper with an unknown id answers privately, replacing the public deferral', async () => {
    const record = h.fake.pushCommand({ name: 'paper', options: [{ name: 'id', value: 'not an id' }] });
    await answered(record);
    const kinds = record.responses.map((r) => r.kind);
    expect(kinds).toEqual(['callback', 'delete-original', 'followup']);
    const body = shown(record);
    expect(body.flags).toBe(EPHEMERAL);
    expect(body.content).toMatch(/arXiv/);
  });

  it('/paper language:constructor answers "unknown language" privately, not an internal error', async () => {
    const record = h.fake.pushCommand({ name: 'paper', options: [{ name: 'id', value: '2403.08295' }, { name: 'language', value: 'constructor' }] });
    await answered(record);
    const body = shown(record);
    expect(body.flags).toBe(EPHEMERAL);
    expect(body.content).toContain('Unknown language "constructor"');
    expect(body.content).not.toMatch(/went wrong|TypeError/);
  });

  it('/search answers in one reply with the matches as a list', async () => {
    const record = h.fake.pushCommand({ name: 'search', options: [{ name: 'query', value: 'Gemma' }] });
    await answered(record);
    const body = shown(record);
    expect(record.responses[0]?.kind).toBe('callback');
    expect(record.responses[0]?.body?.type).toBe(4);
    expect(JSON.stringify(body)).toMatch(/Gemma|No papers match/);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('/help answers privately at once', async () => {
    const record = h.fake.pushCommand({ name: 'help' });
    await answered(record);
    expect(record.responses[0]?.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(shown(record).content).toContain('/paper');
    expect(shown(record).content).not.toContain('/subscribe');
  });

  it('refuses /subscribe and /digest to members without Manage Server, without deferring', async () => {
    for (const name of ['subscribe', 'digest']) {
      const record = h.fake.pushCommand({ name, permissions: MEMBER_PERMISSIONS });
      await answered(record);
      expect(record.responses).toHaveLength(1);
      expect(record.responses[0]?.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
      expect(shown(record).content).toMatch(new RegExp(`Only people who can manage this channel can use /${name}`));
    }
    expect(h.app.core.subscriptions.find({ platform: 'discord', workspace: '400000000000000001', channel: '500000000000000001' })).toBeUndefined();
  });

  it('lets Manage Server (or Administrator) change /subscribe, and shows it in the channel', async () => {
    const record = h.fake.pushCommand({ name: 'subscribe', options: [{ name: 'settings', value: 'time=08:30 size=5' }], permissions: MEMBER_PERMISSIONS | MANAGE_GUILD });
    await answered(record);
    expect(shown(record).flags).toBeUndefined();
    const saved = h.app.core.subscriptions.find({ platform: 'discord', workspace: '400000000000000001', channel: '500000000000000001' });
    expect(saved?.time).toBe('08:30');
    expect(saved?.size).toBe(5);

    const view = h.fake.pushCommand({ name: 'subscribe', permissions: ADMINISTRATOR });
    await answered(view);
    expect(shown(view).flags).toBe(EPHEMERAL);
    expect(JSON.stringify(shown(view))).toContain('08:30');
  });

  it('lone surrogates in options are made well-formed before anything reads them: never echoed, never stored', async () => {
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const record = h.fake.pushCommand({ name: 'subscribe', options: [{ name: 'settings', value: 'include=agents\uD800x,\uDC00models' }], permissions: MEMBER_PERMISSIONS | MANAGE_GUILD });
    await answered(record);
    const saved = h.app.core.subscriptions.find({ platform: 'discord', workspace: '400000000000000001', channel: '500000000000000001' });
    expect(saved?.includeKeywords).toEqual(['agents\uFFFDx', '\uFFFDmodels']);
    expect(JSON.stringify(shown(record))).not.toMatch(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i);

    const paper = h.fake.pushCommand({ name: 'paper', options: [{ name: 'id', value: '2403.08295' }, { name: 'language', value: 'kor\uD83Dean' }] });
    await answered(paper);
    const content = shown(paper).content ?? '';
    expect(content).toContain('Unknown language "kor\uFFFDean"');
    expect(lone.test(content)).toBe(false);
  });

  it('/top answers with the leaderboard or its empty message', async () => {
    const record = h.fake.pushCommand({ name: 'top', options: [{ name: 'period', value: 'all' }, { name: 'scope', value: 'global' }] });
    await answered(record);
    expect(JSON.stringify(shown(record))).toMatch(/vote|Top|top/);
  });

  it('rejects a value outside the choices before running the command', async () => {
    const record = h.fake.pushCommand({ name: 'top', options: [{ name: 'period', value: 'decade' }] });
    await answered(record);
    expect(shown(record)).toMatchObject({ flags: EPHEMERAL, content: 'period must be one of day, week, month, all.' });
  });

  it('answers an unknown command privately', async () => {
    const record = h.fake.pushCommand({ name: 'frobnicate' });
    await answered(record);
    expect(shown(record).flags).toBe(EPHEMERAL);
    expect(shown(record).content).toMatch(/Unknown command \/frobnicate/);
  });

  it('never pings, whatever the user typed', async () => {
    const record = h.fake.pushCommand({ name: 'search', options: [{ name: 'query', value: '@everyone <@123> hi' }], user: FAKE_USER });
    await answered(record);
    const all = JSON.stringify(record.responses);
    expect(all).not.toMatch(/@everyone|<@123>/);
  });
});

describe('/translate and autocomplete', () => {
  it('/translate without a language model explains how to set one up, privately', async () => {
    const record = h.fake.pushCommand({ name: 'translate', options: [{ name: 'id', value: '2403.08295' }, { name: 'language', value: 'ko' }] });
    await answered(record);
    expect(record.responses[0]).toMatchObject({ kind: 'callback', body: { type: 5 } });
    expect(shown(record).flags).toBe(EPHEMERAL);
    expect(shown(record).content).toMatch(/^Translation needs a language model/);
  });

  it('/translate with a language model posts the translated card in the channel', async () => {
    const withLlm = await startHarness({ llm: true });
    try {
      const record = withLlm.fake.pushCommand({ name: 'translate', options: [{ name: 'id', value: '2403.08295' }, { name: 'language', value: 'Korean' }] });
      await answered(record);
      expect(record.responses.map((r) => r.kind)).toEqual(['callback', 'edit-original']);
      const body = shown(record);
      expect(body.flags).toBeUndefined();
      expect(body.embeds?.[0]?.description).toMatch(/[가-힣]/);
      expect(withLlm.llm?.chats.some((c) => c.task === 'translation' && c.language === 'ko')).toBe(true);
    } finally {
      await withLlm.close();
    }
  });

  it('suggests languages while the user types', async () => {
    const record = h.fake.pushCommand({ name: 'translate', autocomplete: true, options: [{ name: 'id', value: '2403.08295' }, { name: 'language', value: 'kor', focused: true }] });
    await waitFor(() => record.responses[0], { what: 'the autocomplete answer' });
    expect(record.responses[0]?.body).toMatchObject({ type: 8, data: { choices: [{ value: 'ko' }] } });
    expect(String((record.responses[0]?.body?.data as { choices: { name: string }[] }).choices[0]?.name)).toContain('Korean');
  });

  it('suggests nothing for an option without suggestions', async () => {
    const record = h.fake.pushCommand({ name: 'translate', autocomplete: true, options: [{ name: 'id', value: '24', focused: true }] });
    await waitFor(() => record.responses[0], { what: 'the autocomplete answer' });
    expect(record.responses[0]?.body).toMatchObject({ type: 8, data: { choices: [] } });
  });
});

describe('a quick command that turns out slow', () => {
  it('is deferred by the safety net before 3 s, then the deferral is edited', async () => {
    const calls: string[] = [];
    const interaction = {
      deferred: false,
      replied: false,
      ephemeral: null as boolean | null,
      async deferReply() {
        calls.push('defer');
        this.deferred = true;
        this.ephemeral = false;
      },
      async editReply() {
        calls.push('edit');
      },
      async reply() {
        calls.push('reply');
        this.replied = true;
      },
      async followUp() {
        calls.push('followUp');
      },
      async deleteReply() {
        calls.push('delete');
      },
    };
    const responder = new InteractionResponder(interaction as unknown as ChatInputCommandInteraction, 20);
    await waitFor(() => calls.includes('defer'), { what: 'the safety-net deferral' });
    await responder.send({ kind: 'text', text: 'done' });
    expect(calls).toEqual(['defer', 'edit']);
  });
});

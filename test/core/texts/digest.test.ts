import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../../src/core/core.js';
import { DEFAULT_SETTINGS, type DigestSettings } from '../../../src/core/subscriptions/settings.js';
import type { Database } from '../../../src/db/database.js';
import { HfClient } from '../../../src/sources/hf.js';
import { startFakeHf, type FakeHf } from '../../fakes/hf-server.js';
import type { FakeLlm } from '../../fakes/llm-server.js';
import { fakeLlmClient, fakeLlmEachTest } from '../../helpers/fake-llm-each-test.js';
import { RecordingChat } from '../../helpers/recording-chat.js';
import { testHttp } from '../../helpers/test-core.js';

const DATE = '2024-03-14';
const settings = (over: Partial<DigestSettings>): DigestSettings => ({ ...DEFAULT_SETTINGS, size: 3, ...over });
const channel = (id: string) => ({ platform: 'test', workspace: 'w1', channel: id });

let hf: FakeHf;
let fake: FakeLlm;
let database: Database;

beforeAll(async () => {
  hf = await startFakeHf();
});
afterAll(() => hf.close());
fakeLlmEachTest((f, d) => {
  fake = f;
  database = d;
});

function core(withLlm: boolean): Core {
  return new Core({
    database,
    hf: new HfClient({ apiUrl: hf.url, http: testHttp }),
    ...(withLlm ? { llm: fakeLlmClient(fake) } : {}),
  });
}

const papersOf = (chat: RecordingChat) => chat.posts.filter((p) => p.reply.kind === 'card').map((p) => (p.reply.kind === 'card' ? p.reply.card : undefined)!);
const headerOf = (chat: RecordingChat) => chat.posts.find((p) => p.reply.kind === 'text')!.reply;

describe('digest texts', () => {
  it('3 channels in 2 languages make papers × 2 calls', async () => {
    const c = core(true);
    const chats = [new RecordingChat(), new RecordingChat(), new RecordingChat()];
    const wanted = [settings({ language: 'ko', style: 'bullets' }), settings({ language: 'ru', style: 'bullets' }), settings({ language: 'ko', style: 'bullets' })];
    const outcomes = await Promise.all(chats.map((chat, i) => c.digests.deliver(chat, channel(`c${i}`), DATE, wanted[i]!)));
    expect(outcomes.map((o) => o.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(fake.chats).toHaveLength(3 * 2);
    expect(new Set(fake.chats.map((r) => `${r.user.slice(0, 40)}|${r.language}`)).size).toBe(6);
    // Each channel reads its own language, and no header carries a note.
    expect(papersOf(chats[0]!).every((card) => /^- .*[\uac00-\ud7a3]/.test(card.body ?? ''))).toBe(true);
    expect(papersOf(chats[1]!).every((card) => /[а-я]/.test(card.body ?? ''))).toBe(true);
    expect(papersOf(chats[2]!).map((card) => card.body)).toEqual(papersOf(chats[0]!).map((card) => card.body));
    for (const chat of chats) expect(headerOf(chat)).toMatchObject({ text: expect.not.stringContaining('\n') });
  });

  it('with no model, posts English fallbacks with one note in the header', async () => {
    const chat = new RecordingChat();
    await core(false).digests.deliver(chat, channel('c1'), DATE, settings({ language: 'ko', style: 'pulse' }));
    const header = headerOf(chat);
    expect(header.kind === 'text' && header.text.split('\n')).toHaveLength(2);
    expect(header.kind === 'text' && header.text).toMatch(/English.*needs a language model \(set LLM_BASE_URL and LLM_MODEL\)/);
    const [gemma, continual, vlogger] = papersOf(chat);
    expect(gemma!.body).toMatch(/^Gemma is a family of lightweight/); // HF's ai_summary
    expect(continual!.body).toBeTruthy();
    // No ai_summary: the abstract's first sentences, cut where a sentence ends.
    expect(vlogger!.body).toMatch(/^We propose VLOGGER.*\.$/);
    expect(vlogger!.body!.length).toBeLessThanOrEqual(700);
    expect(chat.posts.filter((p) => p.reply.kind === 'text' && /language model/.test(p.reply.text))).toHaveLength(1);
    expect(fake.requests).toHaveLength(0);
  });

  it('with the model down, still delivers every paper with one note', async () => {
    fake.rule(() => ({ status: 500 }));
    const chat = new RecordingChat();
    const outcome = await core(true).digests.deliver(chat, channel('c1'), DATE, settings({ language: 'ru', style: 'tldr' }));
    expect(outcome).toMatchObject({ status: 'delivered', papers: 3 });
    expect(papersOf(chat)).toHaveLength(3);
    const header = headerOf(chat);
    expect(header.kind === 'text' && header.text.split('\n')).toHaveLength(2);
  });
});

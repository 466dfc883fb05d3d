import { describe, expect, it, vi } from 'vitest';
import type { Invoker } from '../../src/commands/command.js';
import { parseArguments } from '../../src/commands/arguments.js';
import { commands, findCommand } from '../../src/commands/index.js';
import { runCommand } from '../../src/commands/run.js';
import { Core } from '../../src/core/core.js';
import { plainText } from '../../src/core/render-plain.js';
import type { Reply } from '../../src/core/reply.js';
import type { Database } from '../../src/db/database.js';
import { fakeLlmClient, fakeLlmEachTest } from '../helpers/fake-llm-each-test.js';
import { record } from '../helpers/records.js';
import { GEMMA, SAMPLE_SENTENCES, type FakeLlm } from '../fakes/llm-server.js';

let fake: FakeLlm;
let database: Database;
const invoker: Invoker = { platform: 'test', workspace: 'w', channel: 'c', user: 'u', canManage: false };

fakeLlmEachTest((f, d) => {
  fake = f;
  database = d;
});

function coreWith(llm: boolean, textBudgetMs?: number): Core {
  const core = new Core({ database, textBudgetMs, ...(llm ? { llm: fakeLlmClient(fake) } : {}) });
  core.papers.upsert(record(GEMMA));
  return core;
}

async function run(core: Core, name: string, text: string): Promise<{ reply: Reply; text: string }> {
  let reply: Reply;
  try {
    reply = await runCommand({ name, input: { text }, invoker }, { core });
  } catch (err) {
    throw new Error(`runCommand threw: ${String(err)}`, { cause: err });
  }
  return { reply, text: plainText(reply) };
}

describe('/translate', () => {
  it('is registered, slow, and takes an id and a language', () => {
    const translate = commands.find((c) => c.name === 'translate');
    expect(translate).toMatchObject({ slow: true, usage: '<id or url> <language>' });
    expect(translate!.options.map((o) => [o.name, o.required, o.autocomplete])).toEqual([['id', true, undefined], ['language', true, 'language']]);
  });

  it('translates the title and the abstract', async () => {
    const { reply, text } = await run(coreWith(true), 'translate', 'https://arxiv.org/abs/2403.08295v1 Russian');
    expect(reply.kind).toBe('card');
    if (reply.kind !== 'card') return;
    expect(reply.text).toBeUndefined();
    expect(reply.card.title).toBe('Gemma');
    expect(reply.card.body).toContain(SAMPLE_SENTENCES.ru![1]);
    expect(reply.card.footer).toContain('machine translation into Russian');
    expect(reply.card.url).toBe('https://arxiv.org/abs/2403.08295');
    expect(text).not.toContain('This work introduces');
    expect(fake.chats).toHaveLength(1);
    expect(fake.chats[0]!.language).toBe('ru');
  });

  it('says how to set up a model when none is configured, before fetching anything', async () => {
    const { reply, text } = await run(coreWith(false), 'translate', '2403.99999 ko');
    expect(reply).toMatchObject({ kind: 'text', ephemeral: true });
    expect(text).toMatch(/^Translation needs a language model\. Set LLM_BASE_URL .*LLM_MODEL/);
    expect(text).toContain('http://localhost:11434/v1');
  });

  it('answers an unknown language with examples', async () => {
    const { text } = await run(coreWith(true), 'translate', '2403.08295 elvish');
    expect(text).toMatch(/Unknown language "elvish"\. Use an ISO code or a name, e\.g\. ko, Korean, 한국어/);
    expect(fake.chats).toHaveLength(0);
  });

  it('shows the original with a note when the model fails', async () => {
    fake.rule(() => ({ status: 503 }));
    const { reply } = await run(coreWith(true), 'translate', '2403.08295 ko');
    expect(reply.kind).toBe('card');
    if (reply.kind !== 'card') return;
    expect(reply.text).toMatch(/could not translate this into Korean right now; here is the original/);
    expect(reply.card.title).toBe(GEMMA.title);
    expect(reply.card.body).toMatch(/^This work introduces Gemma/);
  });
});

describe('/paper [language] [style]', () => {
  it('reads language and style in either order', async () => {
    const paper = findCommand('paper')!;
    const read = (text: string) => parseArguments(paper, { text: `2403.08295 ${text}` });
    expect(read('ko bullets')).toEqual({ id: '2403.08295', language: 'ko', style: 'bullets' });
    expect(read('bullets')).toEqual({ id: '2403.08295', style: 'bullets' });
    expect(read('bullets ko')).toEqual({ id: '2403.08295', language: 'ko', style: 'bullets' });
    expect(read('Brazilian Portuguese pulse')).toEqual({ id: '2403.08295', language: 'Brazilian Portuguese', style: 'pulse' });
    expect(read('')).toEqual({ id: '2403.08295' });
    expect(read('ko haiku')).toEqual({ id: '2403.08295', language: 'ko haiku' });
    expect((await run(coreWith(false), 'paper', '2403.08295 ko haiku')).text).toMatch(/Unknown language "ko haiku"/);
    expect(parseArguments(paper, { options: [{ name: 'id', value: '2403.08295' }, { name: 'style', value: 'Bullets' }] })).toEqual({ id: '2403.08295', style: 'bullets' });
  });

  it('keeps the plain card without options, and makes no call', async () => {
    const { reply } = await run(coreWith(true), 'paper', '2403.08295');
    expect(reply.kind === 'card' && reply.card.body).toBe(GEMMA.aiSummary);
    expect(fake.chats).toHaveLength(0);
  });

  it('summarises in the asked language and style', async () => {
    const { reply } = await run(coreWith(true), 'paper', '2403.08295 한국어 bullets');
    expect(reply.kind).toBe('card');
    if (reply.kind !== 'card') return;
    expect(reply.text).toBeUndefined();
    expect(reply.card.body).toBe(SAMPLE_SENTENCES.ko!.map((s) => `- ${s}`).join('\n'));
    expect(fake.chats[0]!.task).toBe('bullets');
  });

  it('defaults to a tldr in English when only one option is given', async () => {
    const core = coreWith(true);
    await run(core, 'paper', '2403.08295 insights');
    await run(core, 'paper', '2403.08295 ja');
    expect(fake.chats.map((c) => [c.task, c.language])).toEqual([['insights', 'en'], ['tldr', 'ja']]);
  });

  it('says why the summary is in English when no model is configured', async () => {
    const { reply } = await run(coreWith(false), 'paper', '2403.08295 ko pulse');
    expect(reply.kind).toBe('card');
    if (reply.kind !== 'card') return;
    expect(reply.text).toBe("No pulse summary in Korean: no language model is configured (LLM_BASE_URL, LLM_MODEL). Showing Hugging Face's summary in English.");
    expect(reply.card.body).toBe(GEMMA.aiSummary);
  });
});

describe('a slow model within the text budget', () => {
  // The model takes 1.2 s; the reply waits 200 ms. Without the budget the card would wait the 1.2 s.
  const SLOW_MS = 1200;
  const BUDGET_MS = 200;

  /** A card reply's note and body; undefined for any other reply. */
  const shown = (reply: Reply) => (reply.kind === 'card' ? { note: reply.text, body: reply.card.body } : undefined);

  /** Asks `text` of a slow model: the reply comes within the budget, not after the model. */
  async function askSlowModel(name: string, text: string) {
    const core = coreWith(true, BUDGET_MS);
    fake.setLatency(SLOW_MS);
    const started = performance.now();
    const { reply } = await run(core, name, text);
    expect(performance.now() - started).toBeLessThan(SLOW_MS - 100);
    return { core, first: shown(reply), again: async () => shown((await run(core, name, text)).reply) };
  }

  it.each([
    { name: 'translate', kind: 'translations', note: 'The Korean translation is still being written; here is the original. Ask again in a minute to see it.', original: 'This work introduces Gemma', written: SAMPLE_SENTENCES.ko![1]! },
    { name: 'paper', kind: 'summaries', note: "The tldr summary in Korean is still being written; ask again in a minute. Showing Hugging Face's summary in English.", original: GEMMA.aiSummary, written: SAMPLE_SENTENCES.ko![0]! },
  ] as const)('/$name 2403.08295 ko answers in English with a note, then in Korean from the cache, asking the model once', async ({ name, kind, note, original, written }) => {
    const { core, first, again } = await askSlowModel(name, '2403.08295 ko');
    expect(first?.note).toBe(note);
    expect(first?.body).toContain(original);
    // Asked again while the model is still writing: the same call is joined, not a second one.
    expect((await again())?.body).toContain(original);
    await vi.waitFor(() => expect(core.texts.stats().stored[kind]).toBe(1), { timeout: 4000 });
    const answer = await again();
    expect(answer?.note).toBeUndefined();
    expect(answer?.body).toContain(written);
    expect(fake.chats).toHaveLength(1);
  });

  it.each(['translate', 'paper'])('/%s 2403.08295 ko waits for the model when the asker leaves with this answer (the CLI)', async (name) => {
    const core = coreWith(true, BUDGET_MS);
    fake.setLatency(400);
    const reply = await runCommand({ name, input: { text: '2403.08295 ko' }, invoker: { ...invoker, oneShot: true } }, { core });
    expect(shown(reply)?.note).toBeUndefined();
    expect(shown(reply)?.body).toContain(SAMPLE_SENTENCES.ko![name === 'paper' ? 0 : 1]!);
  });

  it('waits as long as the model takes where no budget is asked for (a digest)', async () => {
    const core = coreWith(true, BUDGET_MS);
    fake.setLatency(400);
    const result = await core.texts.summary(core.papers.get('2403.08295')!, 'tldr', 'ko');
    expect(result).toMatchObject({ source: 'llm', fallback: false });
    expect(result.pending).toBeUndefined();
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperStore } from '../../../src/core/papers/store.js';
import { LLM_SETUP_HINT, Texts } from '../../../src/core/texts/service.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { texts as textsTable } from '../../../src/db/schema.js';
import { BadInputError } from '../../../src/errors.js';
import { LlmClient, type LlmClientOptions } from '../../../src/sources/llm.js';
import { record } from '../../helpers/records.js';
import { GEMMA, llmSettings, SAMPLE_SENTENCES, startFakeLlm, type FakeLlm, type LlmTestSettings } from '../../fakes/llm-server.js';

let fake: FakeLlm;
let database: Database;
let store: PaperStore;
let sleeps: number[];

beforeEach(async () => {
  fake = await startFakeLlm();
  database = openDatabase(':memory:');
  store = new PaperStore(database);
  store.upsert(record(GEMMA));
  store.upsert(record({ ...GEMMA, id: '2403.00002', aiSummary: undefined }));
  sleeps = [];
});
afterEach(async () => {
  database.close();
  await fake.close();
});

function textsWith(settings: Partial<LlmTestSettings> = {}, options: LlmClientOptions = {}): Texts {
  const sleep = async (ms: number) => void sleeps.push(ms);
  return new Texts({ database, llm: new LlmClient(llmSettings(fake.url, settings), { sleep, ...options }) });
}
const gemma = () => store.get(GEMMA.id)!;
const noHf = () => store.get('2403.00002')!;
const rows = () => database.db.select().from(textsTable).all();
const PINGS = /@everyone|@here|@channel|<!(channel|here|everyone)>|<@[!&]?\w+>|<#\w+/i;

describe('when the model fails, summaries fall back and nothing crashes', () => {
  it('falls back to the HF summary, then to the abstract, when the endpoint is down', async () => {
    await fake.close();
    const texts = textsWith();
    expect(await texts.summary(gemma(), 'bullets', 'ko')).toEqual({ text: GEMMA.aiSummary, language: 'en', fallback: true, source: 'hf' });
    const lead = await texts.summary(noHf(), 'tldr', 'ko');
    expect(lead).toEqual({ text: 'This work introduces Gemma, a family of lightweight, state-of-the art open models built from the research and technology used to create Gemini models.', language: 'en', fallback: true, source: 'abstract' });
    expect(rows()).toHaveLength(0);
    expect(texts.stats().session).toMatchObject({ llmFailures: 2, fallbacks: 2 });
    expect(texts.stats().session.lastProblem).toMatch(/Could not reach the language model/);
    fake = await startFakeLlm(); // for afterEach
  });

  it('gives up on a slow model at the timeout', async () => {
    fake.rule(() => ({ delayMs: 5000 }));
    const texts = textsWith({ timeoutMs: 200 });
    const started = performance.now();
    const result = await texts.summary(gemma(), 'pulse', 'ru');
    expect(result).toMatchObject({ fallback: true, source: 'hf', language: 'en' });
    expect(performance.now() - started).toBeLessThan(2000);
    // A timeout is not retried: a second wait would only double the delay.
    expect(fake.chats).toHaveLength(1);
    expect(texts.stats().session.lastProblem).toMatch(/did not answer within 0.2 s/);
  });

  it('retries once after a 429, waiting as Retry-After says', async () => {
    fake.answerNext({ status: 429, headers: { 'retry-after': '2' } });
    const texts = textsWith();
    expect(await texts.summary(gemma(), 'tldr', 'ko')).toMatchObject({ source: 'llm', language: 'ko', fallback: false });
    expect(fake.chats).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it('falls back when 429 persists or asks for too long a wait', async () => {
    fake.answerNext({ status: 429, headers: { 'retry-after-ms': '10' } }, { status: 429, headers: { 'retry-after-ms': '10' } });
    const texts = textsWith();
    expect(await texts.summary(gemma(), 'tldr', 'ko')).toMatchObject({ source: 'hf', fallback: true });
    expect(fake.chats).toHaveLength(2);
    fake.answerNext({ status: 429, headers: { 'retry-after': '3600' } });
    expect(await texts.summary(gemma(), 'pulse', 'ko')).toMatchObject({ source: 'hf', fallback: true });
    expect(fake.chats).toHaveLength(3);
    expect(sleeps).toEqual([10]);
    expect(texts.stats().session.lastProblem).toMatch(/HTTP 429/);
  });

  it('retries a 500 once', async () => {
    fake.answerNext({ status: 500 });
    const texts = textsWith();
    expect(await texts.summary(gemma(), 'tldr', 'en')).toMatchObject({ source: 'llm', fallback: false });
    expect(fake.chats).toHaveLength(2);
  });

  it('asks again after an empty answer, then falls back', async () => {
    const texts = textsWith();
    fake.answerNext({ content: '' });
    expect(await texts.summary(gemma(), 'tldr', 'ko')).toMatchObject({ source: 'llm', language: 'ko' });
    expect(fake.chats[1]!.system).toContain('Your previous answer was rejected: it was empty');

    fake.answerNext({ content: null }, { content: '   <think>the user wants Korean</think>  ' });
    expect(await texts.summary(gemma(), 'pulse', 'ko')).toMatchObject({ source: 'hf', fallback: true, language: 'en' });
    expect(fake.chats).toHaveLength(4);
    expect(texts.stats().session).toMatchObject({ rejectedAnswers: 3, fallbacks: 1 });
  });

  it('asks again when the answer is in the wrong language', async () => {
    const texts = textsWith();
    fake.answerNext({ content: SAMPLE_SENTENCES.en![0]! });
    const result = await texts.summary(gemma(), 'tldr', 'ko');
    expect(result).toMatchObject({ source: 'llm', language: 'ko', fallback: false });
    expect(result.text).toMatch(/[\uac00-\ud7a3]/);
    expect(fake.chats[1]!.system).toContain('it was not written in Korean');
    expect(fake.chats[1]!.system).toContain('answer in Korean only');
  });

  it('falls back when the answer stays in the wrong language', async () => {
    const texts = textsWith();
    fake.rule((req) => (req.language === 'ru' ? { content: SAMPLE_SENTENCES.ko!.join(' ') } : undefined));
    fake.rule((req) => (req.language === 'de' ? { content: SAMPLE_SENTENCES.en!.join(' ') } : undefined));
    expect(await texts.summary(gemma(), 'pulse', 'ru')).toMatchObject({ fallback: true, language: 'en' });
    // English passed off as German is caught too, though both use Latin letters.
    expect(await texts.summary(gemma(), 'pulse', 'de')).toMatchObject({ fallback: true, language: 'en' });
    expect(fake.chats[3]!.system).toContain('it was not written in German (it was English)');
    expect(rows()).toHaveLength(0);
  });

  it('never keeps an answer with mentions: asks again, and stores only the clean answer', async () => {
    const texts = textsWith();
    fake.answerNext({ content: '@everyone Gemma는 18개 과제 중 11개에서 <!channel> 비슷한 모델을 <@U024BE7LH> 능가한다 <@&123456789012345678> @here.' });
    const result = await texts.summary(gemma(), 'tldr', 'ko');
    expect(result).toMatchObject({ source: 'llm', fallback: false });
    expect(result.text).toBe(SAMPLE_SENTENCES.ko![0]);
    expect(fake.chats).toHaveLength(2);
    expect(fake.chats[1]!.system).toMatch(/mention/);
    expect(rows()).toHaveLength(1);
    expect(rows()[0]!.body).toBe(SAMPLE_SENTENCES.ko![0]);
  });

  it('falls back, caching nothing, when every answer mentions someone', async () => {
    const texts = textsWith();
    fake.answerNext({ content: 'everyone here @everyone - Gemma beats similar models.' }, { content: '@here Gemma beats similar models on 11 of 18 tasks.' });
    const result = await texts.summary(gemma(), 'tldr', 'en');
    expect(result).toMatchObject({ source: 'hf', fallback: true });
    expect(result.text).not.toMatch(/everyone|here/);
    expect(rows()).toHaveLength(0);
  });

  it('does not ping with a fallback either', async () => {
    await fake.close();
    store.upsert(record({ id: '2403.00003', title: 'Attention', abstract: 'Hey @everyone, look <!here>. It works.' }));
    const result = await textsWith().summary(store.get('2403.00003')!, 'tldr', 'en');
    expect(result).toMatchObject({ source: 'abstract', fallback: true });
    expect(result.text).not.toMatch(PINGS);
    fake = await startFakeLlm();
  });

  it('asks again when the answer was cut off, too long, or the wrong shape', async () => {
    const texts = textsWith();
    fake.answerNext({ content: '- Gemma는 오픈 모델이다.\n- 70억', finishReason: 'length' });
    expect(await texts.summary(gemma(), 'bullets', 'ko')).toMatchObject({ source: 'llm' });
    expect(fake.chats[1]!.system).toContain('cut off');

    fake.answerNext({ content: 'Gemma는 좋은 모델이다. '.repeat(200) });
    expect(await texts.summary(gemma(), 'tldr', 'ko')).toMatchObject({ source: 'llm' });
    expect(fake.chats[3]!.system).toMatch(/too long \(\d+ characters; at most 600\)/);

    fake.answerNext({ content: 'Gemma is open. It is good.' });
    expect(await texts.summary(gemma(), 'insights', 'en')).toMatchObject({ source: 'llm' });
    expect(fake.chats[5]!.system).toContain('"❓ Why → …"');
  });

  it('switches to max_completion_tokens when the endpoint asks for it', async () => {
    const refusal = { error: { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: 'invalid_request_error' } };
    fake.answerNext({ status: 400, body: JSON.stringify(refusal) });
    const texts = textsWith();
    expect(await texts.summary(gemma(), 'tldr', 'ko')).toMatchObject({ source: 'llm' });
    await texts.summary(gemma(), 'pulse', 'ko');
    expect(fake.chats.map((c) => [c.body.max_tokens !== undefined, c.body.max_completion_tokens !== undefined])).toEqual([[true, false], [false, true], [false, true]]);
  });

  it('falls back on a reply that is not a completion', async () => {
    fake.answerNext({ body: '<html>502 Bad Gateway</html>', status: 200 });
    const result = await textsWith().summary(gemma(), 'tldr', 'ko');
    expect(result).toMatchObject({ fallback: true, source: 'hf' });
  });

  it('stops asking for a while after failures in a row, then asks again', async () => {
    let clock = 0;
    fake.rule(() => ({ status: 503 }));
    const texts = textsWith({}, { now: () => clock, failuresBeforePause: 3, pauseMs: 60_000 });
    for (const id of ['2403.10001', '2403.10002', '2403.10003', '2403.10004', '2403.10005']) store.upsert(record({ ...GEMMA, id }));
    for (const id of ['2403.10001', '2403.10002', '2403.10003', '2403.10004', '2403.10005']) {
      expect(await texts.summary(store.get(id)!, 'tldr', 'ko')).toMatchObject({ fallback: true });
    }
    // Three failed calls (each retried once); the last two fell back without a request.
    expect(fake.chats).toHaveLength(6);
    expect(texts.stats().session.lastProblem).toMatch(/failed 3 times in a row; Paperboy asks it again in 60 s/);
    clock = 61_000;
    fake.rule(() => ({}));
    expect(await texts.summary(store.get('2403.10005')!, 'tldr', 'ko')).toMatchObject({ fallback: false, source: 'llm' });
  });
});

describe('the breaker', () => {
  it('lets one probe through after a short pause and closes on its success', async () => {
    let clock = 0;
    fake.rule(() => ({ status: 503 }));
    const texts = textsWith({}, { now: () => clock, failuresBeforePause: 2, retries: 0 });
    const ids = ['2403.20001', '2403.20002', '2403.20003', '2403.20004', '2403.20005'];
    for (const id of ids) store.upsert(record({ ...GEMMA, id }));
    const summary = (id: string) => texts.summary(store.get(id)!, 'tldr', 'ko');
    await summary(ids[0]!);
    await summary(ids[1]!);
    expect(fake.chats).toHaveLength(2);
    expect(await summary(ids[2]!)).toMatchObject({ fallback: true }); // refused at once, no request
    expect(fake.chats).toHaveLength(2);
    expect(texts.stats().session.lastProblem).toMatch(/asks it again in 5 s/);

    clock = 5_000; // the probe goes through, fails: another short pause
    await summary(ids[2]!);
    expect(fake.chats).toHaveLength(3);
    await summary(ids[3]!);
    expect(fake.chats).toHaveLength(3);

    clock = 10_000;
    fake.rule(() => ({}));
    expect(await summary(ids[3]!)).toMatchObject({ fallback: false, source: 'llm' });
    // Closed on that success: the next call goes straight through.
    expect(await summary(ids[4]!)).toMatchObject({ fallback: false, source: 'llm' });
    expect(fake.chats).toHaveLength(5);
  });

  it('takes its retries and Retry-After cap from the shared policy', async () => {
    fake.answerNext({ status: 500 }, { status: 500 }, { status: 500 });
    const texts = textsWith({}, { retries: 3 });
    expect(await texts.summary(gemma(), 'tldr', 'en')).toMatchObject({ source: 'llm', fallback: false });
    expect(fake.chats).toHaveLength(4);
    fake.answerNext({ status: 429, headers: { 'retry-after': '20' } });
    const capped = textsWith({}, { maxRetryAfterMs: 10_000 });
    expect(await capped.summary(noHf(), 'tldr', 'en')).toMatchObject({ fallback: true });
    expect(sleeps).not.toContain(20_000);
  });
});

describe('translation when the model fails', () => {
  it('gives the original title and abstract, marked as a fallback', async () => {
    fake.rule(() => ({ status: 500 }));
    const result = await textsWith().translation(gemma(), 'ko');
    expect(result).toMatchObject({ language: 'en', fallback: true, source: 'abstract' });
    expect(result.text.startsWith(`${GEMMA.title}\n\n`)).toBe(true);
  });

  it('refuses a summary passed off as a translation', async () => {
    fake.answerNext({ content: 'Gemma\n\nGemma는 오픈 모델이다.' });
    const texts = textsWith();
    expect(await texts.translation(gemma(), 'ko')).toMatchObject({ source: 'llm', fallback: false });
    expect(fake.chats[1]!.system).toContain('the abstract was shortened');
  });
});

describe('with no model configured', () => {
  const plain = () => new Texts({ database });

  it('summarises with the HF summary or the abstract, in English, marked as fallbacks', async () => {
    const texts = plain();
    expect(texts.enabled).toBe(false);
    expect(await texts.summary(gemma(), 'pulse', 'ko')).toEqual({ text: GEMMA.aiSummary, language: 'en', fallback: true, source: 'hf' });
    const lead = await texts.summary(noHf(), 'bullets', 'en');
    expect(lead.source).toBe('abstract');
    expect(lead.fallback).toBe(true);
    // Three sentences, cut where a sentence ends.
    expect(lead.text).toMatch(/^This work introduces Gemma.*checkpoints\.$/);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses to translate and says how to configure a model', async () => {
    const err = await plain().translation(gemma(), 'ko').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toBe(LLM_SETUP_HINT);
    expect(LLM_SETUP_HINT).toMatch(/LLM_BASE_URL.*LLM_MODEL/);
  });

  it('still checks the language and the style', async () => {
    await expect(plain().summary(gemma(), 'tldr', 'klingon')).rejects.toThrow(/Unknown language "klingon".*ko, Korean, 한국어/);
    await expect(plain().translation(gemma(), 'xx')).rejects.toThrow(BadInputError);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperStore } from '../../../src/core/papers/store.js';
import { Texts } from '../../../src/core/texts/service.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { main } from '../../../src/main.js';
import { RequestGate } from '../../../src/sources/llm-gate.js';
import { LlmClient } from '../../../src/sources/llm.js';
import { record } from '../../helpers/records.js';
import { GEMMA, llmSettings, startFakeLlm, type FakeLlm } from '../../fakes/llm-server.js';

let fake: FakeLlm;
let database: Database;
let store: PaperStore;
const IDS = ['2403.10001', '2403.10002', '2403.10003', '2403.10004', '2403.10005', '2403.10006'];

beforeEach(async () => {
  fake = await startFakeLlm();
  database = openDatabase(':memory:');
  store = new PaperStore(database);
  for (const id of IDS) store.upsert(record({ ...GEMMA, id }));
});
afterEach(async () => {
  database.close();
  await fake.close();
});

/** A clock that moves only when someone sleeps. */
function fakeClock() {
  const clock = { now: 0, sleeps: [] as number[] };
  return {
    clock,
    now: () => clock.now,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.now += ms;
    },
  };
}

describe('request limits', () => {
  it('keeps at most LLM_CONCURRENCY requests in flight', async () => {
    const llm = new LlmClient(llmSettings(fake.url, { concurrency: 2 }));
    const texts = new Texts({ database, llm });
    fake.hold();
    const asked = IDS.map((id) => texts.summary(store.get(id)!, 'tldr', 'ko'));
    await fake.waitForRequests(2);
    expect(llm.load).toEqual({ active: 2, waiting: 4 });
    fake.release();
    await Promise.all(asked);
    expect(fake.chats).toHaveLength(IDS.length);
    expect(fake.maxConcurrent).toBe(2);
  });

  it('starts at most LLM_REQUESTS_PER_MINUTE requests in any minute', async () => {
    const { clock, now, sleep } = fakeClock();
    const starts: number[] = [];
    const gate = new RequestGate({ concurrency: 1, perMinute: 3, now, sleep });
    await Promise.all(Array.from({ length: 7 }, () => gate.run(async () => void starts.push(clock.now))));
    expect(starts).toEqual([0, 0, 0, 60_000, 60_000, 60_000, 120_000]);
    expect(gate.active).toBe(0);
    expect(gate.waiting).toBe(0);
  });

  it('paces the client through the same gate', async () => {
    const { clock, now, sleep } = fakeClock();
    const texts = new Texts({ database, llm: new LlmClient(llmSettings(fake.url, { requestsPerMinute: 2 }), { now, sleep }) });
    for (const id of IDS.slice(0, 3)) await texts.summary(store.get(id)!, 'tldr', 'ko');
    expect(fake.chats).toHaveLength(3);
    expect(clock.sleeps).toEqual([60_000]);
  });

  it('lets a failed task free its slot', async () => {
    const gate = new RequestGate({ concurrency: 1, perMinute: 0 });
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });
});

describe('stats', () => {
  it('counts calls, tokens and cache hits in this process', async () => {
    const texts = new Texts({ database, llm: new LlmClient(llmSettings(fake.url)) });
    fake.answerNext({ content: '' });
    await texts.summary(store.get(IDS[0]!)!, 'tldr', 'ko');
    await texts.summary(store.get(IDS[0]!)!, 'tldr', 'ko');
    await texts.translation(store.get(IDS[1]!)!, 'ru');
    const { session, stored } = texts.stats();
    expect(session).toMatchObject({ requests: 3, cacheHits: 1, llmCalls: 3, rejectedAnswers: 1, fallbacks: 0 });
    expect(stored).toMatchObject({ texts: 2, summaries: 1, translations: 1, hits: 1 });
    // The stored tokens of the retried text include the refused answer's prompt.
    expect(stored.promptTokens).toBe(session.promptTokens);
    expect(stored.completionTokens).toBe(session.completionTokens);
    expect(fake.chats[0]!.system.length).toBeLessThan(fake.chats[1]!.system.length);
  });

  it('keeps cache hits across runs', async () => {
    const first = new Texts({ database, llm: new LlmClient(llmSettings(fake.url)) });
    await first.summary(store.get(IDS[0]!)!, 'tldr', 'ko');
    await first.summary(store.get(IDS[0]!)!, 'tldr', 'ko');
    const second = new Texts({ database, llm: new LlmClient(llmSettings(fake.url)) });
    await second.summary(store.get(IDS[0]!)!, 'tldr', 'ko');
    await second.summary(store.get(IDS[0]!)!, 'tldr', 'ko');
    expect(second.stats().stored).toMatchObject({ texts: 1, hits: 3 });
  });
});

describe('bin/paperboy stats', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-stats-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function run(argv: string[], env: NodeJS.ProcessEnv) {
    let stdout = '';
    let stderr = '';
    const sink = (write: (s: string) => void) => new Writable({ write: (chunk, _enc, done) => (write(String(chunk)), done()) });
    const code = await main(argv, {
      stdin: Readable.from([]), stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env,
    });
    return { code, stdout, stderr };
  }

  it('prints calls, tokens and the cache hit rate from the database', async () => {
    const path = join(dir, 'paperboy.db');
    const env = { DATABASE_PATH: path, LOG_LEVEL: 'silent', LLM_BASE_URL: fake.url, LLM_MODEL: 'fake-model', LLM_REQUESTS_PER_MINUTE: '0' };
    const seeded = openDatabase(path);
    new PaperStore(seeded).upsert(record(GEMMA));
    seeded.close();
    // The configured app writes the summary once; the second run reads it from the table.
    const asked = await run(['paper', GEMMA.id, 'ko', 'bullets'], env);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toMatch(/- Gemma는/);
    expect((await run(['paper', GEMMA.id, 'Korean', 'bullets'], env)).stdout).toBe(asked.stdout);
    expect(fake.chats).toHaveLength(1);

    const { code, stdout } = await run(['stats'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('Language model: fake-model');
    expect(stdout).toMatch(/LLM calls: 1 stored texts written \(1 summaries, 0 translations\)/);
    expect(stdout).toMatch(/Tokens: [\d,]+ \([\d,]+ prompt, [\d,]+ completion\)/);
    expect(stdout).toMatch(/Cache hit rate: /);
  });

  it('says when no model is configured', async () => {
    const { code, stdout } = await run(['stats'], { DATABASE_PATH: join(dir, 'p.db'), LOG_LEVEL: 'silent' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/Language model: none configured .*LLM_BASE_URL and LLM_MODEL/);
    expect(stdout).toContain('LLM calls: 0 stored texts written');
  });

  it('names a bad LLM setting', async () => {
    const { code, stderr } = await run(['stats'], { DATABASE_PATH: join(dir, 'p.db'), LLM_BASE_URL: fake.url, LLM_MODEL: 'm', LLM_CONCURRENCY: '0' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/LLM_CONCURRENCY must be at least 1/);
    const embeddingsOnly = await run(['stats'], { DATABASE_PATH: join(dir, 'p.db'), LLM_EMBEDDINGS_MODEL: 'nomic-embed-text' });
    expect(embeddingsOnly.stderr).toMatch(/LLM_EMBEDDINGS_MODEL is set/);
  });
});

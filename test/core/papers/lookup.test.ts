import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands/run.js';
import { Core } from '../../../src/core/core.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { BadInputError, UpstreamError, userMessage } from '../../../src/errors.js';
import { ArxivClient } from '../../../src/sources/arxiv.js';
import { ArxivLimiter } from '../../../src/sources/arxiv-limiter.js';
import { HfClient } from '../../../src/sources/hf.js';
import type { HttpSettings } from '../../../src/sources/http.js';
import { startFakeArxiv, type FakeArxiv } from '../../fakes/arxiv-server.js';
import { readFixture } from '../../fakes/fixtures.js';
import { hugePaperBody, paperWithNulls, startFakeHf, type FakeHf } from '../../fakes/hf-server.js';

const GEMMA = '2403.08295';
const JSON_TYPE = { 'content-type': 'application/json' };
// Production's policy (real sleeps, 3 retries, a 15 s attempt limit): only the lookup budget keeps waits short.
const HTTP: HttpSettings = { timeoutMs: 15_000, retries: 3, maxRetryAfterMs: 60_000 };

let hf: FakeHf;
let arxiv: FakeArxiv;
let database: Database;

beforeEach(async () => {
  [hf, arxiv] = await Promise.all([startFakeHf(), startFakeArxiv()]);
  database = openDatabase(':memory:');
});
afterEach(async () => {
  await Promise.all([hf.close(), arxiv.close()]);
  database.close();
});

function core(budgetMs: number, http: Partial<HttpSettings> = {}): Core {
  const settings = { ...HTTP, ...http };
  return new Core({
    database,
    hf: new HfClient({ apiUrl: hf.url, http: settings }),
    arxiv: new ArxivClient({ apiUrl: `${arxiv.url}/api/query`, minIntervalMs: 0, http: settings, limiter: new ArxivLimiter(0) }),
    lookupBudgetMs: budgetMs,
  });
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

async function failureOf(work: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await work.then(() => undefined, (err: unknown) => err);
  return { error, ms: performance.now() - started };
}

describe('a lookup with one source down answers within the budget', () => {
  it('answers from arXiv while Hugging Face hangs, and completes the paper once Hugging Face heals', async () => {
    const c = core(3000);
    hf.hang();
    const { value: paper, ms } = await timed(c.papers.lookup({ id: GEMMA }));
    // arXiv's answer, after Hugging Face's short grace (a fifth of the budget), not after the budget.
    expect(ms).toBeLessThan(2500);
    expect(paper).toMatchObject({ id: GEMMA, version: 1, hfUpvotes: null, categories: ['cs.CL', 'cs.AI'] });
    await c.papers.settled();
    expect(c.papers.get(GEMMA)?.missingFrom).toEqual(['huggingface']);

    hf.heal();
    const healed = await c.papers.lookup({ id: GEMMA });
    expect(healed).toMatchObject({ hfUpvotes: 25, version: 1, missingFrom: [] });
    const requests = hf.requests.length;
    await c.papers.lookup({ id: GEMMA });
    expect(hf.requests.length).toBe(requests); // complete now: not asked again
  });

  it('fails over at once on a 429 whose Retry-After date is past the budget', async () => {
    const c = core(5000);
    hf.failAll(429, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() });
    const { value: paper, ms } = await timed(c.papers.lookup({ id: GEMMA }));
    expect(paper).toMatchObject({ version: 1 });
    expect(ms).toBeLessThan(1500);
    expect(hf.requests).toHaveLength(1);
  });

  it('retries a failing Hugging Face only while the budget lasts', async () => {
    const c = core(1200);
    hf.failAll(500);
    arxiv.failAll(500);
    const { error, ms } = await failureOf(c.papers.lookup({ id: GEMMA }));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(ms).toBeLessThan(2000);
    // Backoff of 0.5 s then 1 s: the third try would end past the budget, so it is not made.
    expect(hf.requests.length).toBeLessThanOrEqual(2);
  });

  it('answers from Hugging Face while arXiv hangs; cancelling stops the fill-in at once and hands it on', async () => {
    const c = core(30_000);
    arxiv.hang();
    const { value: paper, ms } = await timed(c.papers.lookup({ id: GEMMA }));
    expect(ms).toBeLessThan(1500);
    expect(paper).toMatchObject({ hfUpvotes: 25, version: null });
    const { ms: cancelMs } = await timed(c.papers.cancelBackground());
    expect(cancelMs).toBeLessThan(500);
    expect(c.papers.get(GEMMA)?.missingFrom).toEqual(['arxiv']);

    arxiv.heal();
    expect(await c.papers.lookup({ id: GEMMA })).toMatchObject({ version: 1, categories: ['cs.CL', 'cs.AI'], missingFrom: [] });
  });

  it('says once, within the budget, that both sources are down', async () => {
    const c = core(800);
    hf.hang();
    arxiv.hang();
    const { error, ms } = await failureOf(c.papers.lookup({ id: GEMMA }));
    expect(ms).toBeLessThan(1500);
    expect(error).toBeInstanceOf(UpstreamError);
    await c.papers.cancelBackground();

    const invoker = { platform: 'shell', workspace: 'w', channel: 'c', user: 'u', canManage: false } as const;
    const reply = await runCommand({ name: 'paper', input: { text: GEMMA }, invoker }, { core: c });
    expect(reply).toMatchObject({ kind: 'text' });
    const text = reply.kind === 'text' ? reply.text : '';
    expect(text).toMatch(/^arXiv is unavailable right now: it did not answer within (\d+ ms|0\.8 s)\. Try again in a few minutes\.$/);
    expect(text.match(/try again/gi)).toHaveLength(1);
    await c.papers.cancelBackground();
  });
});

describe('nothing broken is kept', () => {
  it('marks a record whose Hugging Face part came with nulls, and completes it when Hugging Face sends it whole', async () => {
    const c = core(3000);
    hf.failNext(1, 200, JSON_TYPE, JSON.stringify(paperWithNulls(GEMMA)));
    await c.papers.lookup({ id: GEMMA });
    await c.papers.settled();
    expect(c.papers.get(GEMMA)).toMatchObject({ hfUpvotes: null, version: 1, missingFrom: ['huggingface'] });
    expect(c.papers.get(GEMMA)?.abstract).toMatch(/^This work introduces Gemma/);

    expect(await c.papers.lookup({ id: GEMMA })).toMatchObject({ hfUpvotes: 25, codeUrl: expect.any(String) as string, missingFrom: [] });
  });

  it('refuses a body past the size cap and answers from arXiv', async () => {
    const c = core(3000, { maxBodyBytes: 1024 * 1024 });
    hf.failNext(1, 200, JSON_TYPE, hugePaperBody(GEMMA, 5 * 1024 * 1024));
    const paper = await c.papers.lookup({ id: GEMMA });
    expect(paper).toMatchObject({ version: 1 });
    expect(paper.abstract.length).toBeLessThan(2000);
    await c.papers.settled();
    expect(c.papers.get(GEMMA)?.missingFrom).toEqual(['huggingface']);
  });

  it('cuts an oversized abstract to the bound before storing it', async () => {
    const c = core(3000);
    arxiv.hang();
    hf.failNext(1, 200, JSON_TYPE, hugePaperBody(GEMMA, 200_000));
    const paper = await c.papers.lookup({ id: GEMMA });
    expect(paper.abstract.length).toBeLessThanOrEqual(10_000);
    expect(paper.abstract).toMatch(/amet…$|elit\.…$|\w…$/);
    const size = database.sqlite.prepare('SELECT length(abstract) FROM papers WHERE id = ?').pluck().get(GEMMA) as number;
    expect(size).toBeLessThanOrEqual(10_000);
    await c.papers.cancelBackground();
  });
});

describe('refusals', () => {
  it('reports an id arXiv refuses as bad input, not as an outage', async () => {
    const c = core(3000);
    arxiv.failNext(1, 400, { 'content-type': 'application/atom+xml' }, readFixture('arxiv/arxiv_atom_error_example_2026_http400.xml'));
    const { error } = await failureOf(c.papers.lookup({ id: '2403.77777' }));
    expect(error).toBeInstanceOf(BadInputError);
    expect(userMessage(error)).toMatch(/^arXiv refused the id 2403\.77777: incorrect id format for abc$/);
    expect(userMessage(error)).not.toMatch(/unavailable|try again/i);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadPayloadError, UpstreamError } from '../../src/errors.js';
import { HfClient, parseDailyPapers, parseHfPaper, type SkippedEntry } from '../../src/sources/hf.js';
import type { HttpSettings } from '../../src/sources/http.js';
import { readJsonFixture } from '../fakes/fixtures.js';
import { startFakeHf, type FakeHf, type FakeHfOptions } from '../fakes/hf-server.js';

const FIXTURE_IDS = [
  '2403.08295',
  '2403.08763',
  '2403.08764',
  '2403.08715',
  '2403.08268',
  '2403.08629',
  '2403.08540',
  '2403.08551',
  '2403.07918',
];

let fake: FakeHf | undefined;
let sleeps: number[];

beforeEach(() => {
  sleeps = [];
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function client(fakeOptions: FakeHfOptions = {}, http: Partial<HttpSettings> = {}, token?: string): Promise<HfClient> {
  fake = await startFakeHf(fakeOptions);
  const sleep = async (ms: number): Promise<void> => {
    sleeps.push(ms);
  };
  return new HfClient({ apiUrl: fake.url, token, http: { timeoutMs: 2000, retries: 2, maxRetryAfterMs: 5000, ...http }, sleep });
}

function server(): FakeHf {
  if (!fake) throw new Error('fake not started');
  return fake;
}

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

/** `count` daily entries with distinct ids, in the shape of the API. */
function syntheticDay(count: number, date: string): unknown[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `2403.${String(10000 + i)}`;
    return {
      paper: { id, title: `Paper ${i}`, summary: `Abstract ${i}\nwith a break.`, authors: [{ _id: `a${i}`, name: `Author ${i}`, hidden: false }], publishedAt: `${date}T00:00:00.000Z`, upvotes: i },
      publishedAt: `${date}T01:00:00.000Z`,
      title: `Paper ${i}`,
      summary: `Abstract ${i}`,
      thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${id}.png`,
      numComments: 0,
      isAuthorParticipating: false,
    };
  });
}

describe('HfClient.daily', () => {
  it('returns the 2024-03-14 list in order, mapped to paper records', async () => {
    const hf = await client();
    const entries = await hf.daily('2024-03-14');

    expect(entries.map((e) => e.paper.id)).toEqual(FIXTURE_IDS);
    expect(entries.map((e) => e.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(entries.every((e) => e.date === '2024-03-14')).toBe(true);
    expect(entries.map((e) => e.paper.hfUpvotes)).toEqual([25, 22, 17, 14, 10, 9, 8, 6, 5]);

    const gemma = entries[0]?.paper;
    expect(gemma).toMatchObject({
      title: 'Gemma: Open Models Based on Gemini Research and Technology',
      publishedAt: '2024-03-13T14:52:19.000Z',
      codeUrl: 'https://github.com/google-deepmind/gemma',
      projectUrl: 'https://ai.google.dev/gemma',
      githubStars: 2480,
    });
    expect(gemma?.abstract).toMatch(/^This work introduces Gemma, a family of lightweight, state-of-the art open models built/);
    expect(gemma?.abstract).not.toMatch(/\s{2}|\n/);
    expect(gemma?.aiSummary).toMatch(/^Gemma is a family of lightweight open models/);
    expect(gemma?.aiKeywords).toContain('open models');
    // Unicode names survive, and authors HF marks hidden keep their name.
    expect(gemma?.authors).toContain('Amélie Héliou');
    expect(gemma?.authors).toContain('Morgane Rivière');
    expect(gemma?.authors).toContain('Gemma Team');
    expect(gemma?.authors).toHaveLength(22);

    expect(server().requests).toHaveLength(1);
    expect(server().requests[0]?.query).toEqual({ date: '2024-03-14', limit: '100', p: '0' });
  });

  it('normalises hard line breaks in titles and abstracts', async () => {
    const hf = await client();
    const byId = new Map((await hf.daily('2024-03-14')).map((e) => [e.paper.id, e.paper]));
    expect(byId.get('2403.08268')?.title).toBe('Follow-Your-Click: Open-domain Regional Image Animation via Short Prompts');
    expect(byId.get('2403.08551')?.title).toBe('GaussianImage: 1000 FPS Image Representation and Compression by 2D Gaussian Splatting');
    expect(byId.get('2403.08715')?.title).toBe('SOTOPIA-$π$: Interactive Learning of Socially Intelligent Language Agents');
    for (const paper of byId.values()) expect(paper.abstract).not.toMatch(/\n|\s{2}/);
  });

  it('leaves fields the list does not carry unset rather than undefined', async () => {
    const hf = await client();
    const societal = (await hf.daily('2024-03-14')).find((e) => e.paper.id === '2403.07918')?.paper;
    expect(societal).toBeDefined();
    for (const key of ['codeUrl', 'projectUrl', 'githubStars', 'aiSummary', 'aiKeywords', 'version']) {
      expect(Object.keys(societal ?? {})).not.toContain(key);
    }
    const vlogger = (await hf.daily('2024-03-14')).find((e) => e.paper.id === '2403.08764')?.paper;
    expect(vlogger?.projectUrl).toBe('https://enriccorona.github.io/vlogger/');
    expect(vlogger && 'codeUrl' in vlogger).toBe(false);
  });

  it('follows pages until a short one: 250 entries in 3 requests', async () => {
    const hf = await client({ daily: { '2024-03-15': syntheticDay(250, '2024-03-15') } });
    const progress: number[] = [];
    const entries = await hf.daily('2024-03-15', (n) => progress.push(n));

    expect(entries).toHaveLength(250);
    expect(new Set(entries.map((e) => e.paper.id)).size).toBe(250);
    expect(entries.map((e) => e.position)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(server().requests.map((r) => r.query.p)).toEqual(['0', '1', '2']);
    expect(server().requests.every((r) => r.query.limit === '100')).toBe(true);
    expect(progress).toEqual([100, 200, 250]);
  });

  it('stops at the empty page that follows an exactly full one', async () => {
    const hf = await client({ daily: { '2024-03-15': syntheticDay(200, '2024-03-15') } });
    expect(await hf.daily('2024-03-15')).toHaveLength(200);
    expect(server().requests.map((r) => r.query.p)).toEqual(['0', '1', '2']);
  });

  it('drops a paper listed twice', async () => {
    const day = syntheticDay(101, '2024-03-15');
    day[100] = day[3];
    const hf = await client({ daily: { '2024-03-15': day } });
    const entries = await hf.daily('2024-03-15');
    expect(entries).toHaveLength(100);
    expect(entries.at(-1)?.position).toBe(99);
  });

  it('returns an empty list for a day without papers', async () => {
    const hf = await client();
    expect(await hf.daily('2024-03-16')).toEqual([]);
  });

  it('reports a date Hugging Face refuses as UpstreamError 400, without retrying', async () => {
    const hf = await client();
    const err = await rejection(hf.daily('2024-02-30x'));
    expect(err.status).toBe(400);
    expect(err.message).toBe('Hugging Face refused the date "2024-02-30x"; use an existing day as YYYY-MM-DD');
    expect(server().requests).toHaveLength(1);
  });

  it('honours Retry-After on 429, measured on the real clock', async () => {
    fake = await startFakeHf();
    const hf = new HfClient({ apiUrl: fake.url, http: { timeoutMs: 2000, retries: 2, maxRetryAfterMs: 5000 } });
    fake.failNext(1, 429, { 'retry-after': '1' });
    expect(await hf.daily('2024-03-14')).toHaveLength(9);
    const [first, second] = fake.requests;
    expect(second!.startedAt - first!.startedAt).toBeGreaterThanOrEqual(990);
  });

  it('retries 5xx and then fails with the status', async () => {
    const hf = await client();
    server().failNext(3, 502);
    const err = await rejection(hf.daily('2024-03-14'));
    expect(err.status).toBe(502);
    expect(err.source).toBe('huggingface');
    expect(server().requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('gives up on a slow answer with UpstreamError', async () => {
    const hf = await client({}, { timeoutMs: 150, retries: 0 });
    server().delayNext(2000);
    const err = await rejection(hf.daily('2024-03-14'));
    expect(err).not.toBeInstanceOf(BadPayloadError);
    expect(err.message).toBe('Hugging Face did not answer within 150 ms');
  });

  it('fetches every page within one budget: a list that does not come whole in time fails', async () => {
    const hf = await client({ daily: { '2024-03-15': syntheticDay(150, '2024-03-15') } }, { timeoutMs: 2000, retries: 2 });
    server().setLatency(300);
    const started = performance.now();
    const err = await rejection(hf.daily('2024-03-15', undefined, { budgetMs: 450 }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(err.message).toMatch(/Hugging Face (did not answer within 1\d\d ms|did not send the list of 2024-03-15 within 450 ms)/);
    // The first page came; the second had what was left of the budget, not a fresh one.
    expect(server().requests.map((r) => r.query.p)).toEqual(['0', '1']);
  });

  it('gives up on a hanging list when the budget is spent, not after every retry', async () => {
    const hf = await client({}, { timeoutMs: 2000, retries: 3 });
    server().hang();
    const started = performance.now();
    await rejection(hf.daily('2024-03-14', undefined, { budgetMs: 300 }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(server().requests).toHaveLength(1);
  });

  it('treats malformed JSON as BadPayloadError, never retried', async () => {
    const hf = await client();
    server().failNext(1, 200, { 'content-type': 'application/json' }, '[{"paper": {"id": "2403.08295", ');
    const err = await rejection(hf.daily('2024-03-14'));
    expect(err).toBeInstanceOf(BadPayloadError);
    expect(server().requests).toHaveLength(1);
  });

  it('treats JSON of another shape as BadPayloadError', async () => {
    const hf = await client();
    server().failNext(1, 200, { 'content-type': 'application/json' }, JSON.stringify({ error: 'no list' }));
    const err = await rejection(hf.daily('2024-03-14'));
    expect(err).toBeInstanceOf(BadPayloadError);
    expect(err.message).toMatch(/daily papers list is not in the expected shape/);
  });

  it('leaves out a malformed entry, says which, and keeps the rest of the list', async () => {
    fake = await startFakeHf();
    const skipped: SkippedEntry[] = [];
    const hf = new HfClient({ apiUrl: fake.url, http: { timeoutMs: 2000, retries: 0, maxRetryAfterMs: 0 }, onSkippedEntry: (s) => skipped.push(s) });
    const list = readJsonFixture('hf/daily-2024-03-14.json') as { paper: { title: string | null } }[];
    list[2]!.paper.title = null;
    server().failNext(1, 200, { 'content-type': 'application/json' }, JSON.stringify([...list, { paper: { title: 'no id' } }]));
    const entries = await hf.daily('2024-03-14');
    expect(entries.map((e) => e.paper.id)).toEqual(['2403.08295', '2403.08763', '2403.08715', '2403.08268', '2403.08629', '2403.08540', '2403.08551', '2403.07918']);
    expect(entries.map((e) => e.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(skipped).toEqual([
      { date: '2024-03-14', position: 2, id: '2403.08764', reason: expect.stringMatching(/^paper\.title: /) },
      { date: '2024-03-14', position: 9, id: undefined, reason: expect.stringMatching(/^paper\.id: /) },
    ]);
    expect(entries[0]?.enteredAt).toBe('2024-03-14T01:31:44.617Z');
    expect(entries[1]?.enteredAt).toBe('2024-03-14T01:33:02.155Z');
  });

  it('sends the token as a bearer token, and no Authorization without one', async () => {
    const withToken = await client({}, {}, 'hf_secret');
    await withToken.daily('2024-03-14');
    expect(server().requests[0]?.headers.authorization).toBe('Bearer hf_secret');
    await fake?.close();

    const anonymous = await client();
    await anonymous.daily('2024-03-14');
    expect(server().requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe('HfClient.paper', () => {
  it('reads the flat /api/papers shape', async () => {
    const hf = await client();
    const gemma = await hf.paper('2403.08295');
    expect(server().requests[0]?.path).toBe('/api/papers/2403.08295');
    expect(gemma).toMatchObject({ id: '2403.08295', hfUpvotes: 25, codeUrl: 'https://github.com/google-deepmind/gemma' });
    expect(gemma?.title).toBe('Gemma: Open Models Based on Gemini Research and Technology');
  });

  it('returns undefined for a paper Hugging Face does not know', async () => {
    const hf = await client();
    expect(await hf.paper('2403.99999')).toBeUndefined();
    expect(server().requests).toHaveLength(1);
  });

  it('still throws for other errors', async () => {
    const hf = await client();
    server().failNext(1, 403);
    const err = await rejection(hf.paper('2403.08295'));
    expect(err.status).toBe(403);
  });
});

describe('HfClient.search', () => {
  it('finds papers through {paper} wrappers', async () => {
    const hf = await client();
    const found = await hf.search('gaussian', 5);
    expect(found.map((p) => p.id)).toEqual(['2403.08551']);
    expect(server().requests[0]?.query).toEqual({ q: 'gaussian', limit: '5' });
  });

  it('accepts flat objects and keeps to the limit', async () => {
    const hf = await client();
    const flat = readJsonFixture('hf/paper-2403.08295.json');
    server().failNext(1, 200, { 'content-type': 'application/json' }, JSON.stringify([flat, { paper: flat }, flat]));
    const found = await hf.search('gemma', 2);
    expect(found.map((p) => p.id)).toEqual(['2403.08295', '2403.08295']);
  });
});

describe('parseDailyPapers', () => {
  it('dates entries by the day they entered the list when no date is given', () => {
    const entries = parseDailyPapers(readJsonFixture('hf/daily-2024-03-14.json'));
    expect(entries).toHaveLength(9);
    expect(new Set(entries.map((e) => e.date))).toEqual(new Set(['2024-03-14']));
  });

  it('uses the given date over the entries own', () => {
    const entries = parseDailyPapers(readJsonFixture('hf/daily-2024-03-14.json'), '2024-03-13');
    expect(entries.every((e) => e.date === '2024-03-13')).toBe(true);
  });

  it('tolerates missing and null optional fields', () => {
    const [entry] = parseDailyPapers([{ paper: { id: '2403.00001', title: 'Bare', ai_summary: null, githubRepo: null, upvotes: null } }], '2024-03-01');
    expect(entry).toEqual({ paper: { id: '2403.00001', title: 'Bare', authors: [], abstract: '' }, date: '2024-03-01', position: 0 });
  });

  it('refuses an entry without any date, and a body that is not a list', () => {
    expect(() => parseDailyPapers([{ paper: { id: '2403.00001', title: 'Undated' } }])).toThrow(BadPayloadError);
    expect(() => parseDailyPapers({ error: 'Invalid date' })).toThrow(BadPayloadError);
  });
});

describe('parseHfPaper', () => {
  it('maps the flat shape like the inner paper of a daily entry', () => {
    const flat = parseHfPaper(readJsonFixture('hf/paper-2403.08295.json'));
    const fromDaily = parseDailyPapers(readJsonFixture('hf/daily-2024-03-14.json'))[0]?.paper;
    expect(flat).toEqual(fromDaily);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadInputError, BadPayloadError, UpstreamError } from '../../src/errors.js';
import { ArxivClient, parseAtom } from '../../src/sources/arxiv.js';
import { ArxivLimiter, sharedArxivLimiter } from '../../src/sources/arxiv-limiter.js';
import type { HttpSettings } from '../../src/sources/http.js';
import { startFakeArxiv, type FakeArxiv, type FakeArxivOptions, type FakeArxivPaper } from '../fakes/arxiv-server.js';
import { readFixture } from '../fakes/fixtures.js';

const ATOM = { 'content-type': 'application/atom+xml; charset=utf-8' };
// Server-side start times include loopback transit, which varies by a few ms between requests.
// Server-side arrival jitters on a loaded machine; without the limiter the gaps would be near 0 ms.
const TOLERANCE_MS = 60;

let fake: FakeArxiv | undefined;
let sleeps: number[];

beforeEach(() => {
  sleeps = [];
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function client(
  fakeOptions: FakeArxivOptions = {},
  http: Partial<HttpSettings> = {},
  limiter: ArxivLimiter = new ArxivLimiter(0),
): Promise<ArxivClient> {
  fake = await startFakeArxiv(fakeOptions);
  const sleep = async (ms: number): Promise<void> => {
    sleeps.push(ms);
  };
  return new ArxivClient({
    apiUrl: `${fake.url}/api/query`,
    minIntervalMs: 0,
    http: { timeoutMs: 2000, retries: 2, maxRetryAfterMs: 5000, ...http },
    sleep,
    limiter,
  });
}

function server(): FakeArxiv {
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

function syntheticPapers(count: number): FakeArxivPaper[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `2401.${String(10000 + i)}`,
    title: `Synthetic paper ${i}`,
    summary: `About ${i}.`,
    authors: [`Author ${i}`],
    published: `2024-01-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z`,
    categories: ['cs.LG'],
  }));
}

function startGaps(): number[] {
  const starts = server().requests.map((r) => r.startedAt);
  return starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
}

describe('parseAtom', () => {
  it('reads the classic layout (xmlns on every element)', () => {
    const feed = parseAtom(readFixture('arxiv/arxiv_atom_example.xml'));
    expect(feed.totalResults).toBe(1000);
    expect(feed.entries).toEqual([
      {
        id: 'hep-ex/0307015',
        title: 'Multi-Electron Production at High Transverse Momenta in ep Collisions at HERA',
        authors: ['H1 Collaboration'],
        abstract: expect.stringMatching(/^Multi-electron production is studied at high electron transverse momentum in positron- and electron-proton collisions using the H1 detector at HERA\. The data/),
        publishedAt: '2003-07-07T13:46:39-04:00',
        updatedAt: '2003-07-07T13:46:39-04:00',
        categories: ['hep-ex'],
        primaryCategory: 'hep-ex',
        comment: '23 pages, 8 figures and 4 tables',
        journalRef: 'Eur.Phys.J. C31 (2003) 17-29',
      },
    ]);
    expect(feed.entries[0]?.abstract).toMatch(/of 0\.30 \\pm 0\.04 and 0\.23 \\pm 0\.04, respectively\.$/);
  });

  it('reads the 2026 layout (namespaces on the feed, other element order)', () => {
    const feed = parseAtom(readFixture('arxiv/arxiv_atom_example_2026.xml'));
    expect(feed.totalResults).toBe(1);
    expect(feed.entries).toEqual([
      {
        id: '1605.08386',
        version: 1,
        title: 'Heat-bath random walks with Markov bases',
        authors: ['Caprice Stanley', 'Tobias Windisch'],
        abstract: expect.stringMatching(/^Graphs on lattice points are studied .* is an expander in fixed dimension\.$/),
        publishedAt: '2016-05-26T17:59:46Z',
        updatedAt: '2016-05-26T17:59:46Z',
        categories: ['math.CO', 'math.ST'],
        primaryCategory: 'math.CO',
        comment: '20 pages, 3 figures',
      },
    ]);
  });

  it('gives both layouts the same shape', () => {
    const classic = parseAtom(readFixture('arxiv/arxiv_atom_example.xml')).entries[0];
    const current = parseAtom(readFixture('arxiv/arxiv_atom_example_2026.xml')).entries[0];
    const shape = (record: object | undefined): Record<string, string> =>
      Object.fromEntries(Object.entries(record ?? {}).map(([key, value]) => [key, Array.isArray(value) ? 'array' : typeof value]));
    const common = ['id', 'title', 'authors', 'abstract', 'publishedAt', 'updatedAt', 'categories', 'primaryCategory', 'comment'];
    const pick = (s: Record<string, string>): Record<string, string | undefined> => Object.fromEntries(common.map((k) => [k, s[k]]));
    expect(pick(shape(classic))).toEqual(pick(shape(current)));
    expect(Object.values(pick(shape(current)))).not.toContain(undefined);
  });

  it('reads old-style ids, decodes entities and ignores affiliations', () => {
    const [paper] = parseAtom(readFixture('arxiv/arxiv_atom_oldstyle_id_example_2026.xml')).entries;
    expect(paper?.id).toBe('astro-ph/0601001');
    expect(paper?.version).toBe(1);
    expect(paper?.authors).toEqual(['Andrew Gould', 'Susan Dorsher', 'B. Scott Gaudi', 'Andrzej Udalski']);
    expect(paper?.journalRef).toBe('ActaAstron.56:1-50,2006');
    expect(paper?.abstract).toMatch(/^We derive the frequencies/);
    expect(paper?.abstract).toContain('following Gould & Morgan (2003)');
    expect(paper?.abstract).toContain('V_max<17.5');
    expect(paper?.categories).toEqual(['astro-ph']);
  });

  it('reads a search page: ten entries, DOIs, and hard line breaks collapsed', () => {
    const feed = parseAtom(readFixture('arxiv/arxiv_atom_search_example_2026.xml'));
    expect(feed.totalResults).toBe(214881);
    expect(feed.entries).toHaveLength(10);
    expect(feed.entries[0]?.doi).toBe('10.1109/ICSTW55395.2022.00035');
    expect(feed.entries.find((p) => p.id === '2302.03287')).toMatchObject({
      version: 3,
      title: 'ChatGPT and Software Testing Education: Promises & Perils',
      categories: ['cs.SE', 'cs.HC'],
      primaryCategory: 'cs.SE',
    });
    const review = feed.entries.find((p) => p.id === '1812.11470');
    expect(review?.abstract).toContain('as a whole. Objective. In this systematic review');
    for (const paper of feed.entries) expect(paper.abstract).not.toMatch(/\n|\s{2}/);
  });

  it('normalises whitespace in titles, summaries and names, and decodes character references', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <opensearch:totalResults>1</opensearch:totalResults>
  <entry>
    <title>Attention   Is All
  You Need</title>
    <summary>
  The dominant sequence transduction models are based on complex recurrent or
convolutional neural networks in an encoder-decoder configuration.
</summary>
    <author><name>  Ashish
      Vaswani </name></author>
    <author><name>Lukasz Kaiser</name></author>
    <author><name>Aur&#233;lien G&#xE9;ron</name></author>
    <id>http://arxiv.org/abs/1706.03762v7</id>
  </entry>
</feed>`;
    expect(parseAtom(xml).entries).toEqual([
      {
        id: '1706.03762',
        version: 7,
        title: 'Attention Is All You Need',
        authors: ['Ashish Vaswani', 'Lukasz Kaiser', 'Aurélien Géron'],
        abstract:
          'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks in an encoder-decoder configuration.',
      },
    ]);
  });

  it('reads an empty result', () => {
    expect(parseAtom(readFixture('arxiv/arxiv_atom_empty_example_2026.xml'))).toEqual({ totalResults: 0, entries: [] });
  });

  it.each(['arxiv_atom_error_example.xml', 'arxiv_atom_error_example_2026_http400.xml'])('turns the error entry of %s into UpstreamError 400', (file) => {
    let thrown: unknown;
    try {
      parseAtom(readFixture(`arxiv/${file}`));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UpstreamError);
    expect(thrown).not.toBeInstanceOf(BadPayloadError);
    expect((thrown as UpstreamError).status).toBe(400);
    expect((thrown as UpstreamError).message).toMatch(/^arXiv refused the query: incorrect id format for (1234\.12345|abc)$/);
  });

  it.each([
    ['malformed XML', '<feed><entry><title>Cut off</entry></feed>'],
    ['HTML', '<html><body><h1>Service Unavailable</h1></body></html>'],
    ['JSON', '{"feed": []}'],
    ['nothing', ''],
  ])('refuses %s with BadPayloadError', (_, body) => {
    expect(() => parseAtom(body)).toThrow(BadPayloadError);
  });
});

describe('ArxivClient lookups', () => {
  it('gets one paper with its version, categories and normalised text', async () => {
    const arxiv = await client();
    const gemma = await arxiv.get('2403.08295');
    expect(gemma).toMatchObject({
      id: '2403.08295',
      version: 1,
      title: 'Gemma: Open Models Based on Gemini Research and Technology',
      categories: ['cs.CL', 'cs.AI'],
      primaryCategory: 'cs.CL',
      publishedAt: '2024-03-13T14:52:19Z',
    });
    expect(gemma?.abstract).toMatch(/^This work introduces Gemma, .* the next wave of LLM innovations\.$/);
    expect(gemma?.abstract).not.toContain('\n');
    expect(server().requests[0]?.query).toEqual({ id_list: '2403.08295', start: '0', max_results: '1' });
  });

  it('returns undefined for a well-formed id arXiv does not know', async () => {
    const arxiv = await client();
    expect(await arxiv.get('2403.99999')).toBeUndefined();
  });

  it('reads the recorded empty answer', async () => {
    const arxiv = await client();
    server().failNext(1, 200, ATOM, readFixture('arxiv/arxiv_atom_empty_example_2026.xml'));
    expect(await arxiv.lookup(['0000.0000'])).toEqual({ found: [], missing: ['0000.0000'] });
  });

  it('reports ids left out of a mixed answer as missing', async () => {
    const arxiv = await client();
    const { found, missing } = await arxiv.lookup(['1707.08567', '0808.05394', 'astro-ph/0601001v1', '2403.08763']);
    expect(found.map((p) => p.id)).toEqual(['1707.08567', 'astro-ph/0601001', '2403.08763']);
    expect(missing).toEqual(['0808.05394']);
    expect(found[0]?.authors).toContain('Dirk Wübben');
    expect(server().requests).toHaveLength(1);
  });

  it('asks for 100 ids at a time: 250 ids in 3 requests', async () => {
    const papers = syntheticPapers(250);
    const arxiv = await client({ papers, defaults: false });
    const { found, missing } = await arxiv.lookup(papers.map((p) => p.id));

    expect(found).toHaveLength(250);
    expect(missing).toEqual([]);
    const requests = server().requests;
    expect(requests.map((r) => r.query.id_list?.split(',').length)).toEqual([100, 100, 50]);
    expect(requests.map((r) => r.query.max_results)).toEqual(['100', '100', '50']);
    expect(requests[2]?.query.id_list?.split(',')[0]).toBe(papers[200]?.id);
  });

  it('throws the HTTP 400 error entry for a malformed id as UpstreamError 400, not retried', async () => {
    const arxiv = await client();
    const err = await rejection(arxiv.lookup(['abc']));
    expect(err).not.toBeInstanceOf(BadPayloadError);
    expect(err.status).toBe(400);
    expect(err.message).toBe('arXiv refused the query: incorrect id format for abc');
    expect(server().requests).toHaveLength(1);
  });

  it('reports a refused id as bad input, even when the error entry comes with HTTP 200 as the classic docs show', async () => {
    const arxiv = await client();
    server().failNext(1, 200, ATOM, readFixture('arxiv/arxiv_atom_error_example.xml'));
    const err = await arxiv.get('1234.12345').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toBe('arXiv refused the id 1234.12345: incorrect id format for 1234.12345');
    expect(server().requests).toHaveLength(1);
  });

  it('still reports a 400 without an Atom body as a refusal of the id, not an outage', async () => {
    const arxiv = await client();
    server().failNext(1, 400, { 'content-type': 'text/plain' }, 'Bad Request');
    const err = await arxiv.get('2403.08295').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toBe('arXiv refused the id 2403.08295');
  });

  it('treats malformed XML as BadPayloadError, never retried', async () => {
    const arxiv = await client();
    server().failNext(1, 200, ATOM, '<?xml version="1.0"?><feed><entry><id>http://arxiv.org/abs/2403.08295v1</id>');
    const err = await rejection(arxiv.get('2403.08295'));
    expect(err).toBeInstanceOf(BadPayloadError);
    expect(server().requests).toHaveLength(1);
  });

  it('waits for Retry-After on 429, then succeeds', async () => {
    const arxiv = await client();
    server().failNext(1, 429, { 'retry-after': '1' });
    expect((await arxiv.get('2403.08295'))?.id).toBe('2403.08295');
    expect(sleeps).toEqual([1000]);
    expect(server().requests).toHaveLength(2);
  });

  it('retries 5xx and then fails with the status', async () => {
    const arxiv = await client({}, { retries: 2 });
    server().failNext(3, 503);
    const err = await rejection(arxiv.get('2403.08295'));
    expect(err.status).toBe(503);
    expect(err.source).toBe('arxiv');
    expect(server().requests).toHaveLength(3);
  });

  it('gives up on a slow answer with UpstreamError', async () => {
    const arxiv = await client({}, { timeoutMs: 150, retries: 0 });
    server().delayNext(2000);
    const err = await rejection(arxiv.get('2403.08295'));
    expect(err.message).toBe('arXiv did not answer within 150 ms');
  });
});

describe('ArxivClient.listCategories', () => {
  it('asks for the newest papers of the categories with a properly encoded query', async () => {
    const arxiv = await client();
    const papers = await arxiv.listCategories(['cs.CL', 'cs.LG'], { max: 5 });

    const request = server().requests[0];
    expect(request?.query).toEqual({
      search_query: 'cat:cs.CL OR cat:cs.LG',
      start: '0',
      max_results: '5',
      sortBy: 'submittedDate',
      sortOrder: 'descending',
    });
    expect(request?.target).toContain('search_query=cat%3Acs.CL+OR+cat%3Acs.LG');
    expect(papers).toHaveLength(5);
    const dates = papers.map((p) => p.publishedAt ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    for (const paper of papers) expect(paper.categories?.some((c) => c === 'cs.CL' || c === 'cs.LG')).toBe(true);
  });

  it('pages with start', async () => {
    const arxiv = await client();
    const first = await arxiv.listCategories(['cs.CV'], { max: 2 });
    const next = await arxiv.listCategories(['cs.CV'], { max: 2, start: 2 });
    expect(server().requests[1]?.query.start).toBe('2');
    expect(next.map((p) => p.id)).not.toContain(first[0]?.id);
    expect(next).toHaveLength(2);
  });

  it('refuses a category that would change the query, without asking arXiv', async () => {
    const arxiv = await client();
    await expect(arxiv.listCategories(['cs.CL OR all:x'])).rejects.toBeInstanceOf(BadInputError);
    expect(await arxiv.listCategories([])).toEqual([]);
    expect(server().requests).toHaveLength(0);
  });
});

describe('arXiv etiquette', () => {
  it('starts five lookups in a row at least the interval apart', async () => {
    const arxiv = await client({}, {}, new ArxivLimiter(200));
    for (const id of ['2403.08295', '2403.08763', '2403.08764', '2403.08715', '2403.08268']) await arxiv.get(id);
    const gaps = startGaps();
    expect(gaps).toHaveLength(4);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(200 - TOLERANCE_MS);
  });

  it('never has two requests in flight, even when fired at once', async () => {
    // A short interval and slow answers: only the one-at-a-time rule keeps requests from overlapping.
    const arxiv = await client({}, {}, new ArxivLimiter(50));
    server().setLatency(150);
    const ids = ['2403.08295', '2403.08763', '2403.08764', '2403.08715', '2403.08268'];
    const results = await Promise.all(ids.map((id) => arxiv.get(id)));
    expect(results.map((p) => p?.id)).toEqual(ids);
    expect(server().maxConcurrent).toBe(1);
    for (const gap of startGaps()) expect(gap).toBeGreaterThanOrEqual(150 - TOLERANCE_MS);
  });

  it('sends retries through the limiter too', async () => {
    const arxiv = await client({}, {}, new ArxivLimiter(200));
    server().failNext(1, 503);
    await arxiv.get('2403.08295');
    expect(sleeps).toHaveLength(1); // the backoff itself is injected and instant
    expect(startGaps()[0]).toBeGreaterThanOrEqual(200 - TOLERANCE_MS);
  });

  it('holds the connection until the body has arrived, not just the headers', async () => {
    const events: string[] = [];
    const feedXml = readFixture('arxiv/arxiv_atom_example_2026.xml');
    const fetch = async (url: string): Promise<Response> => {
      const n = events.filter((e) => e.startsWith('start')).length + 1;
      events.push(`start ${n}`);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(feedXml.slice(0, 100)));
          setTimeout(() => {
            events.push(`body end ${n}`);
            controller.enqueue(new TextEncoder().encode(feedXml.slice(100)));
            controller.close();
          }, 50);
        },
      });
      expect(url).toContain('id_list=');
      return new Response(body, { status: 200, headers: ATOM });
    };
    const http = { timeoutMs: 2000, retries: 0, maxRetryAfterMs: 0 };
    const arxiv = new ArxivClient({ apiUrl: 'http://arxiv.invalid/api/query', minIntervalMs: 0, http, fetch, limiter: new ArxivLimiter(0) });
    const results = await Promise.all([arxiv.get('1605.08386'), arxiv.get('1605.08386')]);
    expect(results.map((p) => p?.id)).toEqual(['1605.08386', '1605.08386']);
    expect(events).toEqual(['start 1', 'body end 1', 'start 2', 'body end 2']);
  });

  it('starts the timeout when a request leaves the queue, not when it joins it', async () => {
    // Three requests 300 ms apart: the last waits 600 ms in the queue, longer than the 250 ms timeout.
    const arxiv = await client({}, { timeoutMs: 250, retries: 0 }, new ArxivLimiter(300));
    const results = await Promise.all(['2403.08295', '2403.08763', '2403.08764'].map((id) => arxiv.get(id)));
    expect(results.map((p) => p?.id)).toEqual(['2403.08295', '2403.08763', '2403.08764']);
  });

  it('makes clients without their own limiter share the process-wide one', async () => {
    fake = await startFakeArxiv();
    fake.setLatency(100);
    const http = { timeoutMs: 2000, retries: 0, maxRetryAfterMs: 0 };
    const a = new ArxivClient({ apiUrl: `${fake.url}/api/query`, minIntervalMs: 150, http });
    const b = new ArxivClient({ apiUrl: `${fake.url}/api/query`, minIntervalMs: 150, http });
    await Promise.all([a.get('2403.08295'), b.get('2403.08763'), a.get('1605.08386')]);
    expect(fake.maxConcurrent).toBe(1);
    for (const gap of startGaps()) expect(gap).toBeGreaterThanOrEqual(150 - TOLERANCE_MS);
    expect(sharedArxivLimiter(10)).toBe(sharedArxivLimiter(150));
    expect(sharedArxivLimiter(10).minIntervalMs).toBe(150);
  });
});

describe('ArxivLimiter', () => {
  function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void>; waits: number[] } {
    let time = 1000;
    const waits: number[] = [];
    return {
      now: () => time,
      sleep: async (ms) => {
        waits.push(ms);
        time += ms;
      },
      waits,
    };
  }

  it('spaces starts by the interval and runs tasks in order', async () => {
    const clock = fakeClock();
    const limiter = new ArxivLimiter(3000, clock);
    const starts: number[] = [];
    await Promise.all([1, 2, 3].map((n) => limiter.run(async () => starts.push(clock.now()) && n)));
    expect(starts).toEqual([1000, 4000, 7000]);
    expect(clock.waits).toEqual([3000, 3000]);
  });

  it('does not wait when the interval has already passed', async () => {
    const clock = fakeClock();
    const limiter = new ArxivLimiter(3000, clock);
    await limiter.run(async () => undefined);
    await clock.sleep(5000);
    clock.waits.length = 0;
    await limiter.run(async () => undefined);
    expect(clock.waits).toEqual([]);
  });

  it('keeps going after a task fails', async () => {
    const limiter = new ArxivLimiter(0, fakeClock());
    const failed = limiter.run(async () => {
      throw new Error('boom');
    });
    const next = limiter.run(async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });

  it('waits for the task in flight before starting the next', async () => {
    const limiter = new ArxivLimiter(0, fakeClock());
    const events: string[] = [];
    let release: () => void = () => undefined;
    const first = limiter.run(
      () =>
        new Promise<void>((resolve) => {
          events.push('first start');
          release = () => {
            events.push('first end');
            resolve();
          };
        }),
    );
    const second = limiter.run(async () => {
      events.push('second start');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual(['first start']);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['first start', 'first end', 'second start']);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadInputError, BadPayloadError, UpstreamError } from '../../src/errors.js';
import { httpGet, type GetRequest, type HttpSettings } from '../../src/sources/http.js';
import { backoffMs, parseRetryAfter } from '../../src/sources/retry.js';
import { startLoopback, type FakeServer } from '../fakes/loopback.js';

let server: FakeServer;
let sleeps: number[];

beforeEach(async () => {
  server = await startLoopback((req) => ({ status: 200, body: JSON.stringify({ ok: true, path: req.path }) }));
  sleeps = [];
});
afterEach(async () => {
  await server.close();
});

function settings(overrides: Partial<HttpSettings> = {}): HttpSettings {
  return {
    timeoutMs: 2000,
    retries: 2,
    maxRetryAfterMs: 5000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  };
}

function request(overrides: Partial<GetRequest<unknown>> = {}): GetRequest<unknown> {
  return { source: 'huggingface', url: new URL(`${server.url}/api/thing`), parse: (body) => JSON.parse(body) as unknown, ...overrides };
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

describe('httpGet', () => {
  it('returns the parsed body and sends a User-Agent and the given headers', async () => {
    const value = await httpGet(settings({ userAgent: 'paperboy-test/1' }), request({ headers: { accept: 'application/json' } }));
    expect(value).toEqual({ ok: true, path: '/api/thing' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers['user-agent']).toBe('paperboy-test/1');
    expect(server.requests[0]?.headers.accept).toBe('application/json');
    expect(sleeps).toEqual([]);
  });

  it('waits as long as Retry-After says on 429, then succeeds', async () => {
    server.failNext(1, 429, { 'retry-after': '1' });
    await expect(httpGet(settings(), request())).resolves.toEqual({ ok: true, path: '/api/thing' });
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    server.failNext(1, 503, { 'retry-after': new Date(Date.now() + 3000).toUTCString() });
    await httpGet(settings(), request());
    expect(sleeps).toHaveLength(1);
    // HTTP dates have whole seconds: the wait is between 2 and 3 seconds.
    expect(sleeps[0]).toBeGreaterThan(1000);
    expect(sleeps[0]).toBeLessThanOrEqual(3000);
  });

  it('gives up at once when Retry-After is longer than the cap, keeping retryAfterMs', async () => {
    server.failNext(1, 429, { 'retry-after': '120' });
    const err = await failure(httpGet(settings({ maxRetryAfterMs: 60_000 }), request()));
    expect(err.status).toBe(429);
    expect(err.retryAfterMs).toBe(120_000);
    expect(err.message).toBe('Hugging Face asks us to wait 2 min');
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries 5xx with growing jittered backoff, then fails with the status', async () => {
    server.failNext(3, 503);
    const err = await failure(httpGet(settings({ retries: 2 }), request()));
    expect(err).not.toBeInstanceOf(BadPayloadError);
    expect(err.status).toBe(503);
    expect(err.source).toBe('huggingface');
    expect(err.message).toBe('Hugging Face answered HTTP 503 after 3 attempts');
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(375);
    expect(sleeps[0]).toBeLessThanOrEqual(500);
    expect(sleeps[1]).toBeGreaterThanOrEqual(750);
    expect(sleeps[1]).toBeLessThanOrEqual(1000);
  });

  it('says so when rate limited on every attempt', async () => {
    server.failNext(2, 429, { 'retry-after': '1' });
    const err = await failure(httpGet(settings({ retries: 1 }), request({ source: 'arxiv' })));
    expect(err.status).toBe(429);
    expect(err.retryAfterMs).toBe(1000);
    expect(err.message).toBe('arXiv is rate limiting us (HTTP 429) after 2 attempts');
  });

  it('does not retry other 4xx and reports the status for the caller to judge', async () => {
    server.failNext(1, 404);
    const err = await failure(httpGet(settings(), request()));
    expect(err.status).toBe(404);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('hands listed error statuses to the parser', async () => {
    server.failNext(1, 400, {}, 'explained refusal');
    const value = await httpGet(settings(), request({ readBodyOn: [400], parse: (body, status) => `${status}: ${body}` }));
    expect(value).toBe('400: explained refusal');
  });

  it('times out a slow attempt and retries it', async () => {
    server.delayNext(1500);
    const value = await httpGet(settings({ timeoutMs: 200, retries: 1 }), request());
    expect(value).toEqual({ ok: true, path: '/api/thing' });
    expect(server.requests).toHaveLength(2);
  });

  it('fails with a clear message when every attempt times out', async () => {
    server.delayNext(1500);
    const err = await failure(httpGet(settings({ timeoutMs: 200, retries: 0 }), request()));
    expect(err.message).toBe('Hugging Face did not answer within 200 ms');
    expect(err.status).toBeUndefined();
    expect(err.cause).toBeDefined();
  });

  it('retries connection errors, then says the service could not be reached', async () => {
    const gone = await startLoopback(() => ({ status: 200, body: '' }));
    const url = new URL(`${gone.url}/api/thing`);
    await gone.close();
    const err = await failure(httpGet(settings({ retries: 1 }), request({ url })));
    expect(err.message).toMatch(/^Could not reach Hugging Face \(ECONNREFUSED\)$/);
    expect(sleeps).toHaveLength(1);
  });

  it('turns an unreadable body into BadPayloadError without retrying', async () => {
    server.failNext(1, 200, { 'content-type': 'application/json' }, '{"truncated": ');
    const err = await failure(httpGet(settings(), request()));
    expect(err).toBeInstanceOf(BadPayloadError);
    expect(err.message).toMatch(/^Hugging Face sent a reply we cannot read/);
    expect(server.requests).toHaveLength(1);
  });

  it('lets Paperboy errors from the parser through unchanged', async () => {
    const thrown = new BadInputError('nope');
    const parse = (): never => {
      throw thrown;
    };
    await expect(httpGet(settings(), request({ parse }))).rejects.toBe(thrown);
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const fetch = async (url: string): Promise<Response> => {
      calls.push(url);
      return new Response(calls.length === 1 ? 'busy' : '{"ok":1}', { status: calls.length === 1 ? 500 : 200 });
    };
    const url = new URL('http://upstream.invalid/x?y=1');
    await expect(httpGet(settings({ fetch }), request({ url }))).resolves.toEqual({ ok: 1 });
    expect(calls).toEqual(['http://upstream.invalid/x?y=1', 'http://upstream.invalid/x?y=1']);
    expect(server.requests).toHaveLength(0);
  });
});

describe('httpGet within a budget', () => {
  it('fails over at once when Retry-After would end past the budget, though under the cap', async () => {
    server.failNext(1, 429, { 'retry-after': '3' });
    const err = await failure(httpGet(settings({ maxRetryAfterMs: 60_000 }), request({ budgetMs: 2000 })));
    expect(err.message).toBe('Hugging Face asks us to wait 3 s');
    expect(err.retryAfterMs).toBe(3000);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('shrinks the attempt limit to what is left of the budget, and retries no more once it is spent', async () => {
    server.setLatency(5000);
    const started = performance.now();
    const err = await failure(httpGet(settings({ timeoutMs: 10_000, retries: 3, sleep: undefined }), request({ budgetMs: 300 })));
    expect(performance.now() - started).toBeLessThan(1500);
    expect(err.message).toBe('Hugging Face did not answer within 300 ms');
    expect(server.requests).toHaveLength(1);
  });

  it('is cancelled by its signal, also while waiting to retry', async () => {
    server.failNext(5, 503);
    const controller = new AbortController();
    const work = httpGet(settings({ retries: 5, sleep: undefined }), request({ signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('stopping')), 100);
    const started = performance.now();
    await expect(work).rejects.toThrow('stopping');
    expect(performance.now() - started).toBeLessThan(400);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a body past the size cap, without retrying', async () => {
    server.failNext(1, 200, {}, 'x'.repeat(4096));
    const err = await failure(httpGet(settings({ maxBodyBytes: 1024 }), request()));
    expect(err).toBeInstanceOf(BadPayloadError);
    expect(err.message).toBe('Hugging Face sent more than 1 KB; the answer was not read');
    expect(server.requests).toHaveLength(1);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-03-14T12:00:00Z');
  it.each([
    ['1', 1000],
    ['0', 0],
    ['1.5', 1500],
    [' 30 ', 30_000],
    ['Thu, 14 Mar 2024 12:00:05 GMT', 5000],
    ['Thu, 14 Mar 2024 11:59:00 GMT', 0],
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
  it.each([null, '', 'soon', '-5'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('doubles from 0.5 s up to 8 s, jitter taking off at most a quarter', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffMs(n, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect([0, 1, 4].map((n) => backoffMs(n, () => 1))).toEqual([375, 750, 6000]);
  });
});

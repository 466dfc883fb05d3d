/**
 * The one HTTP helper behind every upstream client: a GET under the shared retry policy (see retry.ts),
 * a cap on the size of what it reads, and typed errors whose messages state what happened.
 * @module
 */

import { BadPayloadError, PaperboyError, sourceName, UpstreamError, type UpstreamSource } from '../errors.js';
import { formatMs, OutOfBudget, parseRetryAfter, withRetries, type CallLimits, type Classify, type RetryPolicy } from './retry.js';

/** The subset of `fetch` the helper uses; inject a fake in tests. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** How patient to be with an upstream service, and how much of it to read. */
export interface HttpSettings extends RetryPolicy {
  /** Largest body read; a bigger one is refused (BadPayloadError, not retried). Defaults to {@link DEFAULT_MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
  /** Sent as `User-Agent`; defaults to {@link DEFAULT_USER_AGENT}. */
  userAgent?: string;
  fetch?: FetchLike;
}

/** One GET request and how to read its answer. */
export interface GetRequest<T> extends CallLimits {
  source: UpstreamSource;
  url: URL;
  headers?: Record<string, string>;
  /** Error statuses whose body still goes to `parse` (arXiv explains a refused query in a 400 body). */
  readBodyOn?: readonly number[];
  /** Turns the body into a value. Anything it throws that is not a PaperboyError becomes a BadPayloadError. */
  parse: (body: string, status: number) => T;
  /**
   * Runs each attempt, from sending to the end of the body; the attempt's timeout starts inside, so
   * time spent waiting here does not count (the call's budget does). arXiv passes its limiter.
   */
  gate?: <R>(attempt: () => Promise<R>, signal?: AbortSignal) => Promise<R>;
}

export const DEFAULT_USER_AGENT = 'paperboy/0.1 (research paper chat bot)';
/** Far above any real answer (a 2,000-entry arXiv page is about 5 MB), far below what would hurt. */
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** An answer with an error status, for `classify`. */
class StatusFailure extends Error {
  constructor(readonly status: number, readonly retryAfterMs: number | undefined) {
    super(`HTTP ${status}`);
  }
}

/**
 * GETs `req.url` and returns what `req.parse` makes of the body. Throws UpstreamError when the service
 * stays unreachable, slow or failing after the retries the policy and budget allow, or answers a
 * non-retryable error status (the caller decides what a 404 means), and BadPayloadError when the body
 * cannot be read or is too big (never retried).
 */
export async function httpGet<T>(settings: HttpSettings, req: GetRequest<T>): Promise<T> {
  const doFetch = settings.fetch ?? ((url, init) => fetch(url, init));
  const headers = { 'user-agent': settings.userAgent ?? DEFAULT_USER_AGENT, ...req.headers };
  const maxBytes = settings.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const name = sourceName(req.source);

  const { status, body } = await withRetries(settings, req, async (begin) => {
    const once = async () => {
      const signal = begin();
      const res = await doFetch(req.url.href, { headers, signal });
      if ((res.status >= 200 && res.status < 300) || req.readBodyOn?.includes(res.status)) {
        return { status: res.status, body: await readBody(res, maxBytes, req.source) };
      }
      await res.body?.cancel().catch(() => undefined);
      throw new StatusFailure(res.status, parseRetryAfter(res.headers.get('retry-after')));
    };
    return req.gate ? req.gate(once, req.signal) : once();
  }, classifier(name, req));
  return parseBody(req, body, status);
}

function classifier(name: string, req: GetRequest<unknown>): Classify {
  return (err, { timeoutMs, attempts, outOfBudget }) => {
    if (err instanceof PaperboyError) return { error: err, retryable: false };
    if (err instanceof StatusFailure) {
      const { status, retryAfterMs } = err;
      const details = { status, retryAfterMs };
      if (!isRetryable(status)) return { error: new UpstreamError(req.source, `${name} answered HTTP ${status} for ${req.url.pathname}`, { status }), retryable: false };
      const what = status === 429 ? 'is rate limiting us (HTTP 429)' : `answered HTTP ${status}`;
      const times = attempts > 1 ? ` after ${attempts} attempts` : '';
      const waitRefused = retryAfterMs === undefined ? undefined : new UpstreamError(req.source, `${name} asks us to wait ${formatMs(retryAfterMs)}`, details);
      return { error: new UpstreamError(req.source, `${name} ${what}${times}`, details), retryable: true, ...(waitRefused ? { waitRefused } : {}) };
    }
    return { error: new UpstreamError(req.source, failureMessage(name, err, timeoutMs, outOfBudget), { cause: err }), retryable: true };
  };
}

/** Reads the body as UTF-8, refusing to hold more than `maxBytes` of it. */
async function readBody(res: Response, maxBytes: number, source: UpstreamSource): Promise<string> {
  const tooBig = () => new BadPayloadError(source, `${sourceName(source)} sent more than ${formatBytes(maxBytes)}; the answer was not read`);
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooBig();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function parseBody<T>(req: GetRequest<T>, body: string, status: number): T {
  try {
    // A UTF-8 byte-order mark is no part of the JSON or XML after it.
    return req.parse(body.startsWith('\uFEFF') ? body.slice(1) : body, status);
  } catch (err) {
    if (err instanceof PaperboyError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new BadPayloadError(req.source, `${sourceName(req.source)} sent a reply we cannot read (${why})`, err);
  }
}

/** 408, 429 and 5xx are worth another try; other statuses will not change by asking again. */
function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function failureMessage(name: string, err: unknown, timeoutMs: number, outOfBudget: boolean): string {
  if (err instanceof OutOfBudget) return `${name} could not be asked in time (its requests are queued)`;
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `${name} did not answer within ${formatMs(timeoutMs)}`;
  }
  const code = errorCode(err);
  return `Could not reach ${name}${code ? ` (${code})` : ''}${outOfBudget ? ' in time' : ''}`;
}

function errorCode(err: unknown): string | undefined {
  // undici wraps the socket error: `TypeError: fetch failed` with `cause.code` such as ECONNREFUSED.
  const cause: unknown = err instanceof Error ? err.cause : undefined;
  const code: unknown = cause && typeof cause === 'object' && 'code' in cause ? cause.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Number((bytes / 1024 / 1024).toFixed(1))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

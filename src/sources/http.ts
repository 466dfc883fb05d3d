/**
 * The one HTTP helper behind every upstream client: a timeout per attempt, retries with `Retry-After`
 * or jittered exponential backoff, and typed errors whose messages tell the user what to do.
 * @module
 */

import { BadPayloadError, PaperboyError, UpstreamError, type UpstreamSource } from '../errors.js';

/** The subset of `fetch` the helper uses; inject a fake in tests. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;
/** Waits `ms` milliseconds; inject a recorder in tests so retries take no time. */
export type Sleep = (ms: number) => Promise<void>;

/** How patient to be with an upstream service. */
export interface HttpSettings {
  /** Limit for one attempt, from sending the request to the end of the body. */
  timeoutMs: number;
  /** Extra attempts after the first one fails with a network error, a timeout, 429 or 5xx. */
  retries: number;
  /** Longest `Retry-After` we wait for; a longer one fails at once, carrying `retryAfterMs`. */
  maxRetryAfterMs: number;
  /** Sent as `User-Agent`; defaults to {@link DEFAULT_USER_AGENT}. */
  userAgent?: string;
  fetch?: FetchLike;
  sleep?: Sleep;
}

/** One GET request and how to read its answer. */
export interface GetRequest<T> {
  source: UpstreamSource;
  url: URL;
  headers?: Record<string, string>;
  /** Error statuses whose body still goes to `parse` (arXiv explains a refused query in a 400 body). */
  readBodyOn?: readonly number[];
  /** Turns the body into a value. Anything it throws that is not a PaperboyError becomes a BadPayloadError. */
  parse: (body: string, status: number) => T;
  /**
   * Runs each attempt, from sending to the end of the body; the timeout starts inside, so time spent
   * waiting here does not count. arXiv passes its limiter.
   */
  gate?: <R>(attempt: () => Promise<R>) => Promise<R>;
}

interface Attempt {
  status: number;
  body: string;
  retryAfterMs: number | undefined;
}

export const DEFAULT_USER_AGENT = 'paperboy/0.1 (research paper chat bot)';

const SOURCE_NAMES: Record<UpstreamSource, string> = {
  huggingface: 'Hugging Face',
  arxiv: 'arXiv',
  llm: 'The language model service',
  discord: 'Discord',
  slack: 'Slack',
};

/** The name of a source as users know it: `Hugging Face`, `arXiv`. */
export function sourceName(source: UpstreamSource): string {
  return SOURCE_NAMES[source];
}

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GETs `req.url` and returns what `req.parse` makes of the body. Throws UpstreamError when the service
 * stays unreachable, slow or failing after the retries, or answers a non-retryable error status (the
 * caller decides what a 404 means), and BadPayloadError when the body cannot be read (never retried).
 */
export async function httpGet<T>(settings: HttpSettings, req: GetRequest<T>): Promise<T> {
  const doFetch = settings.fetch ?? ((url, init) => fetch(url, init));
  const sleep = settings.sleep ?? realSleep;
  const name = sourceName(req.source);
  const headers = { 'user-agent': settings.userAgent ?? DEFAULT_USER_AGENT, ...req.headers };

  const once = async (): Promise<Attempt> => {
    const res = await doFetch(req.url.href, { headers, signal: AbortSignal.timeout(settings.timeoutMs) });
    return { status: res.status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')), body: await res.text() };
  };

  for (let attempt = 0; ; attempt++) {
    const lastAttempt = attempt >= settings.retries;
    let result: Attempt;
    try {
      result = await (req.gate ? req.gate(once) : once());
    } catch (err) {
      if (!lastAttempt) {
        await sleep(backoffMs(attempt));
        continue;
      }
      throw new UpstreamError(req.source, failureMessage(name, err, settings.timeoutMs), { cause: err });
    }

    const { status, body, retryAfterMs } = result;
    if ((status >= 200 && status < 300) || req.readBodyOn?.includes(status)) return parseBody(req, body, status);

    if (!isRetryable(status)) {
      throw new UpstreamError(req.source, `${name} answered HTTP ${status} for ${req.url.pathname}`, { status });
    }
    const details = { status, retryAfterMs };
    if (retryAfterMs !== undefined && retryAfterMs > settings.maxRetryAfterMs) {
      throw new UpstreamError(req.source, `${name} asks us to wait ${formatMs(retryAfterMs)}; try again later`, details);
    }
    if (lastAttempt) {
      const what = status === 429 ? `is rate limiting us (HTTP 429)` : `answered HTTP ${status}`;
      throw new UpstreamError(req.source, `${name} ${what} after ${attempt + 1} attempts; try again later`, details);
    }
    await sleep(retryAfterMs ?? backoffMs(attempt));
  }
}

function parseBody<T>(req: GetRequest<T>, body: string, status: number): T {
  try {
    return req.parse(body, status);
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

function failureMessage(name: string, err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `${name} did not answer within ${formatMs(timeoutMs)}; try again later`;
  }
  const code = errorCode(err);
  return `Could not reach ${name}${code ? ` (${code})` : ''}; check the network and try again later`;
}

function errorCode(err: unknown): string | undefined {
  // undici wraps the socket error: `TypeError: fetch failed` with `cause.code` such as ECONNREFUSED.
  const cause: unknown = err instanceof Error ? err.cause : undefined;
  const code: unknown = cause && typeof cause === 'object' && 'code' in cause ? cause.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Reads a `Retry-After` header: delay seconds (`120`) or an HTTP date. Returns milliseconds, or
 * undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // HTTP dates start with a day name; this keeps Date.parse from reading "-5" as a year.
  const at = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff from 0.5 s, capped at 8 s, minus up to 25 % jitter so clients do not retry in step. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(500 * 2 ** attempt, 8000);
  return Math.round(base * (1 - 0.25 * random()));
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  return seconds < 120 ? `${Number(seconds.toFixed(1))} s` : `${Math.ceil(seconds / 60)} min`;
}

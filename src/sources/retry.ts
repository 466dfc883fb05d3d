/**
 * The one retry policy for every upstream call (HTTP sources, the language model): a time limit per
 * attempt, retries with `Retry-After` or jittered exponential backoff, a cap on `Retry-After`, and an
 * optional budget for the whole call that no retry or wait may overrun.
 * @module
 */
import { clearTimeout as realClearTimeout, setTimeout as realSetTimeout } from 'node:timers';
import { UpstreamError, type PaperboyError } from '../errors.js';

/** Waits `ms` milliseconds, or rejects when `signal` aborts; inject a recorder in tests so retries take no time. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** How patient to be with an upstream service (Config.http). */
export interface RetryPolicy {
  /** Limit for one attempt, from sending the request to the end of the answer. */
  timeoutMs: number;
  /** Extra attempts after the first one fails with a network error, a timeout, 429 or 5xx. */
  retries: number;
  /** Longest `Retry-After` we wait for; a longer one fails at once, carrying `retryAfterMs`. */
  maxRetryAfterMs: number;
  sleep?: Sleep;
  /** Monotonic milliseconds; defaults to `performance.now()`. */
  now?: () => number;
}

/** Limits one caller puts on one call, on top of the policy. */
export interface CallLimits {
  /**
   * Time for the whole call, retries and waits included: each attempt's limit shrinks to fit, no retry
   * starts once it is spent, and a `Retry-After` beyond it fails at once (so the caller can fail over).
   */
  budgetMs?: number;
  /** Aborts the call (and any wait between attempts). */
  signal?: AbortSignal;
}

/** What a failed attempt means: the error to report, and whether asking again may help. */
export interface FailedAttempt {
  /** An UpstreamError, or another Paperboy error (bad input a parser found) that is never retried. */
  error: PaperboyError;
  retryable: boolean;
  /** Thrown instead of `error` when its `Retry-After` is past the cap or the budget. */
  waitRefused?: UpstreamError;
}

/** One attempt. `begin()` starts its clock (call it once past any queue) and gives the signal to pass on. */
export type Attempt<T> = (begin: () => AbortSignal) => Promise<T>;

/**
 * Describes a failed attempt. `timeoutMs` is the limit that attempt had; `attempts` counts it.
 * Errors the caller's own signal caused arrive here too (`signal.aborted`).
 */
export type Classify = (err: unknown, context: { timeoutMs: number; attempts: number; outOfBudget: boolean }) => FailedAttempt;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort(): void {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });

/** Thrown by `begin()` when the budget was spent before the attempt could start (e.g. waiting its turn). */
export class OutOfBudget extends Error {
  constructor() {
    super('the time budget was spent before the request could be sent');
    this.name = 'OutOfBudget';
  }
}

/** Runs `attempt` under the policy: retries what `classify` calls retryable while the budget lasts. */
/**
 * An attempt's signal: aborted with a TimeoutError after `ms`, or when `outer` aborts. A timer of our
 * own rather than AbortSignal.timeout(): combined through AbortSignal.any(), Node 20 holds the timeout
 * signal only weakly, and once garbage-collected it never fires (a hung upstream then hangs the call).
 * It is node:timers' own timer, as AbortSignal.timeout's is: network time is real time, also where a
 * test fakes the clock of the scheduler.
 */
function attemptTimeout(ms: number, outer: AbortSignal | undefined): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  const onOuter = () => controller.abort(outer?.reason);
  const timer = realSetTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
  if (outer?.aborted) onOuter();
  else outer?.addEventListener('abort', onOuter, { once: true });
  return {
    signal: controller.signal,
    stop: () => {
      realClearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}

export async function withRetries<T>(policy: RetryPolicy, limits: CallLimits, attempt: Attempt<T>, classify: Classify): Promise<T> {
  const now = policy.now ?? (() => performance.now());
  const sleep = policy.sleep ?? realSleep;
  const deadline = limits.budgetMs === undefined ? Number.POSITIVE_INFINITY : now() + limits.budgetMs;
  for (let attempts = 1; ; attempts++) {
    let timeoutMs = policy.timeoutMs;
    let outOfBudget = false;
    let stop: (() => void) | undefined;
    const begin = (): AbortSignal => {
      const left = deadline - now();
      if (left <= 0) {
        outOfBudget = true;
        throw new OutOfBudget();
      }
      timeoutMs = Math.min(policy.timeoutMs, Math.ceil(left));
      const attemptSignal = attemptTimeout(timeoutMs, limits.signal);
      stop = attemptSignal.stop;
      return attemptSignal.signal;
    };
    try {
      const result = await attempt(begin);
      stop?.();
      return result;
    } catch (err) {
      stop?.();
      if (limits.signal?.aborted) throw limits.signal.reason;
      outOfBudget ||= deadline - now() <= 0;
      const { error, retryable, waitRefused = error } = classify(err, { timeoutMs, attempts, outOfBudget });
      const retryAfterMs = error instanceof UpstreamError ? error.retryAfterMs : undefined;
      // Waiting past the cap or the budget only to be cut off: fail now, so the caller can fail over.
      const refused = retryAfterMs !== undefined && (retryAfterMs > policy.maxRetryAfterMs || now() + retryAfterMs >= deadline);
      if (retryable && refused) throw waitRefused;
      if (!retryable || attempts > policy.retries || outOfBudget) throw error;
      const waitMs = retryAfterMs ?? backoffMs(attempts - 1);
      if (now() + waitMs >= deadline) throw error;
      await sleep(waitMs, limits.signal);
    }
  }
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

/** `200 ms`, `1.5 s`, `2 min`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  return seconds < 120 ? `${Number(seconds.toFixed(1))} s` : `${Math.ceil(seconds / 60)} min`;
}

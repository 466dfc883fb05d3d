/**
 * Keeps Paperboy within arXiv's API terms: "no more than one request every three seconds, and a single
 * connection at a time". Clients that ignore this get 429/503 answers and temporary blocks, which would
 * hit every channel at once, so the whole process shares one limiter.
 * @module
 */

import { realSleep, type Sleep } from './retry.js';

export interface LimiterClock {
  /** Milliseconds from a monotonic clock; defaults to `performance.now()`. */
  now?: () => number;
  sleep?: Sleep;
}

/**
 * Runs tasks one at a time, in the order they were scheduled, starting each at least `minIntervalMs`
 * after the previous one started.
 */
export class ArxivLimiter {
  #minIntervalMs: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  #lastStart = Number.NEGATIVE_INFINITY;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(minIntervalMs: number, clock: LimiterClock = {}) {
    this.#minIntervalMs = minIntervalMs;
    this.#now = clock.now ?? (() => performance.now());
    this.#sleep = clock.sleep ?? realSleep;
  }

  get minIntervalMs(): number {
    return this.#minIntervalMs;
  }

  /** Raises the interval (never lowers it): the strictest caller wins. */
  atLeast(minIntervalMs: number): this {
    this.#minIntervalMs = Math.max(this.#minIntervalMs, minIntervalMs);
    return this;
  }

  /**
   * Waits for the previous task to settle and for the interval to pass, then runs `task`. When `signal`
   * aborts first, the task is skipped (its turn passes to the next at once) and the promise rejects.
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const result = this.#tail.then(async () => {
      // A loop, not a single sleep: timers may fire a little early.
      for (let wait = this.#waitMs(); wait > 0 && !signal?.aborted; wait = this.#waitMs()) await this.#sleep(wait, signal);
      if (signal?.aborted) throw signal.reason;
      this.#lastStart = this.#now();
      return task();
    });
    // A failed task must not stop the queue.
    this.#tail = result.catch(() => undefined);
    return result;
  }

  #waitMs(): number {
    return this.#lastStart + this.#minIntervalMs - this.#now();
  }
}

let shared: ArxivLimiter | undefined;

/**
 * The limiter every ArxivClient uses unless given its own, so all arXiv calls of the process queue
 * together. Asking with a longer interval raises it for everyone.
 */
export function sharedArxivLimiter(minIntervalMs: number): ArxivLimiter {
  shared ??= new ArxivLimiter(minIntervalMs);
  return shared.atLeast(minIntervalMs);
}

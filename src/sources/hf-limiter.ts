/**
 * Keeps Paperboy within Hugging Face's API rate limit: 500 calls per 5 minutes per IP anonymously,
 * 1,000 with a token. A sliding window: calls go at once while the last five minutes hold fewer than
 * the budget, then each waits until the oldest call leaves the window. A day-range backfill is thus
 * fast when short and paced when long, and a retry counts as a call.
 * @module
 */
import { realSleep, type Sleep } from './retry.js';
import type { LimiterClock } from './arxiv-limiter.js';

export const HF_WINDOW_MS = 5 * 60_000;
/** Calls per window that Hugging Face allows: anonymous, and with HF_TOKEN. */
export const HF_CALLS_ANONYMOUS = 500;
export const HF_CALLS_WITH_TOKEN = 1000;
/** The share of the budget this process uses: the rest is left to others on the same IP (the bot beside a CLI run). */
const SHARE = 0.9;

export class HfCallWindow {
  readonly budget: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  /** Start times of the calls in the window, oldest first. */
  readonly #starts: number[] = [];
  #tail: Promise<unknown> = Promise.resolve();

  constructor(callsPerWindow: number, windowMs = HF_WINDOW_MS, clock: LimiterClock = {}) {
    this.budget = Math.max(1, Math.floor(callsPerWindow * SHARE));
    this.#windowMs = windowMs;
    this.#now = clock.now ?? (() => performance.now());
    this.#sleep = clock.sleep ?? realSleep;
  }

  /** The window for a client with or without a token. */
  static forToken(token: string | undefined, clock?: LimiterClock): HfCallWindow {
    return new HfCallWindow(token ? HF_CALLS_WITH_TOKEN : HF_CALLS_ANONYMOUS, HF_WINDOW_MS, clock);
  }

  /** Starts `task` once the window has room; calls start in the order they asked. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const turn = this.#tail.then(async () => {
      for (let wait = this.#waitMs(); wait > 0; wait = this.#waitMs()) await this.#sleep(wait);
      this.#starts.push(this.#now());
    });
    this.#tail = turn.catch(() => undefined);
    // Only the start is queued: calls may overlap once started.
    return turn.then(task);
  }

  #waitMs(): number {
    const now = this.#now();
    while (this.#starts.length > 0 && this.#starts[0]! <= now - this.#windowMs) this.#starts.shift();
    return this.#starts.length < this.budget ? 0 : this.#starts[0]! + this.#windowMs - now;
  }
}

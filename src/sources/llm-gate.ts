/**
 * Keeps Paperboy within what an LLM endpoint allows: at most `concurrency` requests at once and at most
 * `perMinute` started in any 60 seconds. Hosted APIs answer 429 beyond their limits and a local
 * server on two cores slows everyone down, so every call of the process goes through one gate.
 * @module
 */
import { realSleep, type Sleep } from './retry.js';

export interface GateOptions {
  /** Requests in flight at once, at least 1. */
  concurrency: number;
  /** Requests started in any 60 s window; 0 for no limit. */
  perMinute: number;
  /** Milliseconds from a monotonic clock; defaults to `performance.now()`. */
  now?: () => number;
  sleep?: Sleep;
}

const WINDOW_MS = 60_000;

export class RequestGate {
  readonly #concurrency: number;
  readonly #perMinute: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  #active = 0;
  readonly #queue: (() => void)[] = [];
  /** Start times within the last window, oldest first. */
  readonly #starts: number[] = [];

  constructor(options: GateOptions) {
    this.#concurrency = Math.max(1, options.concurrency);
    this.#perMinute = Math.max(0, options.perMinute);
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? realSleep;
  }

  /** Requests running now. */
  get active(): number {
    return this.#active;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Waits for a slot and for the per-minute budget, then runs `task`; first come, first served. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      await this.#pace();
      return await task();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> {
    if (this.#active < this.#concurrency) {
      this.#active++;
      return Promise.resolve();
    }
    // The slot passes straight from the releasing task to the next in line.
    return new Promise((resolve) => this.#queue.push(resolve));
  }

  #release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#active--;
  }

  async #pace(): Promise<void> {
    if (this.#perMinute === 0) return;
    for (;;) {
      const now = this.#now();
      while (this.#starts.length > 0 && this.#starts[0]! <= now - WINDOW_MS) this.#starts.shift();
      if (this.#starts.length < this.#perMinute) {
        this.#starts.push(now);
        return;
      }
      await this.#sleep(this.#starts[0]! + WINDOW_MS - now);
    }
  }
}

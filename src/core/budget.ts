/**
 * The time one request may keep a chat user waiting, shared by the upstream calls it makes: each
 * call gets what is left (as its `budgetMs`), so two calls in a row cannot wait twice as long.
 * @module
 */
export class Budget {
  readonly #endsAt: number;

  /** `now` is monotonic milliseconds (default `performance.now()`). */
  constructor(readonly ms: number, private readonly now: () => number = () => performance.now()) {
    this.#endsAt = now() + ms;
  }

  /** Milliseconds left, never below 0. */
  leftMs(): number {
    return Math.max(0, Math.floor(this.#endsAt - this.now()));
  }

  get spent(): boolean {
    return this.leftMs() === 0;
  }

  /** `5 s`, for messages that say how long was waited. */
  get label(): string {
    return `${Number((this.ms / 1000).toFixed(1))} s`;
  }
}

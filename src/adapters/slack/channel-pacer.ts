/**
 * Keeps posts to one channel at least `intervalMs` apart: Slack allows chat.postMessage about once a
 * second per channel and answers bursts with 429. Channels do not wait for each other.
 * @module
 */

export interface ChannelPacerOptions {
  intervalMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Hands out posting turns per channel, `intervalMs` apart. */
export class ChannelPacer {
  /** When each channel may post next; a reservation is made before waiting, so callers queue in order. */
  private readonly nextAt = new Map<string, number>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ChannelPacerOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Resolves when the channel may post; each call takes the next free slot. */
  async turn(channel: string): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextAt.get(channel) ?? 0);
    this.nextAt.set(channel, at + this.options.intervalMs);
    if (this.nextAt.size > 1000) this.forgetIdle(now);
    if (at > now) await this.sleep(at - now);
  }

  private forgetIdle(now: number): void {
    for (const [channel, at] of this.nextAt) if (at < now) this.nextAt.delete(channel);
  }
}

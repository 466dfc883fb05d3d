/**
 * A progress line on stderr for long CLI work (import, fetch): redrawn in place on a terminal, at most
 * ten times a second; elsewhere (a log file, a pipe) one plain line every few seconds, so logs stay short.
 * @module
 */
import type { Writable } from 'node:stream';

export interface ProgressOptions {
  stream: Writable & { isTTY?: boolean };
  /** The unit of `done` and `total`, e.g. "files" or "days". */
  unit: string;
  total: number;
  now?: () => number;
  /** Between two plain lines when not on a terminal; default 5 s. */
  plainEveryMs?: number;
}

const WIDTH = 24;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export class Progress {
  private readonly started: number;
  private last = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private readonly tty: boolean;
  private readonly now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    this.tty = Boolean(options.stream.isTTY);
    // A plain line only once there is something to say about the pace.
    if (!this.tty) this.last = this.started;
  }

  /**
   * Shows `done` of `total`; `fraction` (0..1) when the work is better measured otherwise (bytes read),
   * and `papers` stored so far for the rate.
   */
  update(done: number, papers: number, fraction = this.options.total ? done / this.options.total : 1, force = false): void {
    const now = this.now();
    if (!force && now - this.last < (this.tty ? 100 : (this.options.plainEveryMs ?? 5000))) return;
    this.last = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? papers / seconds : 0;
    const left = fraction > 0 && fraction < 1 ? (seconds * (1 - fraction)) / fraction : 0;
    const parts = [
      `${fmt(done)}/${fmt(this.options.total)} ${this.options.unit}`,
      `${fmt(papers)} papers`,
      ...(seconds >= 1 ? [`${fmt(rate)} papers/s`] : []),
      ...(left >= 1 ? [`${fmt(left)} s left`] : []),
    ].join(' · ');
    if (this.tty) {
      const filled = Math.min(WIDTH, Math.round(fraction * WIDTH));
      this.options.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${parts}\x1b[K`);
      this.drawn = true;
    } else {
      this.options.stream.write(`${Math.floor(fraction * 100)}% ${parts}\n`);
    }
  }

  /** Writes a line of its own (a refused file) without tearing the bar. */
  note(line: string): void {
    this.clear();
    this.options.stream.write(`${line}\n`);
    this.last = Number.NEGATIVE_INFINITY;
  }

  /** Ends the bar's line on a terminal. */
  done(): void {
    if (this.drawn) this.options.stream.write('\n');
    this.drawn = false;
  }

  private clear(): void {
    if (this.drawn) this.options.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

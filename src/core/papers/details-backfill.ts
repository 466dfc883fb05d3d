/**
 * Fills in arXiv's details (categories, version, dates, comment) for papers that came from a Hugging Face
 * list, which carries none of them, so `cat:` finds every stored paper. A background task of the running
 * bot: papers waiting are queued in `paper_details_queue` when stored; 100 of them go to arXiv in one
 * id_list request, through the process-wide arXiv limiter (one request every 3 s, one at a time), with a
 * pause between batches so a user's lookup is never stuck behind a long backfill. Never blocks a command;
 * stops cleanly after the request in flight.
 * @module
 */
import type { Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { tryParseArxivId } from './arxiv-id.js';
import type { PaperRecord } from './record.js';
import type { PaperStore } from './store.js';

/** What the backfill needs from arXiv: many papers by id (ArxivClient.lookup). */
export interface ArxivLookup {
  lookup(ids: string[]): Promise<{ found: PaperRecord[]; missing: string[] }>;
}

export interface DetailsBackfillOptions {
  database: Database;
  store: PaperStore;
  arxiv: ArxivLookup;
  now: () => number;
  logger?: Logger;
  /** Ids per arXiv request; arXiv's id_list takes 100 comfortably. */
  batch?: number;
  /** Between two batches, leaving the arXiv limiter free for users' lookups. */
  pauseMs?: number;
  /** With nothing due: how long until looking again (new papers wake it sooner, see nudge). */
  idleMs?: number;
  /** After arXiv failed: how long until trying again. */
  failureMs?: number;
}

const DAY_MS = 86_400_000;
/** A paper arXiv does not know is asked about again after 1, 2, 4 and 8 days, then no more. */
const MAX_TRIES = 4;

export class DetailsBackfill {
  private readonly due;
  private readonly forget;
  private readonly later;
  private readonly pending;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: DetailsBackfillOptions) {
    const { sqlite } = options.database;
    this.due = sqlite.prepare<[number, number], { pk: number; id: string; tries: number }>(`SELECT q.paper_pk AS pk, p.id AS id, q.tries AS tries
      FROM paper_details_queue q JOIN papers p ON p.pk = q.paper_pk WHERE q.next_at <= ? ORDER BY q.paper_pk LIMIT ?`);
    this.forget = sqlite.prepare('DELETE FROM paper_details_queue WHERE paper_pk = ?');
    this.later = sqlite.prepare('UPDATE paper_details_queue SET tries = tries + 1, next_at = ? WHERE paper_pk = ?');
    this.pending = sqlite.prepare<[], number>('SELECT count(*) FROM paper_details_queue').pluck();
  }

  /** Papers still waiting for their details. */
  waiting(): number {
    return this.pending.get() ?? 0;
  }

  /**
   * One batch: up to `batch` waiting papers asked from arXiv in one request; found ones stored with
   * arXiv's details (and off the queue), unknown ones asked again later. Returns how many were handled
   * (0: nothing was due). Throws when arXiv fails; the papers stay queued as they were.
   */
  async runOnce(): Promise<number> {
    const rows = this.due.all(this.options.now(), this.options.batch ?? 100);
    if (rows.length === 0) return 0;
    // One malformed id makes arXiv refuse the whole request: such ids are never asked.
    const askable = rows.filter((row) => tryParseArxivId(row.id)?.id === row.id);
    const { found } = askable.length > 0 ? await this.options.arxiv.lookup(askable.map((r) => r.id)) : { found: [] };
    const byId = new Map(found.map((record) => [record.id, record]));
    const now = this.options.now();
    this.options.store.atomically(() => {
      for (const row of rows) {
        const record = byId.get(row.id);
        if (record) this.options.store.upsert(record);
        if (record || row.tries >= MAX_TRIES || !askable.includes(row)) this.forget.run(row.pk);
        else this.later.run(now + DAY_MS * 2 ** row.tries, row.pk);
      }
    });
    return rows.length;
  }

  /** Starts the background loop (once). */
  start(): void {
    this.stopping = false;
    this.running ??= this.loop().finally(() => (this.running = undefined));
  }

  /** New papers were stored: look at once instead of at the end of the idle wait. */
  nudge(): void {
    this.wake?.();
  }

  /** Stops after the batch in flight; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { pauseMs = 3_000, idleMs = 10 * 60_000, failureMs = 5 * 60_000, logger } = this.options;
    let filled = 0;
    while (!this.stopping) {
      let wait: number;
      try {
        const handled = await this.runOnce();
        filled += handled;
        if (handled === 0 && filled > 0) {
          logger?.info({ papers: filled }, 'arXiv details filled in');
          filled = 0;
        }
        wait = handled === 0 ? idleMs : pauseMs;
      } catch (err) {
        logger?.warn({ err }, 'arXiv details backfill paused: arXiv did not answer');
        wait = failureMs;
      }
      if (!this.stopping) await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}

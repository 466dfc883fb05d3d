/**
 * Keeps the search index up to date in the running bot. Every minute (and at start): a few papers
 * behind, it indexes them itself; more (an import or backfill from the CLI beside it), it catches up in
 * a worker thread, so no command waits, and searches answer from FTS5 meanwhile. Once up to date, it
 * reads the index's chunks into memory a slice at a time between other work (SearchIndex.warm). When
 * papers were stored (by itself or another process) and daily, it merges FTS5's segments a step at a
 * time in the same way (`mergeFullText`: an import leaves one per batch).
 * @module
 */
import type { Worker } from 'node:worker_threads';
import type { Logger } from '../../../logger.js';
import { startModuleWorker } from '../../../worker-thread.js';
import { INLINE_PAPERS, type SearchIndex } from './index.js';

export interface SearchIndexingOptions {
  index: SearchIndex;
  /** The database file, for the worker's own connection; none (an in-memory database): catch up inline. */
  databasePath?: string;
  logger?: Logger;
  intervalMs?: number;
  /** One step of merging FTS5's segments (PaperStore.tidySearchIndexStep): true while there is more. */
  mergeFullText?: () => boolean;
}

export class SearchIndexing {
  private timer: NodeJS.Timeout | undefined;
  private worker: Worker | undefined;
  private warming: NodeJS.Immediate | undefined;
  private tidying: NodeJS.Immediate | undefined;
  /** The index's generation when FTS5 was last tidied: it moves when papers are stored. */
  private tidiedAt: number | undefined;

  constructor(private readonly options: SearchIndexingOptions) {}

  start(): void {
    this.check();
    this.timer = setInterval(() => this.check(), this.options.intervalMs ?? 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearImmediate(this.warming);
    this.warming = undefined;
    clearImmediate(this.tidying);
    this.tidying = undefined;
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private check(): void {
    if (this.worker) return;
    const { index, databasePath, logger } = this.options;
    try {
      const behind = index.behind();
      if (behind <= INLINE_PAPERS || !databasePath || databasePath === ':memory:') {
        if (behind > 0) index.catchUp();
        this.warm();
        if (index.generation !== this.tidiedAt) this.tidy();
        return;
      }
      logger?.info({ behind }, 'search index: catching up in the background');
      const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
      const worker = startModuleWorker(new URL(`./catch-up-worker.${extension}`, import.meta.url).href, { searchIndexPath: databasePath });
      this.worker = worker;
      let logged = 0;
      worker.on('message', (message: { progress?: { done: number; total: number }; done?: number; error?: string }) => {
        if (message.progress && Date.now() - logged > 30_000) {
          logged = Date.now();
          logger?.info(message.progress, 'search index: catching up');
        }
        if (message.done !== undefined) logger?.info({ indexed: message.done }, 'search index: up to date');
        if (message.error) logger?.warn({ err: message.error }, 'search index: catch-up failed; searches answer from FTS5 and it is tried again in a minute');
      });
      worker.on('error', (err) => logger?.warn({ err }, 'search index: catch-up failed; tried again in a minute'));
      worker.on('exit', () => {
        if (this.worker === worker) this.worker = undefined;
      });
    } catch (err) {
      logger?.warn({ err }, 'search index: could not check how far behind it is; tried again in a minute');
    }
  }

  /** Slices of reading ahead (about 200 chunks, a few ms each), each after the events waiting. */
  private warm(): void {
    if (this.warming) return;
    const step = () => {
      try {
        if (this.options.index.warm(200)) {
          this.warming = setImmediate(step);
          return;
        }
      } catch (err) {
        this.options.logger?.warn({ err }, 'search index: could not read ahead; searches read from disk');
      }
      this.warming = undefined;
    };
    this.warming = setImmediate(step);
  }

  /**
   * Merges FTS5's segments a step at a time (tens of ms each), each after the events waiting, until
   * none is left to merge (or another process is writing: then at the next check or the next day).
   */
  tidy(): void {
    const { mergeFullText, index, logger } = this.options;
    if (!mergeFullText || this.tidying) return;
    this.tidiedAt = index.generation;
    const started = performance.now();
    let steps = 0;
    const step = () => {
      try {
        if (mergeFullText()) {
          if (steps++ === 0) logger?.info('full-text index: merging its segments in the background');
          this.tidying = setImmediate(step);
          return;
        }
        if (steps > 0) logger?.info({ steps, ms: Math.round(performance.now() - started) }, 'full-text index: segments merged');
      } catch (err) {
        logger?.warn({ err }, 'full-text index: could not merge its segments; tried again when papers are stored, or tomorrow');
      }
      this.tidying = undefined;
    };
    this.tidying = setImmediate(step);
  }
}

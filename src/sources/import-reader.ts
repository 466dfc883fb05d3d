/**
 * Reads the files of `paperboy import` one after another, in a worker thread when there is much to read:
 * reading, JSON parsing, validation and packing then run on the second core while the main thread writes
 * the previous files to SQLite. A few write batches of papers are read ahead, no more, so the writer
 * never waits for the reader and memory stays flat at any size. Asked to (`index`), the worker also
 * builds the search index's segments from the papers the writer tells it it inserted (segment-feed.ts),
 * so the index is up to date when the import ends.
 * This file is also the worker's entry point.
 * @module
 */
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { startModuleWorker } from '../worker-thread.js';
import { IMPORT_BATCH } from '../core/papers/bulk-import.js';
import { segmentBuffers, SegmentFeed, type FedSegment, type IndexTotals } from '../core/papers/search-index/segment-feed.js';
import { isPaperboyError } from '../errors.js';
import { parseImportFile, type ParsedFile } from './import-file.js';

/** A file read and validated, or refused with the one line that says why. */
export type ReadOutcome = { ok: true; file: ParsedFile } | { ok: false; path: string; message: string };

/**
 * Papers read ahead of the writer: three batches. The reader's work per batch (reading, then indexing
 * the batch before once it is written) is about the writer's, so with one batch ahead either often
 * waited for the other; with three, both cores stay busy. Counted in papers, not files: daily files
 * hold anything from one paper to hundreds.
 */
const AHEAD_PAPERS = 3 * IMPORT_BATCH;
/** Below this many bytes in all, starting a worker costs more than it saves. */
const WORKER_FROM_BYTES = 8 * 1024 * 1024;

function readOne(path: string): ReadOutcome {
  try {
    return { ok: true, file: parseImportFile(path) };
  } catch (err) {
    return { ok: false, path, message: isPaperboyError(err) ? err.message : `Cannot import ${path}: ${String(err)}` };
  }
}

/** Messages from the main thread to the worker. */
type ToWorker = { taken: number } | { placed: Uint32Array[] } | { end: true };
/** Messages from the worker. */
type FromWorker = { outcome: ReadOutcome } | { segment: FedSegment } | { ended: true };

export interface ImportReaderOptions {
  /** Forces (true) or forbids (false) the worker thread; by default one is used from 8 MB of files. */
  worker?: boolean;
  /**
   * Builds the search index's segments in the worker, from these totals on (SearchIndex.feedStart);
   * each is handed to `onSegment`. Only with a worker.
   */
  index?: { totals: IndexTotals; onSegment: (segment: FedSegment) => void };
}

/** The files of an import, read (and validated, packed) ahead of the writer. */
export class ImportReader {
  private readonly worker: Worker | undefined;
  private readonly queue: ReadOutcome[] = [];
  private wake: (() => void) | undefined;
  private failure: unknown;
  private exited = false;
  private ended = false;
  /** True when the worker builds the search index's segments. */
  readonly feeds: boolean;

  constructor(private readonly files: readonly { path: string; bytes: number }[], private readonly options: ImportReaderOptions = {}) {
    const useWorker = options.worker ?? files.reduce((sum, f) => sum + f.bytes, 0) >= WORKER_FROM_BYTES;
    this.feeds = useWorker && options.index !== undefined;
    if (!useWorker) return;
    const worker = startModuleWorker(import.meta.url, { importFiles: files.map((f) => f.path), index: this.feeds ? options.index!.totals : undefined });
    this.worker = worker;
    worker.on('message', (message: FromWorker) => {
      if ('outcome' in message) this.queue.push(message.outcome);
      else if ('segment' in message) this.options.index?.onSegment(message.segment);
      else this.ended = true;
      this.wake?.();
    });
    worker.on('error', (err) => {
      this.failure = err;
      this.wake?.();
    });
    worker.on('exit', () => {
      this.exited = true;
      this.wake?.();
    });
  }

  /** Each file read and validated, in the order given. */
  async *outcomes(): AsyncGenerator<ReadOutcome> {
    const { worker, files } = this;
    if (!worker) {
      for (const { path } of files) yield readOne(path);
      return;
    }
    for (let received = 0; received < files.length; received++) {
      await this.until(() => this.queue.length > 0);
      const outcome = this.queue.shift();
      if (!outcome) throw this.stopped(`after ${received} of ${files.length} files`);
      yield outcome;
      // Taken (and written, when it completed a batch): room for as many papers more.
      this.post({ taken: outcome.ok ? outcome.file.papers : 0 });
    }
  }

  /**
   * A batch was committed: where each of its files' papers were inserted (BulkImport's onWritten), for
   * the files read ok, in their order.
   */
  placed(pks: Uint32Array[]): void {
    if (this.feeds) this.post({ placed: pks }, pks.map((p) => p.buffer as ArrayBuffer));
  }

  /** After the last write: resolves once the worker has handed over its last segment. */
  async finish(): Promise<void> {
    if (!this.feeds) return;
    this.post({ end: true });
    await this.until(() => this.ended);
    if (!this.ended) throw this.stopped('before its last search index segment');
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }

  private post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  /** Waits until `done`, or the worker failed or stopped. */
  private async until(done: () => boolean): Promise<void> {
    while (!done() && this.failure === undefined && !this.exited) await new Promise<void>((resolve) => (this.wake = resolve));
  }

  private stopped(when: string): Error {
    return this.failure instanceof Error ? this.failure : new Error(`the import reader stopped ${when}`);
  }
}

/** Each file read and validated, in the order given (an {@link ImportReader} without the index). */
export async function* readImportFiles(files: readonly { path: string; bytes: number }[], options: { worker?: boolean } = {}): AsyncGenerator<ReadOutcome> {
  const reader = new ImportReader(files, options);
  try {
    yield* reader.outcomes();
  } finally {
    await reader.close();
  }
}

const job = workerData as { importFiles?: string[]; index?: IndexTotals } | null;
if (!isMainThread && parentPort && job && Array.isArray(job.importFiles)) {
  const port = parentPort;
  const paths = job.importFiles;
  const feed = job.index ? new SegmentFeed(job.index) : undefined;
  const hand = (segment: FedSegment | undefined) => {
    if (segment) port.postMessage({ segment } satisfies FromWorker, segmentBuffers(segment));
  };
  let next = 0;
  let ahead = 0; // papers sent and not yet taken
  let unanswered = 0; // files sent and not yet taken
  const send = () => {
    for (; next < paths.length && (ahead < AHEAD_PAPERS || unanswered === 0); unanswered++) {
      const outcome = readOne(paths[next++]!);
      if (outcome.ok) {
        ahead += outcome.file.papers;
        feed?.keep(outcome.file.packed);
      }
      port.postMessage({ outcome } satisfies FromWorker);
    }
  };
  port.on('message', (message: ToWorker) => {
    if ('taken' in message) {
      ahead -= message.taken;
      unanswered--;
      send();
    } else if ('placed' in message) {
      for (const pks of message.placed) for (const segment of feed?.placed(pks) ?? []) hand(segment);
    } else {
      hand(feed?.end());
      port.postMessage({ ended: true } satisfies FromWorker);
    }
  });
  send();
}

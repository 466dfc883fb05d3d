/**
 * Reads the files of `paperboy import` one after another, in a worker thread when there is much to read:
 * reading, JSON parsing, validation and packing then run on the second core while the main thread writes
 * the previous files to SQLite. About one write batch of papers is read ahead, no more, so the writer
 * never waits for the reader and memory stays flat at any size.
 * This file is also the worker's entry point.
 * @module
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startModuleWorker } from '../worker-thread.js';
import { IMPORT_BATCH } from '../core/papers/bulk-import.js';
import { isPaperboyError } from '../errors.js';
import { parseImportFile, type ParsedFile } from './import-file.js';

/** A file read and validated, or refused with the one line that says why. */
export type ReadOutcome = { ok: true; file: ParsedFile } | { ok: false; path: string; message: string };

/**
 * Papers read ahead of the writer: a whole batch, so the next one is ready when a write ends. Counted
 * in papers, not files: daily files hold anything from one paper to hundreds.
 */
const AHEAD_PAPERS = IMPORT_BATCH;
/** Below this many bytes in all, starting a worker costs more than it saves. */
const WORKER_FROM_BYTES = 8 * 1024 * 1024;

function readOne(path: string): ReadOutcome {
  try {
    return { ok: true, file: parseImportFile(path) };
  } catch (err) {
    return { ok: false, path, message: isPaperboyError(err) ? err.message : `Cannot import ${path}: ${String(err)}` };
  }
}

/**
 * Each file read and validated, in the order given. `worker` forces (true) or forbids (false) the
 * worker thread; by default one is used from 8 MB of files.
 */
export async function* readImportFiles(files: readonly { path: string; bytes: number }[], options: { worker?: boolean } = {}): AsyncGenerator<ReadOutcome> {
  const useWorker = options.worker ?? files.reduce((sum, f) => sum + f.bytes, 0) >= WORKER_FROM_BYTES;
  if (!useWorker) {
    for (const { path } of files) yield readOne(path);
    return;
  }
  const worker = startModuleWorker(import.meta.url, { importFiles: files.map((f) => f.path) });
  const queue: ReadOutcome[] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  let ended = false;
  worker.on('message', (outcome: ReadOutcome) => {
    queue.push(outcome);
    wake?.();
  });
  worker.on('error', (err) => {
    failure = err;
    wake?.();
  });
  worker.on('exit', () => {
    ended = true;
    wake?.();
  });
  try {
    for (let received = 0; received < files.length; received++) {
      while (queue.length === 0 && failure === undefined && !ended) await new Promise<void>((resolve) => (wake = resolve));
      const outcome = queue.shift();
      if (!outcome) throw failure instanceof Error ? failure : new Error(`the import reader stopped after ${received} of ${files.length} files`);
      yield outcome;
      // Taken (and written, when it completed a batch): room for as many papers more.
      worker.postMessage(outcome.ok ? outcome.file.papers : 0);
    }
  } finally {
    await worker.terminate();
  }
}

const job = workerData as { importFiles?: string[] } | null;
if (!isMainThread && parentPort && job && Array.isArray(job.importFiles)) {
  const port = parentPort;
  const paths = job.importFiles;
  let next = 0;
  let ahead = 0; // papers sent and not yet taken
  let unanswered = 0; // files sent and not yet taken
  const send = () => {
    for (; next < paths.length && (ahead < AHEAD_PAPERS || unanswered === 0); unanswered++) {
      const outcome = readOne(paths[next++]!);
      ahead += outcome.ok ? outcome.file.papers : 0;
      port.postMessage(outcome);
    }
  };
  port.on('message', (taken: number) => {
    ahead -= taken;
    unanswered--;
    send();
  });
  send();
}

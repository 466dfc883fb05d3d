/**
 * Reads the files of `paperboy import` one after another, in a worker thread when there is much to read:
 * reading, JSON parsing and validation then run on the second core while the main thread writes the
 * previous files to SQLite. A few files are read ahead, no more, so memory stays small at any size.
 * This file is also the worker's entry point.
 * @module
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { isPaperboyError } from '../errors.js';
import { parseImportFile, type ParsedFile } from './import-file.js';

/** A file read and validated, or refused with the one line that says why. */
export type ReadOutcome = { ok: true; file: ParsedFile } | { ok: false; path: string; message: string };

/** Files read ahead of the writer. */
const AHEAD = 4;
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
  const worker = startWorker(files.map((f) => f.path));
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
      worker.postMessage('next'); // room for one more
      yield outcome;
    }
  } finally {
    await worker.terminate();
  }
}

function startWorker(paths: string[]): Worker {
  const self = import.meta.url;
  if (self.endsWith('.js')) return new Worker(new URL(self), { workerData: { importFiles: paths } });
  // Run from the TypeScript sources (tsx, tests): a worker does not inherit tsx's module hooks on
  // Node 20, so it registers them before loading this file.
  const tsx = import.meta.resolve('tsx/esm/api');
  const load = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(self)}); })`;
  return new Worker(load, { eval: true, workerData: { importFiles: paths } });
}

const job = workerData as { importFiles?: string[] } | null;
if (!isMainThread && parentPort && job && Array.isArray(job.importFiles)) {
  const port = parentPort;
  const paths = job.importFiles;
  let next = 0;
  let credit = AHEAD;
  const send = () => {
    for (; credit > 0 && next < paths.length; credit--) port.postMessage(readOne(paths[next++]!));
  };
  port.on('message', () => {
    credit++;
    send();
  });
  send();
}

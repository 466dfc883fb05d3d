/**
 * Generates the search bench's corpus in a worker thread, so that making papers (and collecting the
 * garbage it leaves) neither runs between the bench's timed PaperStore calls nor is charged to them,
 * and the next batch is ready while the current one is stored. At most two batches are in flight.
 * @module
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { PaperRecord } from '../src/core/papers/record.js';
import { CorpusGenerator } from './corpus.js';

interface Job { papers: number; seed: number; batchSize: number }
type Message = { batch: PaperRecord[] } | { done: true };

/** The corpus of `new CorpusGenerator(papers, seed).batches(batchSize)`, made in a worker. */
export async function* generateInWorker(job: Job): AsyncGenerator<PaperRecord[]> {
  // A worker does not inherit tsx's module hooks (Node 20): it registers them before loading this file.
  const load = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(load, { eval: true, workerData: job });
  const queue: Message[] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  worker.on('message', (message: Message) => { queue.push(message); wake?.(); });
  worker.on('error', (err) => { failure = err; wake?.(); });
  try {
    for (;;) {
      while (queue.length === 0 && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
      if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
      const message = queue.shift()!;
      if ('done' in message) return;
      worker.postMessage('next'); // room for one more
      yield message.batch;
    }
  } finally {
    await worker.terminate();
  }
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const { papers, seed, batchSize } = workerData as Job;
  const batches = new CorpusGenerator(papers, seed).batches(batchSize);
  let credit = 2;
  const send = () => {
    while (credit > 0) {
      const next = batches.next();
      if (next.done) return port.postMessage({ done: true } satisfies Message);
      credit--;
      port.postMessage({ batch: next.value } satisfies Message);
    }
  };
  port.on('message', () => { credit++; send(); });
  send();
}

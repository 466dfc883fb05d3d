/**
 * A search-index catch-up in a worker thread, on its own connection: the running bot keeps answering
 * (from FTS5, the same ranking) while a large import or backfill is indexed. Posts progress, then 'done'.
 * @module
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../../db/database.js';
import { SearchIndex } from './index.js';

const job = workerData as { searchIndexPath?: unknown } | null;
if (!isMainThread && parentPort && job && typeof job.searchIndexPath === 'string') {
  const port = parentPort;
  const database = openDatabase(job.searchIndexPath);
  try {
    const indexed = new SearchIndex(database).catchUp((progress) => port.postMessage({ progress }));
    port.postMessage({ done: indexed });
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? err.message : String(err) });
  } finally {
    database.close();
  }
}

/**
 * After a CLI verb stored many papers (import, fetch): brings the search index up to date, with a
 * progress line, so the next /search answers from it at once rather than from FTS5.
 * @module
 */
import type { App } from '../app.js';
import { Progress } from './progress.js';
import type { Io } from './verb.js';

/** Returns how many papers were indexed; says so on stderr when there were many. */
export function indexForSearch(app: App, io: Io): number {
  const index = app.core.search.index;
  const behind = index.behind();
  if (behind === 0) return 0;
  const started = performance.now();
  const progress = behind >= 1000 ? new Progress({ stream: io.stderr, unit: 'papers indexed for search', total: behind }) : undefined;
  const indexed = index.catchUp(({ done }) => progress?.update(done, done));
  if (progress) {
    progress.update(indexed, indexed, 1, true);
    progress.done();
    io.stderr.write(`Indexed ${indexed.toLocaleString('en-US')} papers for search in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
  }
  return indexed;
}

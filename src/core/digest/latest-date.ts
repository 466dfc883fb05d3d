/**
 * The date a /digest without one means.
 * @module
 */
import { UpstreamError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Budget } from '../budget.js';
import type { DailyLists } from '../papers/daily-lists.js';
import type { PaperStore } from '../papers/store.js';

export interface LatestDateDeps {
  papers: Pick<PaperStore, 'daily' | 'latestDailyDate'>;
  lists: Pick<DailyLists, 'fetch' | 'available'>;
  /** arXiv can stand in for Hugging Face. */
  hasArxiv: boolean;
  now: () => number;
  logger?: Logger | undefined;
}

/**
 * The latest of the last seven days with a Hugging Face list (fetched as needed, within `budget`),
 * else the latest stored list. With Hugging Face failing and nothing stored: today when arXiv can
 * stand in (the channel has categories), else the failure.
 */
export async function latestDigestDate(deps: LatestDateDeps, settings: { source: 'hf' | 'arxiv'; categories: readonly string[] }, budget: Budget): Promise<string | undefined> {
  const today = new Date(deps.now()).toISOString().slice(0, 10);
  if (settings.source === 'arxiv') return today;
  let failure: unknown;
  for (let back = 0; back < 7 && deps.lists.available; back++) {
    const date = new Date(deps.now() - back * 86_400_000).toISOString().slice(0, 10);
    if (deps.papers.daily(date).length > 0) return date;
    try {
      if ((await deps.lists.fetch(date, { budget })).papers > 0) return date;
    } catch (err) {
      deps.logger?.debug({ err, date }, 'no daily list');
      failure = err;
      break;
    }
  }
  const stored = deps.papers.latestDailyDate();
  if (stored || !(failure instanceof UpstreamError)) return stored;
  if (settings.categories.length > 0 && deps.hasArxiv) return today;
  throw failure;
}

/**
 * `paperboy fetch --date D` stores one day's Hugging Face Daily Papers list; `--from A --to B` backfills
 * every day of a range with a progress line, within Hugging Face's rate limit (the HF client's call
 * window), skipping the days already fetched complete: an interrupted run resumes where it stopped.
 * @module
 */
import { parseArgs } from 'node:util';
import { assertDate } from '../core/papers/daily-lists.js';
import { backfillDays, daysOfRange } from '../core/papers/daily-backfill.js';
import { BadInputError, UpstreamError } from '../errors.js';
import { indexForSearch } from './index-for-search.js';
import { Progress } from './progress.js';
import type { Verb } from './verb.js';

const EXAMPLE = 'e.g. paperboy fetch --date 2024-03-14, or paperboy fetch --from 2024-01-01 --to 2024-03-31';

function options(args: string[]): { date?: string; from?: string; to?: string } {
  try {
    return parseArgs({ args, options: { date: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } }, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new BadInputError(`${err instanceof Error ? err.message.split('\n')[0] : 'bad arguments'}; ${EXAMPLE}`);
  }
}

export const fetchVerb: Verb = {
  name: 'fetch',
  usage: "fetch --date YYYY-MM-DD    store that day's Hugging Face Daily Papers list\n  fetch --from D --to D      store every day of a range (resumes; skips days already complete)",
  async run(app, args, io) {
    const values = options(args);
    if (values.date !== undefined && (values.from !== undefined || values.to !== undefined)) throw new BadInputError(`fetch takes --date or --from/--to, not both; ${EXAMPLE}`);
    if (values.date !== undefined) {
      const progress = (n: number) => io.stderr.write(`\rFetching Hugging Face Daily Papers for ${values.date}… ${n} papers`);
      const result = await app.core.dailyLists.fetch(values.date, { onProgress: progress });
      io.stderr.write('\n');
      io.stdout.write(`Stored ${result.papers} papers for ${result.date} (${result.inserted} new, ${result.updated + result.revised} updated, ${result.unchanged} unchanged).\n`);
      return result.papers === 0 ? 1 : 0;
    }
    if (values.from === undefined || values.to === undefined) throw new BadInputError(`fetch needs --date, or both --from and --to; ${EXAMPLE}`);
    assertDate(values.from);
    assertDate(values.to);
    const days = daysOfRange(values.from, values.to, app.core.now());
    const progress = new Progress({ stream: io.stderr, unit: 'days', total: days.length });
    const core = app.core;
    let result;
    try {
      result = await backfillDays(days, { fetchDaily: (d) => core.dailyLists.fetch(d), isComplete: (d) => core.fetchedDays.isComplete(d) }, (p) => progress.update(p.done, p.papers));
    } catch (err) {
      progress.done();
      if (err instanceof UpstreamError) throw new UpstreamError(err.source, `${err.message}. The days before it are stored: run the same command again to resume.`, { status: err.status, cause: err });
      throw err;
    }
    progress.update(days.length, result.papers, 1, true);
    progress.done();
    indexForSearch(app, io);
    const skipped = result.skipped ? `; ${result.skipped} already complete, skipped` : '';
    io.stdout.write(`Fetched ${result.fetched} days from ${days[0]} to ${days.at(-1)}${skipped}: ${result.papers} papers (${result.inserted} new, ${result.updated + result.revised} updated, ${result.unchanged} unchanged).\n`);
    return 0;
  },
};

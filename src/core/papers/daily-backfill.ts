/**
 * `paperboy fetch --from A --to B`: every Hugging Face day of a range, oldest first, skipping the days
 * already fetched complete, so an interrupted run resumes where it stopped. Pacing is the HF client's
 * (its call window); each day is stored and recorded in one transaction, so a stop loses no finished day.
 * @module
 */
import { BadInputError } from '../../errors.js';
import type { UpsertOutcome } from './store.js';

const DAY_MS = 86_400_000;
/** A range longer than this is a typo more often than a plan; HF's Daily Papers began in 2023. */
export const MAX_RANGE_DAYS = 3660;

export interface DayFetcher {
  fetchDaily(date: string): Promise<{ date: string; papers: number } & Record<UpsertOutcome, number>>;
  isComplete(date: string): boolean;
}

export interface BackfillProgress {
  /** Days handled so far (fetched or skipped) of `total`. */
  done: number;
  total: number;
  papers: number;
  date: string;
}

export type BackfillResult = Record<UpsertOutcome, number> & { days: number; fetched: number; skipped: number; papers: number };

/** The days from `from` to `to`, both YYYY-MM-DD (checked), at most up to today (UTC at `now`). */
export function daysOfRange(from: string, to: string, now: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const today = Date.parse(new Date(now).toISOString().slice(0, 10) + 'T00:00:00Z');
  const end = Math.min(Date.parse(`${to}T00:00:00Z`), today);
  if (Date.parse(`${to}T00:00:00Z`) < start) throw new BadInputError(`--from ${from} is after --to ${to}; give the earlier day first.`);
  if (start > today) throw new BadInputError(`--from ${from} is in the future; Hugging Face has no list for it yet.`);
  const count = Math.round((end - start) / DAY_MS) + 1;
  if (count > MAX_RANGE_DAYS) throw new BadInputError(`${from} to ${to} is ${count} days; fetch at most ${MAX_RANGE_DAYS} days at a time.`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
}

export async function backfillDays(days: readonly string[], fetcher: DayFetcher, onProgress?: (p: BackfillProgress) => void): Promise<BackfillResult> {
  const result: BackfillResult = { days: days.length, fetched: 0, skipped: 0, papers: 0, inserted: 0, revised: 0, updated: 0, unchanged: 0 };
  for (const [i, date] of days.entries()) {
    if (fetcher.isComplete(date)) result.skipped++;
    else {
      const day = await fetcher.fetchDaily(date);
      result.fetched++;
      result.papers += day.papers;
      for (const k of ['inserted', 'revised', 'updated', 'unchanged'] as const) result[k] += day[k];
    }
    onProgress?.({ done: i + 1, total: days.length, papers: result.papers, date });
  }
  return result;
}

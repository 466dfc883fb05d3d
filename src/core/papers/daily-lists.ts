/**
 * Hugging Face's Daily Papers lists, fetched and stored: each list whole in one transaction with the
 * time it was fetched (see FetchedDays), never half of one.
 * @module
 */
import { BadInputError, UpstreamError } from '../../errors.js';
import { dateProblem } from '../../strings.js';
import type { Budget } from '../budget.js';
import type { DetailsBackfill } from './details-backfill.js';
import type { FetchedDays } from './fetched-days.js';
import type { DailySource } from './sources.js';
import type { PaperStore, UpsertOutcome } from './store.js';

/** How to fetch a day's list: progress after each page, and the time the caller can wait for all of it. */
export interface DailyFetchOptions {
  onProgress?: (fetched: number) => void;
  budget?: Budget;
}

export type DailyFetchResult = { date: string; papers: number } & Record<UpsertOutcome, number>;

export interface DailyListsDeps {
  hf: DailySource | undefined;
  papers: PaperStore;
  fetchedDays: FetchedDays;
  /** Told when new papers came, so arXiv's details for them are fetched soon. */
  details?: Pick<DetailsBackfill, 'nudge'> | undefined;
  now: () => number;
}

export class DailyLists {
  constructor(private readonly deps: DailyListsDeps) {}

  /** True when a Hugging Face source is configured. */
  get available(): boolean {
    return this.deps.hf !== undefined;
  }

  /** Fetches a day's list and stores it. A list that does not arrive whole within the budget stores nothing. */
  async fetch(date: string, options: DailyFetchOptions = {}): Promise<DailyFetchResult> {
    const { hf, papers, fetchedDays, now } = this.deps;
    if (!hf) throw new BadInputError('No Hugging Face source is configured.');
    assertDate(date, now());
    const { budget } = options;
    if (budget?.spent) throw new UpstreamError('huggingface', `Hugging Face did not answer within ${budget.label}`);
    const entries = await hf.daily(date, options.onProgress, budget ? { budgetMs: budget.leftMs() } : {});
    const counts = papers.atomically(() => {
      const saved = papers.saveDaily(date, entries);
      fetchedDays.record(date, entries.length, now());
      return saved;
    });
    if (counts.inserted > 0) this.deps.details?.nudge();
    return { date, papers: entries.length, ...counts };
  }
}

/** Refuses anything but a real day from 1991-01-01 to the end of next year, saying which days work. */
export function assertDate(date: string, now: number = Date.now()): void {
  const problem = dateProblem(date, now);
  if (problem) throw new BadInputError(problem);
}

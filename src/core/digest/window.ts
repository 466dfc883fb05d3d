/**
 * Which stretch of time a scheduled digest covers. A paper is a candidate when it entered its source
 * (a Hugging Face list, an arXiv announcement) inside the window and the channel was not shown it yet;
 * the ledger, not the window, keeps papers from coming twice, so windows may overlap.
 * @module
 */
import type { RunRecord } from './ledger.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A paper kept out by min= is considered again while it entered less than this long ago. */
export const RECENT_MS = 3 * DAY_MS;
/** The longest look back (a channel back after a long pause gets at most this): bounds the lists fetched. */
export const MAX_LOOKBACK_MS = 8 * DAY_MS;
/** An entry may reach the API a little after the time it carries; arXiv's announcement times are estimates. */
const OVERLAP_MS = { hf: HOUR_MS, arxiv: DAY_MS } as const;

export interface Window {
  /** Exclusive, ms. */
  from: number;
  /** Inclusive, ms: the run's own time. */
  to: number;
}

/**
 * The window of a scheduled run at `now`. After an earlier run: from where it ended (a little before),
 * or 3 days back if that is earlier, never before the channel's first window. A first run starts at
 * `firstFrom` (the start of the previous UTC day for Hugging Face: at least the last complete list).
 */
export function scheduledWindow(now: number, source: 'hf' | 'arxiv', bounds: { first: RunRecord; latest: RunRecord } | undefined, firstFrom: number): Window {
  let from = firstFrom;
  if (bounds?.latest.windowTo !== undefined) {
    from = Math.min(bounds.latest.windowTo - OVERLAP_MS[source], now - RECENT_MS);
    if (bounds.first.windowFrom !== undefined) from = Math.max(from, bounds.first.windowFrom);
  }
  return { from: Math.max(from, now - MAX_LOOKBACK_MS), to: now };
}

/** Midnight UTC at the start of the UTC day before `now`'s. */
export function startOfPreviousUtcDay(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS - DAY_MS;
}

/** The UTC dates (YYYY-MM-DD) from the window's start to its end, oldest first. */
export function utcDates(window: Window): string[] {
  const dates: string[] = [];
  for (let day = Math.floor((window.from + 1) / DAY_MS) * DAY_MS; day <= window.to; day += DAY_MS) {
    dates.push(new Date(day).toISOString().slice(0, 10));
  }
  return dates;
}

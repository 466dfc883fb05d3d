/**
 * The papers a digest may carry, before filters and ranking: for a scheduled run, those that entered
 * their source inside the run's window and that the channel was not shown yet; for a /digest, one
 * Hugging Face date's list. Hugging Face lists are fetched (and stored with the time each entry
 * entered) at most once every few minutes per date, however many channels run at once.
 * @module
 */
import { UpstreamError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Budget } from '../budget.js';
import type { DailyLists } from '../papers/daily-lists.js';
import type { ArxivSource } from '../papers/sources.js';
import type { Paper } from '../papers/paper.js';
import type { PaperStore } from '../papers/store.js';
import type { DigestSettings } from '../subscriptions/settings.js';
import type { ChannelTarget } from '../subscriptions/store.js';
import { announcedAt, latestAnnouncement } from './arxiv-announcements.js';
import type { DigestLedger, RunInfo } from './ledger.js';
import { scheduledWindow, startOfPreviousUtcDay, utcDates, type Window } from './window.js';

export interface Candidate {
  paper: Paper;
  /** The Hugging Face list date the paper is on (none for arXiv). */
  date?: string;
}

export interface Gathered {
  candidates: Candidate[];
  source: RunInfo['source'];
}

export interface CandidateDeps {
  papers: PaperStore;
  lists: Pick<DailyLists, 'fetch'>;
  arxiv?: ArxivSource;
  ledger: DigestLedger;
  now: () => number;
  logger?: Logger;
}

/** A list fetched this recently is not fetched again (many channels run at the same minute). */
const REFETCH_AFTER_MS = 5 * 60_000;
const ARXIV_LISTING_SIZE = 100;

type Settings = Pick<DigestSettings, 'source' | 'categories'>;

export class CandidateSource {
  private readonly fetches = new Map<string, { at: number; done: Promise<UpstreamError | undefined> }>();

  constructor(private readonly deps: CandidateDeps) {}

  /** The window of the channel's next scheduled run, if it ran now. */
  windowAt(target: ChannelTarget, settings: Settings, now: number): Window {
    const firstFrom = settings.source === 'arxiv' ? latestAnnouncement(now) - 1 : startOfPreviousUtcDay(now);
    return scheduledWindow(now, settings.source, this.deps.ledger.scheduledBounds(target), firstFrom);
  }

  /** A scheduled run's candidates: what entered inside the window and was not shown in the channel yet. */
  async forWindow(target: ChannelTarget, settings: Settings, window: Window): Promise<Gathered> {
    const shown = this.deps.ledger.deliveredPaperIds(target, true);
    if (settings.source === 'arxiv') return { candidates: await this.announced(settings, window, shown), source: 'arxiv' };
    const failure = await this.fetchLists(utcDates(window));
    const seen = new Set<string>();
    const candidates: Candidate[] = [];
    for (const entry of this.deps.papers.enteredBetween(window.from, window.to)) {
      if (shown.has(entry.paper.id) || seen.has(entry.paper.id)) continue;
      seen.add(entry.paper.id);
      candidates.push({ paper: entry.paper, date: entry.date });
    }
    if (!failure || candidates.length > 0) return { candidates, source: 'hf' };
    return this.fallback(settings, window, shown, failure);
  }

  /**
   * A /digest of one date: that Hugging Face list (fetched anew within `budget`), less what was posted
   * in the channel already.
   */
  async forDay(target: ChannelTarget, date: string, settings: Settings, budget?: Budget): Promise<Gathered> {
    const posted = this.deps.ledger.deliveredPaperIds(target);
    const fresh = (papers: Paper[]) => papers.filter((p) => !posted.has(p.id));
    if (settings.source === 'hf') {
      const failure = await this.fetchList(date, true, budget);
      const stored = this.deps.papers.daily(date);
      if (!failure || stored.length > 0) return { candidates: fresh(stored).map((paper) => ({ paper, date })), source: 'hf' };
      if (settings.categories.length === 0 || !this.deps.arxiv) throw failure;
      this.deps.logger?.warn({ date, err: failure.message }, 'Hugging Face unavailable; using the arXiv categories');
    }
    if (!this.deps.arxiv || settings.categories.length === 0) return { candidates: [], source: settings.source === 'hf' ? 'arxiv-fallback' : 'arxiv' };
    const listed = await this.listArxiv(settings.categories);
    const endOfDay = `${date}T23:59:59Z`;
    const papers = fresh(listed.filter((p) => !p.publishedAt || p.publishedAt <= endOfDay));
    return { candidates: papers.map((paper) => ({ paper })), source: settings.source === 'hf' ? 'arxiv-fallback' : 'arxiv' };
  }

  private async fallback(settings: Settings, window: Window, shown: Set<string>, failure: UpstreamError): Promise<Gathered> {
    if (settings.categories.length === 0 || !this.deps.arxiv) throw failure;
    this.deps.logger?.warn({ err: failure.message }, 'Hugging Face unavailable; using the arXiv categories');
    return { candidates: await this.announced(settings, window, shown), source: 'arxiv-fallback' };
  }

  /** The categories' papers announced inside the window. A replacement keeps its first version's time. */
  private async announced(settings: Settings, window: Window, shown: Set<string>): Promise<Candidate[]> {
    if (!this.deps.arxiv || settings.categories.length === 0) return [];
    const listed = await this.listArxiv(settings.categories);
    return listed
      .filter((paper) => {
        if (shown.has(paper.id)) return false;
        const published = paper.publishedAt ? Date.parse(paper.publishedAt) : Number.NaN;
        const at = Number.isNaN(published) ? window.to : announcedAt(published);
        return at > window.from && at <= window.to;
      })
      .map((paper) => ({ paper }));
  }

  private async listArxiv(categories: string[]): Promise<Paper[]> {
    const listed = await this.deps.arxiv!.listCategories(categories, { max: ARXIV_LISTING_SIZE });
    this.deps.papers.upsertMany(listed);
    return this.deps.papers.ordered(listed.map((p) => p.id));
  }

  /** Fetches the lists; resolves to the last failure when every one of them failed. */
  private async fetchLists(dates: string[]): Promise<UpstreamError | undefined> {
    const failures = await Promise.all(dates.map((date) => this.fetchList(date, false)));
    const failed = failures.filter((f): f is UpstreamError => f !== undefined);
    if (failed.length > 0 && failed.length < dates.length) {
      this.deps.logger?.warn({ dates, failed: failed.length, err: failed[0]!.message }, 'some Hugging Face lists could not be fetched; their papers come with a later run');
    }
    return failed.length === dates.length ? failed.at(-1) : undefined;
  }

  private fetchList(date: string, fresh: boolean, budget?: Budget): Promise<UpstreamError | undefined> {
    const now = this.deps.now();
    const recent = this.fetches.get(date);
    if (recent && !fresh && now - recent.at < REFETCH_AFTER_MS) return recent.done;
    const done = this.deps.lists.fetch(date, budget ? { budget } : {}).then(
      () => undefined,
      (err: unknown) => {
        this.fetches.delete(date);
        if (err instanceof UpstreamError) return err;
        throw err;
      },
    );
    this.fetches.set(date, { at: now, done });
    return done;
  }
}

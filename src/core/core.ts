/**
 * The core, assembled: what commands are given. It holds no platform and reads no environment;
 * app.ts builds it from Config.
 * @module
 */
import type { Database } from '../db/database.js';
import type { ArxivRef } from './papers/arxiv-id.js';
import type { DailyEntry, PaperRecord } from './papers/record.js';
import { BadInputError } from '../errors.js';
import type { Logger } from '../logger.js';
import { DigestLedger } from './digest/ledger.js';
import { DigestService } from './digest/delivery.js';
import { RoundupService } from './digest/roundup.js';
import type { Paper } from './papers/paper.js';
import { DetailsBackfill } from './papers/details-backfill.js';
import { FetchedDays } from './papers/fetched-days.js';
import type { FetchLimits } from './papers/lookup.js';
import { PaperSearch } from './papers/search.js';
import { PaperStore, type PaperFetchers, type UpsertOutcome } from './papers/store.js';
import type { LanguageModel } from './texts/language-model.js';
import { Texts } from './texts/service.js';
import { vectorIndexFor } from './papers/embeddings.js';
import { settingsFor, SubscriptionStore } from './subscriptions/store.js';
import { VoteService } from './votes/service.js';
import { dateProblem } from '../strings.js';
import { TasteService } from './taste/service.js';

/** The Hugging Face client as the core uses it. */
export interface DailySource {
  daily(date: string, onProgress?: (fetched: number) => void): Promise<DailyEntry[]>;
  paper(id: string, limits?: FetchLimits): Promise<PaperRecord | undefined>;
}

/** The arXiv client as the core uses it. */
export interface ArxivSource {
  get(id: string, limits?: FetchLimits): Promise<PaperRecord | undefined>;
  listCategories(categories: string[], options?: { max?: number }): Promise<PaperRecord[]>;
  /** Many papers by id, 100 per request (the details backfill uses it). */
  lookup?(ids: string[]): Promise<{ found: PaperRecord[]; missing: string[] }>;
}

export interface CoreDeps {
  database: Database;
  hf?: DailySource;
  arxiv?: ArxivSource;
  now?: () => number;
  logger?: Logger;
  /** The language model for summaries and translations; none means fallbacks (HF summary, abstract). */
  llm?: LanguageModel;
  /** Quiet time after a vote before taste models refit (tests shorten it). */
  tasteRefitDelayMs?: number;
  /** Replaces the Texts built from `llm` (tests). */
  texts?: Texts;
  /** How long a paper lookup may keep its caller waiting for the sources (Config.budgets.lookupMs). */
  lookupBudgetMs?: number;
  /** How long /search waits for the query's embedding before BM25 answers alone (Config.budgets.vectorSearchMs). */
  vectorSearchBudgetMs?: number;
  /** Summaries a digest writes at once: the language model's concurrency limit (default 2). */
  textConcurrency?: number;
}

export class Core {
  readonly papers: PaperStore;
  readonly search: PaperSearch;
  readonly texts: Texts;
  readonly subscriptions: SubscriptionStore;
  readonly ledger: DigestLedger;
  readonly votes: VoteService;
  readonly taste: TasteService;
  readonly digests: DigestService;
  readonly roundups: RoundupService;
  readonly fetchedDays: FetchedDays;
  /** arXiv's details for papers Hugging Face listed; the running bot starts it (start.ts). */
  readonly details: DetailsBackfill | undefined;
  readonly now: () => number;
  private readonly fetchers: PaperFetchers;

  constructor(readonly deps: CoreDeps) {
    this.now = deps.now ?? Date.now;
    this.papers = new PaperStore(deps.database, this.now, { budgetMs: deps.lookupBudgetMs });
    this.search = new PaperSearch(deps.database, (pks) => this.papers.getByPks(pks));
    this.texts = deps.texts ?? new Texts({ database: deps.database, llm: deps.llm, now: this.now });
    const vectors = vectorIndexFor(deps.database, deps.llm, deps.vectorSearchBudgetMs);
    if (vectors) this.search.useVectors(vectors, (err) => deps.logger?.warn({ err }, 'vector search failed; BM25 alone answered'));
    this.fetchers = { hf: deps.hf, arxiv: deps.arxiv };
    this.fetchedDays = new FetchedDays(deps.database);
    const arxiv = deps.arxiv;
    this.details = arxiv?.lookup
      ? new DetailsBackfill({ database: deps.database, store: this.papers, arxiv: { lookup: (ids) => arxiv.lookup!(ids) }, now: this.now, logger: deps.logger })
      : undefined;
    this.subscriptions = new SubscriptionStore(deps.database, this.now);
    this.ledger = new DigestLedger(deps.database, this.now);
    this.votes = new VoteService(deps.database, this.ledger, (target) => settingsFor(this.subscriptions.find(target)).voteEmojis, this.now,
      (target) => settingsFor(this.subscriptions.find(target)).downEmojis);
    this.subscriptions.onChange(() => this.votes.invalidate());
    this.taste = new TasteService({ database: deps.database, papers: this.papers, search: this.search, now: this.now, logger: deps.logger, refitDelayMs: deps.tasteRefitDelayMs, embeddings: vectors });
    this.votes.onChange((target) => this.taste.noteVote(target));
    this.digests = new DigestService({
      papers: this.papers,
      fetchDaily: (date) => this.fetchDaily(date),
      arxiv: deps.arxiv,
      texts: this.texts,
      votes: this.votes,
      taste: this.taste,
      subscriptions: this.subscriptions,
      ledger: this.ledger,
      now: this.now,
      textConcurrency: deps.textConcurrency,
      logger: deps.logger,
    });
    this.roundups = new RoundupService({
      papers: this.papers, votes: this.votes, ledger: this.ledger, now: this.now,
      texts: this.texts,
    });
  }

  /**
   * The date a /digest without one means: the latest of the last seven days with a Hugging Face
   * list (fetched as needed), else the latest stored list.
   */
  async latestDigestDate(settings: { source: 'hf' | 'arxiv' }): Promise<string | undefined> {
    const today = new Date(this.now()).toISOString().slice(0, 10);
    if (settings.source === 'arxiv') return today;
    for (let back = 0; back < 7 && this.deps.hf; back++) {
      const date = new Date(this.now() - back * 86_400_000).toISOString().slice(0, 10);
      if (this.papers.daily(date).length > 0) return date;
      try {
        if ((await this.fetchDaily(date)).papers > 0) return date;
      } catch (err) {
        this.deps.logger?.debug({ err, date }, 'no daily list');
        break;
      }
    }
    return this.papers.latestDailyDate();
  }

  /** The stored paper, or Hugging Face's, or arXiv's. */
  lookup(ref: ArxivRef): Promise<Paper> {
    return this.papers.lookupOrFetch(ref, this.fetchers);
  }

  /** Fetches a day's Hugging Face list and stores it, recording when (see FetchedDays). */
  async fetchDaily(date: string, onProgress?: (fetched: number) => void): Promise<{ date: string; papers: number } & Record<UpsertOutcome, number>> {
    if (!this.deps.hf) throw new BadInputError('No Hugging Face source is configured.');
    assertDate(date, this.now());
    const entries = await this.deps.hf.daily(date, onProgress);
    const counts = this.papers.atomically(() => {
      const saved = this.papers.saveDaily(date, entries);
      this.fetchedDays.record(date, entries.length, this.now());
      return saved;
    });
    if (counts.inserted > 0) this.details?.nudge();
    return { date, papers: entries.length, ...counts };
  }
}

/** Refuses anything but a real day from 1991-01-01 to the end of next year, saying which days work. */
export function assertDate(date: string, now: number = Date.now()): void {
  const problem = dateProblem(date, now);
  if (problem) throw new BadInputError(problem);
}


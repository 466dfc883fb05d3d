/**
 * The core, assembled: what commands are given. It holds no platform and reads no environment;
 * app.ts builds it from Config.
 * @module
 */
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { DigestLedger } from './digest/ledger.js';
import { DigestService } from './digest/delivery.js';
import { RoundupService } from './digest/roundup.js';
import { DailyLists } from './papers/daily-lists.js';
import { DetailsBackfill } from './papers/details-backfill.js';
import { FetchedDays } from './papers/fetched-days.js';
import { PaperSearch } from './papers/search.js';
import type { ArxivSource, DailySource } from './papers/sources.js';
import { PaperStore } from './papers/store.js';
import type { LanguageModel } from './texts/language-model.js';
import { Texts } from './texts/service.js';
import { vectorIndexFor } from './papers/embeddings.js';
import { settingsFor, SubscriptionStore } from './subscriptions/store.js';
import { VoteService } from './votes/service.js';
import { TasteService } from './taste/service.js';

export type { DailySource } from './papers/sources.js';

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
  /** How long /paper and /translate wait for the language model's text (Config.budgets.textMs). */
  textBudgetMs?: number;
  /** How long a /digest waits for Hugging Face's lists before it answers without them (Config.budgets.digestListMs). */
  digestListBudgetMs?: number;
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
  /** Hugging Face's daily lists, fetched and stored (`paperboy fetch`, digests). */
  readonly dailyLists: DailyLists;
  /** arXiv's details for papers Hugging Face listed; the running bot starts it (start.ts). */
  readonly details: DetailsBackfill | undefined;
  readonly now: () => number;

  constructor(readonly deps: CoreDeps) {
    this.now = deps.now ?? Date.now;
    this.papers = new PaperStore(deps.database, this.now, { budgetMs: deps.lookupBudgetMs, fetchers: { hf: deps.hf, arxiv: deps.arxiv } });
    this.search = new PaperSearch(deps.database, (pks) => this.papers.getByPks(pks));
    this.texts = deps.texts ?? new Texts({ database: deps.database, llm: deps.llm, now: this.now, budgetMs: deps.textBudgetMs });
    const vectors = vectorIndexFor(deps.database, deps.llm, deps.vectorSearchBudgetMs);
    if (vectors) this.search.useVectors(vectors, (err) => deps.logger?.warn({ err }, 'vector search failed; BM25 alone answered'));
    this.fetchedDays = new FetchedDays(deps.database);
    const arxiv = deps.arxiv;
    this.details = arxiv?.lookup
      ? new DetailsBackfill({ database: deps.database, store: this.papers, arxiv: { lookup: (ids) => arxiv.lookup!(ids) }, now: this.now, logger: deps.logger })
      : undefined;
    this.dailyLists = new DailyLists({ hf: deps.hf, papers: this.papers, fetchedDays: this.fetchedDays, details: this.details, now: this.now });
    this.subscriptions = new SubscriptionStore(deps.database, this.now);
    this.ledger = new DigestLedger(deps.database, this.now);
    this.votes = new VoteService(deps.database, this.ledger, (target) => settingsFor(this.subscriptions.find(target)).voteEmojis, this.now,
      (target) => settingsFor(this.subscriptions.find(target)).downEmojis);
    this.subscriptions.onChange(() => this.votes.invalidate());
    this.taste = new TasteService({ database: deps.database, ledger: this.ledger, papers: this.papers, search: this.search, now: this.now, logger: deps.logger, refitDelayMs: deps.tasteRefitDelayMs });
    this.votes.onChange((target) => this.taste.noteVote(target));
    this.digests = new DigestService({
      papers: this.papers,
      lists: this.dailyLists,
      arxiv: deps.arxiv,
      texts: this.texts,
      votes: this.votes,
      taste: this.taste,
      subscriptions: this.subscriptions,
      ledger: this.ledger,
      now: this.now,
      textConcurrency: deps.textConcurrency,
      listBudgetMs: deps.digestListBudgetMs,
      logger: deps.logger,
    });
    this.roundups = new RoundupService({
      papers: this.papers, votes: this.votes, ledger: this.ledger, now: this.now,
      texts: this.texts,
    });
  }
}

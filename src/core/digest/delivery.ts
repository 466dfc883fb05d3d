/**
 * A channel's digests, each delivered exactly once: a scheduled run (the papers that entered since the
 * channel's previous run and were not shown there yet) or a /digest of one date. Gather, pick, plan
 * every step in the ledger, then post header, thread and papers, recording each before the next. A
 * second run (after a crash, or a repeated /digest) does only what the ledger lacks.
 * @module
 */
import type { Logger } from '../../logger.js';
import { Budget } from '../budget.js';
import { ChatPermissionError, type ChatPort, type PostedMessage, type Place } from '../chat-port.js';
import type { DailyLists } from '../papers/daily-lists.js';
import type { ArxivSource } from '../papers/sources.js';
import { latestDigestDate } from './latest-date.js';
import type { DeliveryRef, DigestLedger, LedgerStep, RunInfo, StepKind } from './ledger.js';
import { CandidateSource, type Gathered } from './candidates.js';
import { coversLabel, emptyNotice, headerReply, paperReply, threadTitle, type HeaderFacts } from './format.js';
import { rankPapers } from './selection.js';
import { languageName } from '../texts/languages.js';
import type { PaperStore } from '../papers/store.js';
import type { Reply } from '../reply.js';
import type { DigestSettings } from '../subscriptions/settings.js';
import type { ChannelTarget, SubscriptionStore } from '../subscriptions/store.js';
import type { Texts } from '../texts/service.js';
import type { VoteService } from '../votes/service.js';
import type { Window } from './window.js';
import type { TasteService } from '../taste/service.js';
import { tasteOrder } from '../taste/digest-hook.js';

const DEFAULT_LIST_BUDGET_MS = 5000;

export type DigestStatus = 'delivered' | 'already-delivered' | 'empty' | 'failed' | 'interrupted';

export interface DigestOutcome {
  status: DigestStatus;
  /** Messages posted by this run. */
  posted: number;
  /** Papers in the digest. */
  papers: number;
  /** Why it failed, in words for the channel's admins. */
  reason?: string;
}

export interface DigestDeps {
  papers: PaperStore;
  lists: Pick<DailyLists, 'fetch' | 'available'>;
  arxiv?: ArxivSource;
  texts: Pick<Texts, 'summary' | 'enabled'>;
  votes: VoteService;
  subscriptions: SubscriptionStore;
  ledger: DigestLedger;
  now?: () => number;
  /** Summaries written at once (the language model's concurrency limit); default 2. */
  textConcurrency?: number;
  /** How long a /digest waits for Hugging Face's list when no budget is passed; default 5 s. */
  listBudgetMs?: number;
  /** Orders the candidates by the channel's taste and gives the 🎯 reasons (none: upvote order). */
  taste?: Pick<TasteService, 'rank'>;
  logger?: Logger;
}

export class DigestService {
  private readonly running = new Map<string, Promise<DigestOutcome>>();
  private readonly candidates: CandidateSource;
  private readonly now: () => number;
  /** The 🎯 reasons of a planned delivery's top picks, known to the run that planned it (a resumed run has none). */
  private readonly picks = new Map<string, ReadonlyMap<string, string>>();
  private stopping = false;

  constructor(private readonly deps: DigestDeps) {
    this.now = deps.now ?? Date.now;
    this.candidates = new CandidateSource({ ...deps, now: this.now });
  }

  /** The time one /digest may wait for Hugging Face's lists; pass the same one to `latestDate` and `deliver`. */
  budget(): Budget {
    return new Budget(this.deps.listBudgetMs ?? DEFAULT_LIST_BUDGET_MS);
  }

  /** The date a /digest without one means (see latest-date.ts). */
  latestDate(settings: Pick<DigestSettings, 'source' | 'categories'>, budget = this.budget()): Promise<string | undefined> {
    const { papers, lists, arxiv, logger } = this.deps;
    return latestDigestDate({ papers, lists, hasArxiv: arxiv !== undefined, now: this.now, logger }, settings, budget);
  }

  /**
   * Posts (or completes) a /digest of one Hugging Face date; concurrent calls for one delivery share one
   * run. The list is fetched within `budget` (default: the configured one); past it, the stored list or
   * arXiv's categories stand in.
   */
  deliver(chat: ChatPort, target: ChannelTarget, date: string, settings: DigestSettings, budget?: Budget): Promise<DigestOutcome> {
    const ref: DeliveryRef = { ...target, digest: 'daily', date };
    return this.shared(ref, () => this.runDay(chat, ref, settings, budget ?? this.budget()));
  }

  /**
   * The scheduled run of the channel's local date `date`: first the rest of any earlier run left
   * half-posted, then what entered since the previous run. Run again, it only completes what is missing.
   */
  deliverScheduled(chat: ChatPort, target: ChannelTarget, date: string, settings: DigestSettings): Promise<DigestOutcome> {
    const ref: DeliveryRef = { ...target, digest: 'scheduled', date };
    return this.shared(ref, () => this.runScheduled(chat, ref, settings));
  }

  /** Lets each run finish the message in flight and record it, then stop. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private shared(ref: DeliveryRef, run: () => Promise<DigestOutcome>): Promise<DigestOutcome> {
    const id = deliveryId(ref);
    const inFlight = this.running.get(id);
    if (inFlight) return inFlight;
    const started = run().finally(() => {
      this.running.delete(id);
      this.picks.delete(id);
    });
    this.running.set(id, started);
    return started;
  }

  private async runScheduled(chat: ChatPort, ref: DeliveryRef, settings: DigestSettings): Promise<DigestOutcome> {
    for (const earlier of this.deps.ledger.unfinished(ref)) {
      if (earlier.digest === ref.digest && earlier.date === ref.date) continue;
      const outcome = await this.shared(earlier, () => this.complete(chat, earlier, settings, true));
      if (this.stopping) return outcome;
    }
    const resuming = this.deps.ledger.run(ref) !== undefined || this.deps.ledger.steps(ref).length > 0;
    if (!resuming) {
      const window = this.candidates.windowAt(ref, settings, this.now());
      await this.plan(ref, settings, await this.candidates.forWindow(ref, settings, window), window);
    }
    return this.complete(chat, ref, settings, resuming);
  }

  private async runDay(chat: ChatPort, ref: DeliveryRef, settings: DigestSettings, budget: Budget): Promise<DigestOutcome> {
    const steps = this.deps.ledger.steps(ref);
    // An empty notice blocks nothing: once the list has papers, the same /digest posts them.
    const planned = steps.some((s) => s.kind !== 'notice');
    if (!planned) {
      const gathered = await this.candidates.forDay(ref, ref.date, settings, budget);
      const noticed = steps.length > 0;
      if (gathered.candidates.length > 0 || !noticed) await this.plan(ref, settings, gathered);
    }
    return this.complete(chat, ref, settings, planned);
  }

  /** Filters, ranks and cuts the candidates, and records the plan (a run with nothing to post too, when scheduled). */
  private async plan(ref: DeliveryRef, settings: DigestSettings, gathered: Gathered, window?: Window): Promise<void> {
    // The arXiv fallback's papers have no upvotes: the floor is Hugging Face's.
    const minUpvotes = gathered.source === 'hf' ? settings.minUpvotes : 0;
    const byUpvotes = rankPapers(gathered.candidates.map((c) => c.paper), { ...settings, minUpvotes }, this.deps.votes.authorVotes(ref));
    const { papers: ranked, picks } = await tasteOrder(this.deps.taste, ref, byUpvotes, { size: Number.MAX_SAFE_INTEGER, taste: settings.taste });
    this.picks.set(deliveryId(ref), picks);
    const dateOf = new Map(gathered.candidates.map((c) => [c.paper.id, c.date]));
    const run: RunInfo = {
      source: gathered.source,
      dates: [...new Set(ranked.flatMap((p) => dateOf.get(p.id) ?? []))].sort(),
      ...(window ? { windowFrom: window.from, windowTo: window.to } : {}),
    };
    const selected = ranked.slice(0, settings.size);
    const overflow = ranked.slice(settings.size);
    let steps: { kind: StepKind; paperId?: string }[] = [];
    if (selected.length > 0) {
      steps = [{ kind: 'header' }, { kind: 'thread' }, ...selected.map((p) => ({ kind: 'paper' as const, paperId: p.id })), ...overflow.map((p) => ({ kind: 'overflow' as const, paperId: p.id }))];
    } else if (settings.notifyEmpty) {
      steps = [{ kind: 'notice' }];
    } else if (!window) {
      return; // a /digest that finds nothing records nothing
    }
    this.deps.ledger.plan(ref, steps, run);
  }

  private async complete(chat: ChatPort, ref: DeliveryRef, settings: DigestSettings, resuming: boolean): Promise<DigestOutcome> {
    const steps = this.deps.ledger.steps(ref);
    const paperSteps = steps.filter((s) => s.kind === 'paper');
    if (paperSteps.length === 0 && steps.every((s) => s.state === 'posted')) return { status: 'empty', posted: 0, papers: 0 };
    if (steps.every((s) => s.state === 'posted')) return { status: 'already-delivered', posted: 0, papers: paperSteps.length };

    try {
      const posted = await this.execute(chat, ref, settings, steps, resuming);
      if (this.deps.subscriptions.find(ref)?.failure) this.deps.subscriptions.setFailure(ref, null);
      const done = this.deps.ledger.steps(ref).every((s) => s.state === 'posted');
      return { status: done ? 'delivered' : 'interrupted', posted, papers: paperSteps.length };
    } catch (err) {
      if (!(err instanceof ChatPermissionError)) throw err;
      this.deps.subscriptions.setFailure(ref, err.message);
      this.deps.logger?.warn({ platform: ref.platform, channel: ref.channel, reason: err.message }, 'digest delivery refused');
      return { status: 'failed', posted: 0, papers: paperSteps.length, reason: err.message };
    }
  }

  private async execute(chat: ChatPort, ref: DeliveryRef, settings: DigestSettings, steps: LedgerStep[], resuming: boolean): Promise<number> {
    const channel: Place = { workspace: ref.workspace, channel: ref.channel };
    const paperSteps = steps.filter((s) => s.kind === 'paper');
    const papers = this.deps.papers.getMany(paperSteps.flatMap((s) => (s.paperId ? [s.paperId] : [])));
    // Texts first (network and LLM before any post), so a thread is never left waiting half-posted.
    const bodies = new Map<string, string>();
    let note: string | undefined;
    const pending = paperSteps.flatMap((s) => (s.state !== 'posted' && s.paperId && papers.has(s.paperId) ? [papers.get(s.paperId)!] : []));
    await eachLimited(pending, this.deps.textConcurrency ?? 2, async (paper) => {
      const result = await this.deps.texts.summary(paper, settings.style, settings.language);
      bodies.set(paper.id, result.text);
      if (result.language !== settings.language && !note) note = languageNote(settings.language, this.deps.texts.enabled);
    });
    const facts: HeaderFacts = {
      date: ref.date, run: this.deps.ledger.run(ref) ?? { source: settings.source, dates: ref.digest === 'daily' ? [ref.date] : [] },
      count: paperSteps.length, more: steps.filter((s) => s.kind === 'overflow').length, categories: settings.categories, ...(note ? { note } : {}),
    };

    let posted = 0;
    // Steps run in order and each is recorded before the next starts, so only the first pending step of
    // a resumed run can be on the platform unrecorded: only it is looked for (a read that costs rate limit).
    let lookFirst = resuming;
    let header: PostedMessage | undefined;
    let thread: Place | undefined;
    for (const step of steps) {
      if (step.state === 'posted') {
        if (step.kind === 'header' && step.messageId && step.place) header = { id: step.messageId, place: step.place };
        if (step.kind === 'thread' && step.place) thread = step.place;
        continue;
      }
      if (this.stopping) break;
      const lookUp = lookFirst;
      lookFirst = false;
      switch (step.kind) {
        case 'notice':
          await this.post(chat, channel, emptyNotice(ref.date, settings.source, ref.digest === 'scheduled'), step, lookUp);
          break;
        case 'header':
          header = await this.post(chat, channel, headerReply(facts), step, lookUp);
          break;
        case 'thread': {
          if (!header) throw new Error('ledger: thread step before its header');
          thread = await chat.startThread(header, threadTitle(coversLabel(facts)), step.key);
          this.deps.ledger.markPosted(step.key, thread.thread ?? thread.channel, thread);
          break;
        }
        case 'overflow':
          continue;
        case 'paper': {
          const paper = step.paperId ? papers.get(step.paperId) : undefined;
          if (!thread || !paper) throw new Error(`ledger: paper step ${step.key} without its thread or paper`);
          const body = bodies.get(paper.id) ?? (await this.deps.texts.summary(paper, settings.style, settings.language)).text;
          await this.post(chat, thread, paperReply(paper, (step.position ?? 2) - 1, body, this.picks.get(deliveryId(ref))?.get(paper.id)), step, lookUp);
          break;
        }
      }
      posted++;
    }
    return posted;
  }

  /** Posts one step, unless the platform already has it (a crash between posting and recording). */
  private async post(chat: ChatPort, place: Place, reply: Reply, step: LedgerStep, lookUp: boolean): Promise<PostedMessage> {
    const existing = lookUp ? await chat.findPosted?.(place, step.key) : undefined;
    const message = existing ?? (await chat.post(place, reply, step.key));
    this.deps.ledger.markPosted(step.key, message.id, message.place);
    return message;
  }
}

/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}

function languageNote(language: string, modelConfigured: boolean): string {
  const name = languageName(language);
  return modelConfigured
    ? `Some summaries are in English: the language model could not write them in ${name} just now.`
    : `Summaries are in English: writing them in ${name} needs a language model (set LLM_BASE_URL and LLM_MODEL).`;
}

function deliveryId(ref: DeliveryRef): string {
  return `${ref.digest}/${ref.platform}/${ref.workspace}/${ref.channel}/${ref.date}`;
}

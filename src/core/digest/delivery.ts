/**
 * The daily digest of one channel for one date, delivered exactly once: gather the papers, pick
 * them, plan every step in the ledger, then post header, thread and papers, recording each before
 * the next. A second run (after a crash, or a repeated /digest) does only what the ledger lacks.
 * @module
 */
import type { Logger } from '../../logger.js';
import { UpstreamError } from '../../errors.js';
import { ChatPermissionError, type ChatPort, type PostedMessage, type Place } from '../chat-port.js';
import type { ArxivSource } from '../core.js';
import type { DeliveryRef, DigestLedger, LedgerStep } from './ledger.js';
import { emptyNotice, headerReply, paperReply, threadTitle } from './format.js';
import { selectPapers } from './selection.js';
import { languageName } from '../texts/languages.js';
import type { Paper } from '../papers/paper.js';
import type { PaperStore } from '../papers/store.js';
import type { Reply } from '../reply.js';
import type { DigestSettings } from '../subscriptions/settings.js';
import type { ChannelTarget, SubscriptionStore } from '../subscriptions/store.js';
import type { Texts } from '../texts/service.js';
import type { VoteService } from '../votes/service.js';
import type { TasteService } from '../taste/service.js';
import { tasteOrder } from '../taste/digest-hook.js';

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
  fetchDaily(date: string): Promise<unknown>;
  arxiv?: ArxivSource;
  texts: Pick<Texts, 'summary' | 'enabled'>;
  votes: VoteService;
  /** Orders the candidates by the channel's taste and gives the 🎯 reasons (none: upvote order). */
  taste?: Pick<TasteService, 'rank'>;
  subscriptions: SubscriptionStore;
  ledger: DigestLedger;
  logger?: Logger;
}

export class DigestService {
  private readonly running = new Map<string, Promise<DigestOutcome>>();
  private stopping = false;

  constructor(private readonly deps: DigestDeps) {}

  /** Delivers (or completes) the digest; concurrent calls for one delivery share one run. */
  deliver(chat: ChatPort, target: ChannelTarget, date: string, settings: DigestSettings): Promise<DigestOutcome> {
    const ref: DeliveryRef = { ...target, digest: 'daily', date };
    const id = `${ref.platform}/${ref.workspace}/${ref.channel}/${date}`;
    const inFlight = this.running.get(id);
    if (inFlight) return inFlight;
    const run = this.run(chat, ref, settings).finally(() => this.running.delete(id));
    this.running.set(id, run);
    return run;
  }

  /** Lets each run finish the message in flight and record it, then stop. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private async run(chat: ChatPort, ref: DeliveryRef, settings: DigestSettings): Promise<DigestOutcome> {
    let steps = this.deps.ledger.steps(ref);
    const resuming = steps.length > 0;
    // The 🎯 reasons of the top picks, known to the run that planned the digest (a resumed run has none).
    let picks = new Map<string, string>();
    if (steps.length === 0) {
      const candidates = selectPapers(await this.gather(ref, settings), { ...settings, size: Number.MAX_SAFE_INTEGER, minUpvotes: settings.source === 'hf' ? settings.minUpvotes : 0 }, this.deps.votes.authorVotes(ref));
      const ordered = await tasteOrder(this.deps.taste, ref, candidates, settings);
      const papers = ordered.papers;
      picks = ordered.picks;
      if (papers.length === 0 && !settings.notifyEmpty) return { status: 'empty', posted: 0, papers: 0 };
      this.deps.ledger.plan(ref, papers.length === 0 ? [{ kind: 'notice' }] : [{ kind: 'header' }, { kind: 'thread' }, ...papers.map((p) => ({ kind: 'paper' as const, paperId: p.id }))]);
      steps = this.deps.ledger.steps(ref);
    }
    const paperSteps = steps.filter((s) => s.kind === 'paper');
    if (steps.every((s) => s.state === 'posted')) return { status: 'already-delivered', posted: 0, papers: paperSteps.length };

    try {
      const posted = await this.execute(chat, ref, settings, steps, resuming, picks);
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

  /** The day's candidates: the Hugging Face list, or the arXiv categories' newest papers. */
  private async gather(ref: DeliveryRef, settings: DigestSettings): Promise<Paper[]> {
    if (settings.source === 'hf') {
      try {
        await this.deps.fetchDaily(ref.date);
        return this.deps.papers.daily(ref.date);
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        const stored = this.deps.papers.daily(ref.date);
        if (stored.length > 0) return stored;
        if (settings.categories.length === 0 || !this.deps.arxiv) throw err;
        this.deps.logger?.warn({ date: ref.date, err: err.message }, 'Hugging Face unavailable; using the arXiv categories');
      }
    }
    if (!this.deps.arxiv || settings.categories.length === 0) return [];
    const listed = await this.deps.arxiv.listCategories(settings.categories, { max: 100 });
    this.deps.papers.upsertMany(listed);
    const delivered = this.deps.ledger.deliveredPaperIds(ref);
    const endOfDay = `${ref.date}T23:59:59Z`;
    const fresh = listed.filter((p) => !delivered.has(p.id) && (!p.publishedAt || p.publishedAt <= endOfDay));
    return this.deps.papers.ordered(fresh.map((p) => p.id));
  }

  private async execute(chat: ChatPort, ref: DeliveryRef, settings: DigestSettings, steps: LedgerStep[], resuming: boolean, picks: ReadonlyMap<string, string>): Promise<number> {
    const channel: Place = { workspace: ref.workspace, channel: ref.channel };
    const paperSteps = steps.filter((s) => s.kind === 'paper');
    const papers = this.deps.papers.getMany(paperSteps.flatMap((s) => (s.paperId ? [s.paperId] : [])));
    // Texts first (network and LLM before any post), so a thread is never left waiting half-posted.
    const bodies = new Map<string, string>();
    let note: string | undefined;
    for (const step of paperSteps) {
      const paper = step.paperId ? papers.get(step.paperId) : undefined;
      if (!paper || step.state === 'posted') continue;
      const result = await this.deps.texts.summary(paper, settings.style, settings.language);
      bodies.set(paper.id, result.text);
      if (result.language !== settings.language && !note) note = languageNote(settings.language, this.deps.texts.enabled);
    }

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
          await this.post(chat, channel, emptyNotice(ref.date, settings.source), step, lookUp);
          break;
        case 'header':
          header = await this.post(chat, channel, headerReply(ref.date, paperSteps.length, note), step, lookUp);
          break;
        case 'thread': {
          if (!header) throw new Error('ledger: thread step before its header');
          thread = await chat.startThread(header, threadTitle(ref.date), step.key);
          this.deps.ledger.markPosted(step.key, thread.thread ?? thread.channel, thread);
          break;
        }
        case 'paper': {
          const paper = step.paperId ? papers.get(step.paperId) : undefined;
          if (!thread || !paper) throw new Error(`ledger: paper step ${step.key} without its thread or paper`);
          const body = bodies.get(paper.id) ?? (await this.deps.texts.summary(paper, settings.style, settings.language)).text;
          await this.post(chat, thread, paperReply(paper, (step.position ?? 2) - 1, body, picks.get(paper.id)), step, lookUp);
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

function languageNote(language: string, modelConfigured: boolean): string {
  const name = languageName(language);
  return modelConfigured
    ? `Some summaries are in English: the language model could not write them in ${name} just now.`
    : `Summaries are in English: writing them in ${name} needs a language model (set LLM_BASE_URL and LLM_MODEL).`;
}

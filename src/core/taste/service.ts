/**
 * Team taste: a model per channel and per workspace, fitted in the background from the votes on the
 * papers delivered there, used to order the digest, to pick papers a channel has not had (/foryou), and
 * to say what it learned (/taste). A scope learns only from its own channels' votes.
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { Paper } from '../papers/paper.js';
import type { PaperSearch } from '../papers/search.js';
import type { PaperStore } from '../papers/store.js';
import type { TasteMode } from '../subscriptions/settings.js';
import type { ChannelTarget } from '../subscriptions/store.js';
import { blendOrder, PICK_MIN_Z, standardise, TASTE_SHARE } from './blend.js';
import { DeliveredPapers } from './delivered.js';
import { cosine, type IdfTable } from './features.js';
import { fitTaste } from './fit.js';
import { TasteModelStore, type StoredTaste } from './model-store.js';
import type { LinearModel } from './model.js';
import { PaperVectors, type EmbeddingSource } from './paper-vectors.js';
import { reasonFor, type VotedPaper } from './reasons.js';
import { channelScope, workspaceScope, type TasteScope } from './scope.js';
import { SignalReader } from './signals.js';
import { TopScores } from './top-scores.js';

/** Votes (and "not for me"s) a scope needs before its taste orders anything. */
export const MIN_VOTES = 15;
/** Digest papers marked 🎯 with a reason, at most. */
export const TOP_PICKS = 3;
/** Quiet time after the last vote before a refit (votes come in bursts when a thread is read). */
const REFIT_DELAY_MS = 10_000;
/** A model older than this is refitted before it orders a digest (silence turns into weak negatives). */
const STALE_MS = 12 * 3_600_000;
/** Papers /foryou ranks at most (the newest of the period). */
const FORYOU_WINDOW = 20_000;
/** Papers a fit, and a warm-up of the /foryou window, embed at most (the rest wait for the next one). */
const EMBED_PER_RUN = 256;
/** How often a /foryou brings the window's vectors into the cache in the background (new papers come in). */
const WARM_INTERVAL_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

export type ForYouPeriod = 'day' | 'week' | 'month';
export const FORYOU_PERIODS: readonly ForYouPeriod[] = ['day', 'week', 'month'];
const PERIOD_DAYS: Record<ForYouPeriod, number> = { day: 1, week: 7, month: 30 };

export interface TasteStatus {
  scope: TasteScope;
  /** Votes and "not for me"s learned from. */
  votes: number;
  enough: boolean;
  stored: StoredTaste | undefined;
}

export interface TastePick {
  paper: Paper;
  /** Why it suits the team, when the model can say. */
  reason?: string;
}

export interface TasteDeps {
  database: Database;
  papers: Pick<PaperStore, 'getMany'>;
  search: Pick<PaperSearch, 'find'>;
  now: () => number;
  logger?: Logger;
  refitDelayMs?: number;
  /** The stored paper embeddings (LLM_EMBEDDINGS_MODEL): with them, features are words and embedding. */
  embeddings?: EmbeddingSource & { embedPapers(pks: readonly number[], limit?: number): Promise<number[]> };
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

export class TasteService {
  readonly vectors: PaperVectors;
  private readonly delivered: DeliveredPapers;
  private readonly store: TasteModelStore;
  private readonly signals: SignalReader;
  private readonly models = new Map<string, StoredTaste | null>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly pendingScopes = new Map<string, TasteScope>();
  private readonly fits = new Map<string, Promise<void>>();
  private readonly nextFits = new Map<string, Promise<void>>();
  /** Bumped by a reset: a fit that started before it is thrown away. */
  private readonly generation = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();
  private warming: Promise<void> | undefined;
  private warmedAt = -Infinity;
  private stopped = false;
  private readonly window: BetterSqlite3.Statement<[string, number], string>;
  private readonly pks: BetterSqlite3.Statement<[string], number>;
  private readonly scores = new WeakMap<LinearModel, { idf: IdfTable; epoch: number; scores: Map<string, number> }>();

  constructor(private readonly deps: TasteDeps) {
    this.vectors = new PaperVectors(deps.database, deps.now, undefined, deps.embeddings);
    this.pks = deps.database.sqlite.prepare<[string], number>('SELECT pk FROM papers WHERE id = ?').pluck();
    this.delivered = new DeliveredPapers(deps.database);
    this.store = new TasteModelStore(deps.database);
    this.signals = new SignalReader(deps.database);
    this.window = deps.database.sqlite.prepare<[string, number], string>('SELECT id FROM papers WHERE published_at >= ? ORDER BY published_at DESC LIMIT ?').pluck();
  }

  /** A vote changed in a channel: refit its model and its workspace's, once the votes settle. */
  noteVote(target: ChannelTarget): void {
    if (this.stopped) return;
    for (const scope of [channelScope(target), workspaceScope(target)]) {
      clearTimeout(this.timers.get(scope.key));
      const timer = setTimeout(() => {
        this.timers.delete(scope.key);
        this.refit(scope).catch((err: unknown) => this.deps.logger?.warn({ err, scope: scope.key }, 'taste refit failed'));
      }, this.deps.refitDelayMs ?? REFIT_DELAY_MS);
      timer.unref();
      this.timers.set(scope.key, timer);
      this.pendingScopes.set(scope.key, scope);
    }
  }

  /**
   * Refits a scope's model, in the background: fits run one at a time and yield to other work between
   * chunks. Asked while one runs for the same scope, it fits once more after it (with the newer votes).
   */
  refit(scope: TasteScope): Promise<void> {
    const queued = this.nextFits.get(scope.key);
    if (queued) return queued;
    const running = this.fits.get(scope.key);
    if (running) {
      const next = running.catch(() => undefined).then(() => {
        this.nextFits.delete(scope.key);
        return this.refit(scope);
      });
      this.nextFits.set(scope.key, next);
      return next;
    }
    const fit = this.queue.catch(() => undefined).then(() => this.fitNow(scope));
    this.queue = fit;
    const run = fit.finally(() => this.fits.delete(scope.key));
    this.fits.set(scope.key, run);
    return run;
  }

  /** Waits for every scheduled and running refit (tests, shutdown). */
  async settle(): Promise<void> {
    for (const [key, timer] of this.timers) {
      clearTimeout(timer);
      this.timers.delete(key);
      void this.refit(this.pendingScopes.get(key)!).catch(() => undefined);
    }
    while (this.fits.size + this.nextFits.size > 0 || this.warming) {
      await Promise.allSettled([...this.fits.values(), ...this.nextFits.values(), this.warming]);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async fitNow(scope: TasteScope): Promise<void> {
    const generation = this.generation.get(scope.key) ?? 0;
    const now = this.deps.now();
    const resetAt = this.store.resetAt(scope.key);
    const signals = this.signals.read(scope, resetAt, now);
    // Votes and "not for me"s first: they weigh most.
    if (this.deps.embeddings) await this.embed([...signals].sort((a, b) => Number(a.label === 'weak') - Number(b.label === 'weak')).map((s) => s.paperId), EMBED_PER_RUN);
    const result = await fitTaste(signals, this.vectors, { now, pause, background: () => this.background() });
    if ((this.generation.get(scope.key) ?? 0) !== generation || this.store.resetAt(scope.key) !== resetAt) return;
    this.store.save(scope.key, result);
    // Kept as fitted (the stored row reads back the same), and the titles reasons quote read now, in the
    // background, rather than by the next digest or /foryou.
    this.remember(scope.key, { scope: scope.key, resetAt, ...result });
    this.titles(result.summary?.voted ?? []);
    // After every fit: reading the fit's examples may have pushed the window out of the cache.
    this.warmLater(true);
  }

  /**
   * The model's scores of stored papers, kept while the model and the idf table last: each /foryou of a
   * channel ranks nearly the same papers as its previous one.
   */
  private scoresOf(model: LinearModel): Map<string, number> {
    const idf = this.vectors.idf();
    let memo = this.scores.get(model);
    if (!memo || memo.idf !== idf || memo.epoch !== this.vectors.epoch || memo.scores.size > 2 * FORYOU_WINDOW) {
      memo = { idf, epoch: this.vectors.epoch, scores: new Map() };
      this.scores.set(model, memo);
    }
    return memo.scores;
  }

  /**
   * With embeddings on, stores those these papers lack (at most `limit`, in the order given), so their
   * vectors carry them. An endpoint that fails leaves them to their words until the next run.
   */
  private async embed(ids: readonly string[], limit: number): Promise<void> {
    const embeddings = this.deps.embeddings;
    if (!embeddings || ids.length === 0) return;
    const byPk = new Map<number, string>();
    for (const id of ids) {
      const pk = this.pks.get(id);
      if (pk !== undefined) byPk.set(pk, id);
    }
    try {
      const embedded = await embeddings.embedPapers([...byPk.keys()], limit);
      if (embedded.length > 0) this.vectors.forget(embedded.map((pk) => byPk.get(pk)!));
    } catch (err) {
      this.deps.logger?.warn({ err }, 'paper embeddings for taste failed; their words alone count for now');
    }
  }

  /** The newest stored papers published since `since`: what /foryou ranks. */
  private windowIds(since: string): string[] {
    return this.window.all(since, FORYOU_WINDOW);
  }

  /**
   * Brings the vectors of the papers /foryou would rank (the newest month) into the cache, in the
   * background and one chunk at a time, so a /foryou seldom featurizes a whole month while someone waits.
   */
  private warmLater(always = false): void {
    if (this.stopped || this.warming || (!always && this.deps.now() - this.warmedAt < WARM_INTERVAL_MS)) return;
    this.warmedAt = this.deps.now();
    const since = new Date(this.deps.now() - PERIOD_DAYS.month * DAY_MS).toISOString();
    const warm = this.queue.catch(() => undefined).then(async () => {
      if (this.stopped) return;
      const ids = this.windowIds(since);
      await this.embed(ids, EMBED_PER_RUN);
      await this.vectors.get(ids, { pause });
    });
    this.queue = warm;
    this.warming = warm
      .catch((err: unknown) => this.deps.logger?.warn({ err }, 'taste vectors warm-up failed'))
      .finally(() => (this.warming = undefined));
  }

  /** The newest stored papers: stand-in negatives while a scope has few of its own. */
  private background(): string[] {
    return this.deps.database.sqlite.prepare('SELECT id FROM papers ORDER BY pk DESC LIMIT 200').pluck().all() as string[];
  }

  /** What a scope's model has learned, and whether it is enough to use. */
  status(scope: TasteScope): TasteStatus {
    const stored = this.stored(scope);
    const votes = stored ? stored.positives + stored.strongNegatives : 0;
    return { scope, votes, enough: Boolean(stored?.model) && votes >= MIN_VOTES, stored };
  }

  /** Forgets the scope's model; later fits learn only from papers delivered from now on. */
  reset(scope: TasteScope): void {
    this.generation.set(scope.key, (this.generation.get(scope.key) ?? 0) + 1);
    clearTimeout(this.timers.get(scope.key));
    this.timers.delete(scope.key);
    this.store.reset(scope.key, this.deps.now());
    this.models.delete(scope.key);
  }

  private stored(scope: TasteScope): StoredTaste | undefined {
    if (!this.models.has(scope.key)) this.remember(scope.key, this.store.get(scope.key) ?? null);
    return this.models.get(scope.key) ?? undefined;
  }

  private remember(key: string, stored: StoredTaste | null): void {
    this.models.delete(key);
    if (this.models.size > 64) this.models.delete(this.models.keys().next().value!);
    this.models.set(key, stored);
  }

  /**
   * The digest's hook: the day's candidates (already filtered) in the channel's order, and the top picks'
   * reasons. With taste off, or too few votes, the given (upvote) order stays. A missing or stale model is
   * fitted first: the digest runs in the background, so it may wait for it.
   */
  async rank(target: ChannelTarget, candidates: readonly Paper[], mode: TasteMode): Promise<{ papers: Paper[]; picks: Map<string, string> }> {
    const picks = new Map<string, string>();
    if (mode === 'off' || candidates.length === 0) return { papers: [...candidates], picks };
    const scope = channelScope(target);
    const before = this.stored(scope);
    if (!before || (before.fittedAt ?? 0) < this.deps.now() - STALE_MS) await this.refit(scope);
    const status = this.status(scope);
    const model = status.stored?.model;
    if (!status.enough || !model) return { papers: [...candidates], picks };
    await this.embed(candidates.map((p) => p.id), candidates.length);
    const scores = this.vectors.ofPapers(candidates).map((vector) => model.score(vector));
    const order = blendOrder(scores, candidates.map((p) => p.hfUpvotes ?? 0), TASTE_SHARE[mode]);
    const papers = order.map((i) => candidates[i]!);
    const voted = await this.votedPapers(status.stored!);
    const z = standardise(scores);
    for (const i of order.slice(0, TOP_PICKS)) {
      if (z[i]! < PICK_MIN_Z) continue;
      const reason = reasonFor(this.vectors.namedOf(candidates[i]!), model, voted);
      if (reason) picks.set(candidates[i]!.id, reason);
    }
    return { papers, picks };
  }

  /** The voted papers a model remembers, with vectors and titles, for reasons. */
  private async votedPapers(stored: StoredTaste): Promise<VotedPaper[]> {
    const ids = stored.summary?.voted ?? [];
    const vectors = await this.vectors.get(ids);
    const titles = this.titles(ids);
    return ids.flatMap((id) => {
      const vector = vectors.get(id);
      return vector ? [{ id, title: titles.get(id) ?? id, vector: this.vectors.textOf(vector) }] : [];
    });
  }

  private readonly titleCache = new Map<string, string>();

  private titles(ids: readonly string[]): Map<string, string> {
    const missing = ids.filter((id) => !this.titleCache.has(id));
    if (missing.length > 0) {
      if (this.titleCache.size > 20_000) this.titleCache.clear();
      for (const [id, paper] of this.deps.papers.getMany(missing)) this.titleCache.set(id, paper.title);
    }
    return new Map(ids.flatMap((id) => (this.titleCache.has(id) ? [[id, this.titleCache.get(id)!] as const] : [])));
  }

  /**
   * Stored papers of the period the channel has not had, best for its taste first, each with its reason;
   * by Hugging Face upvotes instead while it has too few votes. `candidates`: how many papers were ranked.
   */
  async forYou(target: ChannelTarget, period: ForYouPeriod, limit = 10): Promise<{ picks: TastePick[]; status: TasteStatus; candidates: number }> {
    const scope = channelScope(target);
    const status = this.status(scope);
    // Never waits for a fit: a missing or stale model is refitted in the background for next time.
    if (!status.stored || (status.stored.fittedAt ?? 0) < this.deps.now() - STALE_MS) void this.refit(scope).catch(() => undefined);
    const since = new Date(this.deps.now() - PERIOD_DAYS[period] * DAY_MS).toISOString();
    const delivered = this.delivered.of(target);
    const model = status.stored?.model;
    if (!status.enough || !model) {
      const ids = this.deps.database.sqlite
        .prepare(`SELECT id FROM papers WHERE published_at >= ? AND hf_upvotes IS NOT NULL ORDER BY hf_upvotes DESC LIMIT ?`)
        .pluck().all(since, limit + delivered.size) as string[];
      const fresh = ids.filter((id) => !delivered.has(id));
      const papers = this.deps.papers.getMany(fresh.slice(0, limit));
      return { picks: [...papers.values()].sort((a, b) => (b.hfUpvotes ?? 0) - (a.hfUpvotes ?? 0)).map((paper) => ({ paper })), status, candidates: fresh.length };
    }
    const ids = this.windowIds(since).filter((id) => !delivered.has(id));
    const scores = this.scoresOf(model);
    const unscored = ids.filter((id) => !scores.has(id));
    for (const [id, vector] of await this.vectors.get(unscored)) scores.set(id, model.score(vector));
    const best = new TopScores(limit);
    let candidates = 0;
    for (const id of ids) {
      const score = scores.get(id);
      if (score === undefined) continue;
      best.offer(id, score);
      candidates++;
    }
    // The next call finds the vectors of any period ready.
    this.warmLater();
    const top = best.ids();
    const papers = this.deps.papers.getMany(top);
    const voted = await this.votedPapers(status.stored!);
    return {
      picks: top.flatMap((id) => {
        const paper = papers.get(id);
        return paper ? [{ paper, reason: reasonFor(this.vectors.namedOf(paper), model, voted) }] : [];
      }),
      status,
      candidates,
    };
  }

  /** Stored papers most like `paper` (cosine of tf-idf vectors over a full-text shortlist), with the words they share. */
  async similar(paper: Paper, limit = 5): Promise<{ paper: Paper; similarity: number; shared: string[] }[]> {
    const named = this.vectors.namedOf(paper);
    const words = named.names.filter((n) => n && !n.includes(' ') && !n.startsWith('a:') && !n.startsWith('c:')).slice(0, 8);
    if (words.length === 0) return [];
    // All its strongest words together find the closest; each of the top few alone finds more when those are rare.
    const shortlist = new Map<string, Paper>();
    for (const query of [words.join(' '), ...words.slice(0, 3)]) {
      for (const hit of await this.deps.search.find(query, { limit: 50 })) if (hit.paper.id !== paper.id) shortlist.set(hit.paper.id, hit.paper);
    }
    const others = [...shortlist.values()];
    const ranked = others.map((p) => ({ paper: p, similarity: cosine(named, this.vectors.of(p)) })).sort((a, b) => b.similarity - a.similarity).slice(0, limit);
    const mine = new Map(Array.from(named.ids, (id, i) => [id, named.names[i]!] as const));
    return ranked.map((r) => {
      const theirs = this.vectors.namedOf(r.paper);
      const shared = Array.from(theirs.ids).filter((id) => mine.has(id)).map((id) => mine.get(id)!).filter((n) => !n.startsWith('c:')).slice(0, 4).map((n) => n.replace(/^a:/, ''));
      return { ...r, shared };
    });
  }
}

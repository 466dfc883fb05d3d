/**
 * Lookup-or-fetch of one paper within a time budget a chat user can live with: the stored paper, else
 * Hugging Face and arXiv asked side by side. Hugging Face's answer (upvotes, links) is served as soon as
 * it comes; arXiv's once Hugging Face has answered, failed, or had a short grace to catch up. What comes
 * later is stored in the background; a source that failed or sent nulls is marked missing on the paper
 * and asked again on its next lookup.
 * @module
 */
import { NotFoundError, PaperboyError, UpstreamError } from '../../errors.js';
import type { PaperSource } from '../../db/schema.js';
import type { ArxivRef } from './arxiv-id.js';
import type { Paper } from './paper.js';
import type { PaperRecord } from './record.js';
import type { PaperStore } from './store.js';

/** Limits a lookup puts on one source call. */
export interface FetchLimits {
  /** Time for the whole call, retries included. */
  budgetMs?: number;
  signal?: AbortSignal;
}

/** What lookup-or-fetch needs from the outside: each returns undefined when the paper is unknown there. */
export interface PaperFetchers {
  hf?: { paper(id: string, limits?: FetchLimits): Promise<PaperRecord | undefined> };
  arxiv?: { get(id: string, limits?: FetchLimits): Promise<PaperRecord | undefined> };
}

export interface LookupOptions {
  /** The longest a lookup keeps its caller waiting for the sources (LOOKUP_BUDGET_MS); default 5 s. */
  budgetMs?: number;
  /** Once arXiv has answered, how long Hugging Face may still take before the answer goes without it; default a fifth of the budget. */
  graceMs?: number;
}

type Outcome = { ok: true; record: PaperRecord | undefined } | { ok: false; error: unknown };

/** A source call under way: its outcome once it has one. */
interface Pending {
  done: Promise<void>;
  outcome?: Outcome;
}

export class PaperLookup {
  readonly #store: PaperStore;
  readonly #budgetMs: number;
  readonly #graceMs: number;
  readonly #background = new Set<Promise<unknown>>();
  readonly #completing = new Map<string, Promise<void>>();
  #cancel = new AbortController();

  constructor(store: PaperStore, options: LookupOptions = {}) {
    this.#store = store;
    this.#budgetMs = options.budgetMs ?? 5000;
    this.#graceMs = options.graceMs ?? Math.round(this.#budgetMs / 5);
  }

  async lookup(ref: ArxivRef, fetchers: PaperFetchers): Promise<Paper> {
    const stored = this.#store.get(ref.id);
    const wantsNewer = ref.version !== undefined && (stored?.version ?? 0) < ref.version;
    if (stored && !wantsNewer) {
      if (stored.missingFrom.length === 0) return stored;
      await within(this.#complete(stored, fetchers), this.#graceMs);
      return this.#store.get(ref.id) ?? stored;
    }

    const limits = { budgetMs: this.#budgetMs, signal: this.#cancel.signal };
    const hf = wantsNewer || !fetchers.hf ? undefined : this.#ask(fetchers.hf.paper(ref.id, limits));
    const arxiv = fetchers.arxiv ? this.#ask(fetchers.arxiv.get(ref.id, limits)) : undefined;
    this.#track(Promise.all([hf?.done, arxiv?.done]).then(() => this.#markGaps(ref.id, hf, arxiv)));

    const deadline = performance.now() + this.#budgetMs;
    let graceEnds: number | undefined;
    for (;;) {
      const now = performance.now();
      if (arxiv?.outcome?.ok && arxiv.outcome.record) graceEnds ??= now + this.#graceMs;
      const answer = this.#decide(ref.id, stored, hf, arxiv, now >= deadline, graceEnds !== undefined && now >= graceEnds);
      if (answer) return answer();
      const waits = [hf, arxiv].flatMap((p) => (p && !p.outcome ? [p.done] : []));
      await within(Promise.race(waits), Math.min(deadline, graceEnds ?? deadline) - now);
    }
  }

  /** Resolves when background work has finished. */
  async settled(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }

  /** Aborts the source calls still running (their parts are marked missing) and waits for them to stop. */
  async cancel(): Promise<void> {
    this.#cancel.abort(new PaperboyError('upstream_unavailable', 'Paperboy is stopping; the lookup was cancelled.'));
    await this.settled();
    this.#cancel = new AbortController();
  }

  /** The answer once it can be given, or undefined to wait for more. */
  #decide(id: string, stored: Paper | undefined, hf: Pending | undefined, arxiv: Pending | undefined, final: boolean, graceOver: boolean): (() => Paper) | undefined {
    const found = () => this.#store.get(id) ?? stored!;
    if (hf?.outcome?.ok && hf.outcome.record) return found;
    if (arxiv?.outcome?.ok && arxiv.outcome.record && (!hf || hf.outcome || graceOver || final)) return found;
    if (!final && ((hf && !hf.outcome) || (arxiv && !arxiv.outcome))) return undefined;
    if (stored) return () => stored;
    if (!arxiv) {
      const error = hf?.outcome?.ok === false ? hf.outcome.error : undefined;
      return () => fail(error ?? notFound(id));
    }
    const outcome = arxiv.outcome;
    if (!outcome) return () => fail(new UpstreamError('arxiv', `arXiv did not answer within ${this.#budgetMs / 1000} s`));
    // arXiv decides whether the paper exists; its outage is the error to report.
    return () => fail(outcome.ok ? notFound(id) : outcome.error);
  }

  /** Starts tracking one source call; a record it brings is stored as soon as it arrives. */
  #ask(call: Promise<PaperRecord | undefined>): Pending {
    const pending: Pending = { done: Promise.resolve() };
    pending.done = this.#track(
      call.then(
        (record) => {
          pending.outcome = { ok: true, record };
          if (record) this.#store.upsert(record);
        },
        (error: unknown) => {
          pending.outcome = { ok: false, error };
        },
      ).catch((err: unknown) => {
        // The store failed (it may be closed): the answer cannot be kept, the caller still hears.
        pending.outcome = { ok: false, error: err };
      }),
    );
    return pending;
  }

  /** Marks the sources that failed or sent a record without their part, once both have answered. */
  #markGaps(id: string, hf: Pending | undefined, arxiv: Pending | undefined): void {
    const gaps: PaperSource[] = [];
    if (hf?.outcome && (!hf.outcome.ok || (hf.outcome.record && hf.outcome.record.hfUpvotes === undefined))) gaps.push('huggingface');
    if (arxiv?.outcome && !arxiv.outcome.ok && !isBadInput(arxiv.outcome.error)) gaps.push('arxiv');
    if (gaps.length > 0) tryStore(() => this.#store.setMissing(id, gaps));
  }

  /** Asks the sources a stored paper still misses, once at a time per paper. */
  #complete(paper: Paper, fetchers: PaperFetchers): Promise<void> {
    const running = this.#completing.get(paper.id);
    if (running) return running;
    const limits = { budgetMs: this.#budgetMs, signal: this.#cancel.signal };
    const ask = async (source: PaperSource): Promise<void> => {
      const call = source === 'huggingface' ? fetchers.hf?.paper(paper.id, limits) : fetchers.arxiv?.get(paper.id, limits);
      if (!call) return;
      const record = await call.catch(() => null);
      if (record === null) return; // still failing: asked again next time
      // Unknown there after all: nothing more to wait for.
      tryStore(() => (record ? this.#store.upsert(record) : this.#store.setMissing(paper.id, [source], false)));
    };
    const completion = this.#track(Promise.all(paper.missingFrom.map(ask)))
      .then(() => undefined)
      .finally(() => this.#completing.delete(paper.id));
    this.#completing.set(paper.id, completion);
    return completion;
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#background.add(work);
    void work.finally(() => this.#background.delete(work)).catch(() => undefined);
    return work;
  }
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`No paper ${id} on Hugging Face or arXiv. Check the id, e.g. 2403.08295.`);
}

function fail(error: unknown): never {
  throw error;
}

function isBadInput(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'bad_input';
}

function tryStore(write: () => unknown): void {
  try {
    write();
  } catch {
    // The database is closed or busy: the gap stays, and the next lookup asks again.
  }
}

/** Waits for `work` at most `ms`; never rejects. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))))]);
  clearTimeout(timer);
}

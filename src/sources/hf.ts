/**
 * Hugging Face papers API: the daily list, one paper, and search, mapped to plain paper records.
 * @module
 */

import { z } from 'zod';
import { BadPayloadError, UpstreamError } from '../errors.js';
import { HfCallWindow } from './hf-limiter.js';
import { httpGet, type FetchLike, type HttpSettings } from './http.js';
import { formatMs, type CallLimits, type Sleep } from './retry.js';
import type { DailyEntry, PaperRecord } from '../core/papers/record.js';
import { collapseWhitespace } from '../strings.js';

export interface HfClientOptions {
  /** Base URL without trailing path, e.g. `https://huggingface.co`. */
  apiUrl: string;
  /** Sent as `Authorization: Bearer`; raises the rate limit from 500 to 1,000 calls per 5 minutes. */
  token?: string;
  http: HttpSettings;
  fetch?: FetchLike;
  sleep?: Sleep;
  /** Paces every call, retries included, within Hugging Face's rate limit; default: a window for `token`. */
  limiter?: HfCallWindow;
  /** Hears each daily-list entry left out because it is malformed (the rest of the list is kept). */
  onSkippedEntry?: (skipped: SkippedEntry) => void;
}

/** A daily-list entry that could not be read. */
export interface SkippedEntry {
  date: string | undefined;
  position: number;
  id: string | undefined;
  reason: string;
}

const PAGE_SIZE = 100;
// 20 pages of 100 is far beyond any real day (a busy day lists about 50 papers); it stops a runaway loop.
const MAX_PAGES = 20;

const AuthorSchema = z.object({ name: z.string() });
const PaperSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  summary: z.string().nullish(),
  authors: z.array(AuthorSchema).nullish(),
  publishedAt: z.string().nullish(),
  submittedOnDailyAt: z.string().nullish(),
  upvotes: z.number().nullish(),
  ai_summary: z.string().nullish(),
  ai_keywords: z.array(z.string()).nullish(),
  githubRepo: z.string().nullish(),
  githubStars: z.number().nullish(),
  projectPage: z.string().nullish(),
});
const DailyItemSchema = z.object({ paper: PaperSchema, publishedAt: z.string().nullish() });
const SearchListSchema = z.array(z.union([z.object({ paper: PaperSchema }), PaperSchema]));

type HfPaper = z.infer<typeof PaperSchema>;

/** Client for the Hugging Face papers API. */
export class HfClient {
  readonly #apiUrl: string;
  readonly #http: HttpSettings;
  readonly #headers: Record<string, string>;
  readonly #limiter: HfCallWindow;
  readonly #onSkippedEntry: ((skipped: SkippedEntry) => void) | undefined;

  constructor(options: HfClientOptions) {
    this.#onSkippedEntry = options.onSkippedEntry;
    this.#apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.#http = { ...options.http, fetch: options.fetch ?? options.http.fetch, sleep: options.sleep ?? options.http.sleep };
    this.#limiter = options.limiter ?? HfCallWindow.forToken(options.token);
    this.#headers = { accept: 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) };
  }

  /**
   * Every paper of the Daily Papers list of `date` (YYYY-MM-DD), page by page, deduplicated by id.
   * `onProgress` hears the running total after each page. A date Hugging Face refuses is an
   * UpstreamError with status 400. `limits.budgetMs` is the time for every page together.
   */
  async daily(date: string, onProgress?: (fetchedSoFar: number) => void, limits: CallLimits = {}): Promise<DailyEntry[]> {
    const seen = new Set<string>();
    const entries: DailyEntry[] = [];
    const deadline = limits.budgetMs === undefined ? undefined : performance.now() + limits.budgetMs;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = this.#url('/api/daily_papers', { date, limit: String(PAGE_SIZE), p: String(page) });
      const left = deadline === undefined ? undefined : Math.floor(deadline - performance.now());
      if (left !== undefined && left <= 0) throw new UpstreamError('huggingface', `Hugging Face did not send the list of ${date} within ${formatMs(limits.budgetMs!)}`);
      const pageLimits = { signal: limits.signal, budgetMs: left };
      const batch = await this.#get(url, (body) => parseDailyPapers(JSON.parse(body), date, this.#onSkippedEntry), pageLimits).catch((err: unknown) => {
        if (err instanceof UpstreamError && err.status === 400) {
          throw new UpstreamError('huggingface', `Hugging Face refused the date "${date}"; use an existing day as YYYY-MM-DD`, { status: 400, cause: err });
        }
        throw err;
      });
      for (const entry of batch) {
        if (seen.has(entry.paper.id)) continue;
        seen.add(entry.paper.id);
        entries.push({ ...entry, position: entries.length });
      }
      onProgress?.(entries.length);
      if (batch.length < PAGE_SIZE) break;
    }
    return entries;
  }

  /** One paper by arXiv id (without version), or undefined when Hugging Face does not know it. */
  async paper(id: string, limits: CallLimits = {}): Promise<PaperRecord | undefined> {
    const path = '/api/papers/' + id.split('/').map(encodeURIComponent).join('/');
    try {
      return await this.#get(this.#url(path), (body) => parseHfPaper(JSON.parse(body)), limits);
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Papers matching `q`, best first, at most `limit`. */
  async search(q: string, limit = 10): Promise<PaperRecord[]> {
    const url = this.#url('/api/papers/search', { q, limit: String(limit) });
    const found = await this.#get(url, (body) => {
      const items = validate(SearchListSchema, JSON.parse(body), 'search results');
      return items.map((item) => toRecord('paper' in item ? item.paper : item));
    });
    return found.slice(0, limit);
  }

  #url(path: string, query: Record<string, string> = {}): URL {
    const url = new URL(this.#apiUrl + path);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url;
  }

  #get<T>(url: URL, parse: (body: string) => T, limits: CallLimits = {}): Promise<T> {
    const gate = <R>(attempt: () => Promise<R>): Promise<R> => this.#limiter.run(attempt);
    return httpGet(this.#http, { source: 'huggingface', url, headers: this.#headers, parse, gate, ...limits });
  }
}

/**
 * Reads a Daily Papers list (the JSON of `/api/daily_papers`, or a saved copy of it). Each entry's date is
 * `date` when given, else the day the paper entered the list. An entry in another shape (a null title, no
 * id) is left out and reported to `onSkipped`; a list that is not a list is a BadPayloadError.
 */
export function parseDailyPapers(json: unknown, date?: string, onSkipped?: (skipped: SkippedEntry) => void): DailyEntry[] {
  const items = validate(z.array(z.unknown()), json, 'daily papers list');
  const entries: DailyEntry[] = [];
  items.forEach((raw, position) => {
    const parsed = DailyItemSchema.safeParse(raw);
    if (!parsed.success) {
      onSkipped?.({ date, position, id: idOf(raw), reason: describeIssue(parsed.error) });
      return;
    }
    const item = parsed.data;
    const entered = item.paper.submittedOnDailyAt ?? item.publishedAt ?? undefined;
    const day = date ?? entered?.slice(0, 10);
    if (day === undefined) {
      throw new BadPayloadError('huggingface', `Daily papers entry ${position} (${item.paper.id}) has no date; give the date explicitly`);
    }
    const entry: DailyEntry = { paper: toRecord(item.paper), date: day, position: entries.length };
    if (entered && !Number.isNaN(Date.parse(entered))) entry.enteredAt = entered;
    entries.push(entry);
  });
  return entries;
}

function idOf(raw: unknown): string | undefined {
  const paper = typeof raw === 'object' && raw !== null ? (raw as { paper?: unknown }).paper : undefined;
  const id = typeof paper === 'object' && paper !== null ? (paper as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id.slice(0, 40) : undefined;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'invalid'}`;
}

/** Reads one paper object (the JSON of `/api/papers/{id}`). Throws BadPayloadError on another shape. */
export function parseHfPaper(json: unknown): PaperRecord {
  return toRecord(validate(PaperSchema, json, 'paper'));
}

function toRecord(paper: HfPaper): PaperRecord {
  const record: PaperRecord = {
    id: paper.id,
    title: collapseWhitespace(paper.title),
    authors: (paper.authors ?? []).map((a) => collapseWhitespace(a.name)).filter((name) => name !== ''),
    abstract: collapseWhitespace(paper.summary ?? ''),
  };
  // Optional fields are only set when known, so merging with another source never erases a value.
  if (paper.publishedAt) record.publishedAt = paper.publishedAt;
  if (paper.upvotes != null) record.hfUpvotes = paper.upvotes;
  if (paper.ai_summary) record.aiSummary = collapseWhitespace(paper.ai_summary);
  if (paper.ai_keywords?.length) record.aiKeywords = paper.ai_keywords;
  if (paper.githubRepo) record.codeUrl = paper.githubRepo;
  if (paper.githubStars != null) record.githubStars = paper.githubStars;
  if (paper.projectPage) record.projectUrl = paper.projectPage;
  return record;
}

function validate<S extends z.ZodType>(schema: S, json: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new BadPayloadError('huggingface', `Hugging Face ${what} is not in the expected shape${where}: ${issue?.message ?? 'invalid'}`, result.error);
}


/**
 * A fake Hugging Face papers API on 127.0.0.1: daily lists with pagination, papers by id, and search.
 * Serves the 2024-03-14 fixture unless told otherwise. No test framework imports: scripts use it too.
 * @module
 */

import { readJsonFixture } from './fixtures.js';
import { startLoopback, type FakeReply, type FakeServer, type RecordedRequest } from './loopback.js';

export interface FakeHfOptions {
  /** Daily lists by date (YYYY-MM-DD), each in the shape of `/api/daily_papers`; added to the fixture's. */
  daily?: Record<string, unknown[]>;
  /** Flat paper objects by arXiv id, as `/api/papers/{id}` serves them; added to the fixture's. */
  papers?: Record<string, unknown>;
  /**
   * Lists fill up as on the real site: an entry is served only once its `submittedOnDailyAt` (else its
   * top-level `publishedAt`) has come on this clock.
   */
  fillUp?: () => number;
  /** Serve no fixture list (only `daily`). */
  noFixture?: boolean;
}

export type FakeHf = FakeServer;

/** A paper as `/api/papers/{id}` serves it when Hugging Face sends nulls: no upvotes, summary, authors or links. */
export function paperWithNulls(id: string, title = 'A paper Hugging Face half knows'): Record<string, unknown> {
  return { id, title, summary: null, authors: null, upvotes: null, publishedAt: null, ai_summary: null, githubRepo: null, projectPage: null };
}

/** The JSON of a paper whose abstract is `bytes` long (a broken or hostile upstream), for `failNext(1, 200, …)`. */
export function hugePaperBody(id: string, bytes: number): string {
  const summary = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(Math.ceil(bytes / 57)).slice(0, bytes);
  return JSON.stringify({ id, title: 'Huge', summary, authors: [{ name: 'A. Author' }], upvotes: 1 });
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function startFakeHf(opts: FakeHfOptions = {}): Promise<FakeHf> {
  const daily: Record<string, unknown[]> = {
    ...(opts.noFixture ? {} : { '2024-03-14': readJsonFixture('hf/daily-2024-03-14.json') as unknown[] }),
    ...opts.daily,
  };
  const papers: Record<string, unknown> = {
    '2403.08295': readJsonFixture('hf/paper-2403.08295.json'),
    ...opts.papers,
  };
  // Papers that are only known from a daily list are served from the list's inner `paper`.
  const known = new Map<string, PaperLike>();
  for (const entry of Object.values(daily).flat()) {
    const paper = asPaper(isObject(entry) ? entry.paper : undefined);
    if (paper && !known.has(paper.id)) known.set(paper.id, paper);
  }
  for (const value of Object.values(papers)) {
    const paper = asPaper(value);
    if (paper) known.set(paper.id, paper);
  }

  return startLoopback((req: RecordedRequest): FakeReply => {
    if (req.method !== 'GET') return json(405, { error: 'Method not allowed' });
    if (req.path === '/api/daily_papers') return dailyPage(daily, req.query, opts.fillUp);
    if (req.path === '/api/papers/search') return search([...known.values()], req.query);
    if (req.path.startsWith('/api/papers/')) {
      const id = decodeURIComponent(req.path.slice('/api/papers/'.length));
      const paper = papers[id] ?? known.get(id);
      return paper === undefined ? json(404, { error: 'Paper not found' }) : json(200, paper);
    }
    return json(404, { error: 'Not found' });
  });
}

function dailyPage(daily: Record<string, unknown[]>, query: Record<string, string>, fillUp: (() => number) | undefined): FakeReply {
  const date = query.date ?? '';
  if (!DAY.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    return json(400, { error: `Invalid date: ${date}` });
  }
  const limit = Number(query.limit ?? 50);
  const page = Number(query.p ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100 || !Number.isInteger(page) || page < 0) {
    return json(400, { error: 'Invalid pagination' });
  }
  const now = fillUp?.();
  const listed = (daily[date] ?? []).filter((entry) => now === undefined || enteredAt(entry) <= now);
  return json(200, listed.slice(page * limit, (page + 1) * limit));
}

function enteredAt(entry: unknown): number {
  if (!isObject(entry)) return 0;
  const paper = isObject(entry.paper) ? entry.paper : {};
  const at = typeof paper.submittedOnDailyAt === 'string' ? paper.submittedOnDailyAt : typeof entry.publishedAt === 'string' ? entry.publishedAt : undefined;
  return at ? Date.parse(at) : 0;
}

function search(papers: PaperLike[], query: Record<string, string>): FakeReply {
  const q = (query.q ?? '').toLowerCase();
  const limit = Number(query.limit ?? 10);
  const hits = papers.filter((p) => `${p.title ?? ''}\n${p.summary ?? ''}`.toLowerCase().includes(q));
  return json(200, hits.slice(0, limit).map((paper) => ({ paper })));
}

type PaperLike = Record<string, unknown> & { id: string; title?: string; summary?: string };

function asPaper(value: unknown): PaperLike | undefined {
  if (!isObject(value) || typeof value.id !== 'string') return undefined;
  return value as PaperLike;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function json(status: number, body: unknown): FakeReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

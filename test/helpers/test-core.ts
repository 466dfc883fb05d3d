import { Core } from '../../src/core/core.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { ArxivClient } from '../../src/sources/arxiv.js';
import { ArxivLimiter } from '../../src/sources/arxiv-limiter.js';
import { HfClient } from '../../src/sources/hf.js';
import type { HttpSettings } from '../../src/sources/http.js';
import { readJsonFixture } from '../fakes/fixtures.js';

/** Quick to give up, no real waiting: what tests want from upstream HTTP. */
export const testHttp: HttpSettings = { timeoutMs: 2_000, retries: 1, maxRetryAfterMs: 1_000, sleep: async () => undefined };

export interface TestCore {
  core: Core;
  database: Database;
  close(): void;
}

/** A real Core on an in-memory database, with real clients pointed at loopback fakes. */
export function createTestCore(options: { hfUrl?: string; arxivUrl?: string; now?: () => number; digestListBudgetMs?: number } = {}): TestCore {
  const database = openDatabase(':memory:');
  const core = new Core({
    database,
    hf: options.hfUrl ? new HfClient({ apiUrl: options.hfUrl, http: testHttp }) : undefined,
    arxiv: options.arxivUrl ? new ArxivClient({ apiUrl: options.arxivUrl, minIntervalMs: 0, http: testHttp, limiter: new ArxivLimiter(0) }) : undefined,
    now: options.now,
    digestListBudgetMs: options.digestListBudgetMs,
  });
  return { core, database, close: () => database.close() };
}

/** The 2024-03-14 fixture list grown to `count` entries (extra papers get ids of their own). */
export function dailyList(count: number): unknown[] {
  const base = readJsonFixture('hf/daily-2024-03-14.json') as { paper: { id: string; upvotes: number; title: string } }[];
  return Array.from({ length: count }, (_, i) => {
    const entry = structuredClone(base[i % base.length]!);
    if (i >= base.length) {
      entry.paper.id = `2403.${String(90000 + i).padStart(5, '0')}`;
      entry.paper.title = `${entry.paper.title} (part ${i})`;
      entry.paper.upvotes = Math.max(0, entry.paper.upvotes - i);
    }
    return entry;
  });
}

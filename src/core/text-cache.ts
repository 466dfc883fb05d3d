/**
 * The texts table as a cache: one generated text per (paper, kind, style, language, model, prompt
 * version), with the tokens it cost. Every channel that asks for the same text is served this row.
 * @module
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { texts } from '../db/schema.js';

/** What identifies one generated text. */
export interface TextKey {
  paperId: string;
  kind: 'summary' | 'translation';
  /** The summary style; `full` for a translation. */
  style: string;
  language: string;
  model: string;
  promptVersion: string;
}

export interface StoredText {
  id: number;
  body: string;
  promptTokens: number | null;
  completionTokens: number | null;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** Token counts of the calls that wrote a text (a retried text counts both calls). */
export interface TokenUsage {
  promptTokens: number | undefined;
  completionTokens: number | undefined;
}

/** What the stored rows tell about all time. */
export interface StoredTotals {
  texts: number;
  summaries: number;
  translations: number;
  promptTokens: number;
  completionTokens: number;
  /** Cache hits counted in `texts.hits`; undefined while the table has no such column. */
  hits: number | undefined;
  byModel: { model: string; texts: number }[];
}

/** The string a key is known by in memory (single flight). */
export const keyString = (key: TextKey): string =>
  [key.paperId, key.kind, key.style, key.language, key.model, key.promptVersion].join('\u0000');

export class TextCache {
  /**
   * Whether `texts` has a `hits` column to count cache hits in across restarts. It is asked for in
   * the schema; until a migration adds it, hits are counted in memory only (see Texts.stats).
   */
  readonly countsHits: boolean;

  constructor(private readonly database: Database) {
    const columns = database.sqlite.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('texts') as string[];
    this.countsHits = columns.includes('hits');
  }

  get(key: TextKey): StoredText | undefined {
    return this.database.db
      .select({ id: texts.id, body: texts.body, promptTokens: texts.promptTokens, completionTokens: texts.completionTokens, createdAt: texts.createdAt })
      .from(texts)
      .where(and(
        eq(texts.paperId, key.paperId), eq(texts.kind, key.kind), eq(texts.style, key.style),
        eq(texts.language, key.language), eq(texts.model, key.model), eq(texts.promptVersion, key.promptVersion),
      ))
      .get();
  }

  /** Stores a text, replacing the one stored for the same key (written for an older paper version). */
  put(key: TextKey, body: string, usage: TokenUsage, now: number): void {
    const values = { body, promptTokens: usage.promptTokens ?? null, completionTokens: usage.completionTokens ?? null, createdAt: now };
    this.database.db
      .insert(texts)
      .values({ ...key, ...values })
      .onConflictDoUpdate({ target: [texts.paperId, texts.kind, texts.style, texts.language, texts.model, texts.promptVersion], set: values })
      .run();
  }

  recordHit(id: number): void {
    if (this.countsHits) this.database.sqlite.prepare('UPDATE texts SET hits = hits + 1 WHERE id = ?').run(id);
  }

  totals(): StoredTotals {
    const row = this.database.db
      .select({
        texts: sql<number>`count(*)`,
        summaries: sql<number>`coalesce(sum(${texts.kind} = 'summary'), 0)`,
        promptTokens: sql<number>`coalesce(sum(${texts.promptTokens}), 0)`,
        completionTokens: sql<number>`coalesce(sum(${texts.completionTokens}), 0)`,
      })
      .from(texts)
      .get() ?? { texts: 0, summaries: 0, promptTokens: 0, completionTokens: 0 };
    const hits = this.countsHits
      ? (this.database.sqlite.prepare('SELECT coalesce(sum(hits), 0) FROM texts').pluck().get() as number)
      : undefined;
    const byModel = this.database.db
      .select({ model: texts.model, texts: sql<number>`count(*)` })
      .from(texts)
      .groupBy(texts.model)
      .orderBy(sql`count(*) desc`)
      .all();
    return { ...row, translations: row.texts - row.summaries, hits, byModel };
  }
}

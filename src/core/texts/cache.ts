/**
 * The texts table as a cache: one generated text per (paper, kind, style, language, model, prompt
 * version), with the tokens it cost. Every channel that asks for the same text is served this row.
 * @module
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { texts } from '../../db/schema.js';

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
  /** Cache hits counted in `texts.hits`. */
  hits: number;
  byModel: { model: string; texts: number }[];
}

/** The string a key is known by in memory (single flight). */
export const keyString = (key: TextKey): string =>
  [key.paperId, key.kind, key.style, key.language, key.model, key.promptVersion].join('\u0000');

export class TextCache {
  constructor(private readonly database: Database) {}

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
    this.database.db.update(texts).set({ hits: sql`${texts.hits} + 1` }).where(eq(texts.id, id)).run();
  }

  totals(): StoredTotals {
    const row = this.database.db
      .select({
        texts: sql<number>`count(*)`,
        summaries: sql<number>`coalesce(sum(${texts.kind} = 'summary'), 0)`,
        promptTokens: sql<number>`coalesce(sum(${texts.promptTokens}), 0)`,
        completionTokens: sql<number>`coalesce(sum(${texts.completionTokens}), 0)`,
        hits: sql<number>`coalesce(sum(${texts.hits}), 0)`,
      })
      .from(texts)
      .get() ?? { texts: 0, summaries: 0, promptTokens: 0, completionTokens: 0, hits: 0 };
    const byModel = this.database.db
      .select({ model: texts.model, texts: sql<number>`count(*)` })
      .from(texts)
      .groupBy(texts.model)
      .orderBy(sql`count(*) desc`)
      .all();
    return { ...row, translations: row.texts - row.summaries, byModel };
  }
}

/**
 * The taste_models table: each scope's fitted model and its reset mark. The one place it is read or written.
 * @module
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { tasteModels } from '../../db/schema.js';
import { LinearModel } from './model.js';

export interface TasteSummary {
  /** The features that weigh most for the scope, with their weights. */
  terms: [string, number][];
  authors: [string, number][];
  /** Voted paper ids, newest first: what reasons may quote. */
  voted: string[];
}

export interface StoredTaste {
  scope: string;
  resetAt: number;
  fittedAt: number | null;
  positives: number;
  strongNegatives: number;
  weakNegatives: number;
  model: LinearModel | null;
  summary: TasteSummary | null;
}

export class TasteModelStore {
  constructor(private readonly database: Database) {}

  get(scope: string): StoredTaste | undefined {
    const row = this.database.db.select().from(tasteModels).where(eq(tasteModels.scope, scope)).get();
    if (!row) return undefined;
    return {
      scope: row.scope, resetAt: row.resetAt, fittedAt: row.fittedAt,
      positives: row.positives, strongNegatives: row.strongNegatives, weakNegatives: row.weakNegatives,
      model: row.weights && row.bias !== null ? LinearModel.fromBuffer(row.bias, row.weights) : null,
      summary: row.summary,
    };
  }

  /** When the scope was last reset (0 for never). */
  resetAt(scope: string): number {
    return this.database.db.select({ resetAt: tasteModels.resetAt }).from(tasteModels).where(eq(tasteModels.scope, scope)).get()?.resetAt ?? 0;
  }

  save(scope: string, fit: Omit<StoredTaste, 'scope' | 'resetAt'>): void {
    const values = {
      fittedAt: fit.fittedAt, positives: fit.positives, strongNegatives: fit.strongNegatives, weakNegatives: fit.weakNegatives,
      bias: fit.model?.bias ?? null, weights: fit.model?.toBuffer() ?? null, summary: fit.summary,
    };
    this.database.db.insert(tasteModels).values({ scope, ...values }).onConflictDoUpdate({ target: tasteModels.scope, set: values }).run();
  }

  /** Forgets the model and marks the moment: later fits learn only from papers delivered after it. */
  reset(scope: string, at: number): void {
    const values = { resetAt: at, fittedAt: null, positives: 0, strongNegatives: 0, weakNegatives: 0, bias: null, weights: null, summary: null };
    this.database.db.insert(tasteModels).values({ scope, ...values }).onConflictDoUpdate({ target: tasteModels.scope, set: values }).run();
  }
}

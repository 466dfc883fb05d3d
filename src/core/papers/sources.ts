/**
 * The upstream clients as the core uses them (src/sources/ implements them; tests may too).
 * @module
 */
import type { FetchLimits } from './lookup.js';
import type { DailyEntry, PaperRecord } from './record.js';

/** The Hugging Face client as the core uses it. */
export interface DailySource {
  daily(date: string, onProgress?: (fetched: number) => void, limits?: FetchLimits): Promise<DailyEntry[]>;
  paper(id: string, limits?: FetchLimits): Promise<PaperRecord | undefined>;
}

/** The arXiv client as the core uses it. */
export interface ArxivSource {
  get(id: string, limits?: FetchLimits): Promise<PaperRecord | undefined>;
  listCategories(categories: string[], options?: { max?: number }): Promise<PaperRecord[]>;
  /** Many papers by id, 100 per request (the details backfill uses it). */
  lookup?(ids: string[]): Promise<{ found: PaperRecord[]; missing: string[] }>;
}

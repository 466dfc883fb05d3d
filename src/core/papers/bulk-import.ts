/**
 * Writes many imported files to the store in few, large transactions: one commit per batch of about
 * 20,000 papers instead of one per file, which is most of what bulk ingest costs. A file is never split
 * across two transactions, so a failed write leaves nothing of it half-stored.
 * @module
 */
import type { DailyEntry, PaperRecord } from './record.js';
import type { PaperStore, UpsertOutcome } from './store.js';

/** What one file holds, read and validated: its daily lists by day, and papers of no list. */
export interface ImportedFile {
  days: { date: string; entries: DailyEntry[] }[];
  records: PaperRecord[];
  papers: number;
}

export type ImportCounts = Record<UpsertOutcome, number> & { papers: number; files: number };

/** Papers per transaction: large enough that commits cost little, small enough to keep memory flat. */
export const IMPORT_BATCH = 20_000;

export class BulkImport {
  readonly totals: ImportCounts = { papers: 0, files: 0, inserted: 0, revised: 0, updated: 0, unchanged: 0 };
  /** Every daily list date written, in the order first seen. */
  readonly dates = new Set<string>();
  private pending: ImportedFile[] = [];
  private pendingPapers = 0;

  constructor(private readonly store: PaperStore, private readonly batchPapers = IMPORT_BATCH) {}

  /** Queues a file; writes the batch once it holds `batchPapers` papers. */
  add(file: ImportedFile): void {
    this.pending.push(file);
    this.pendingPapers += file.papers;
    if (this.pendingPapers >= this.batchPapers) this.flush();
  }

  /** Writes what is queued, in one transaction. */
  flush(): void {
    if (this.pending.length === 0) return;
    const files = this.pending;
    const counts: Record<UpsertOutcome, number> = { inserted: 0, revised: 0, updated: 0, unchanged: 0 };
    const add = (c: Record<UpsertOutcome, number>) => {
      for (const k of ['inserted', 'revised', 'updated', 'unchanged'] as const) counts[k] += c[k];
    };
    this.store.atomically(() => {
      for (const file of files) {
        for (const day of file.days) add(this.store.saveDaily(day.date, day.entries));
        if (file.records.length > 0) add(this.store.upsertMany(file.records));
      }
    });
    // Counted only once committed.
    for (const k of ['inserted', 'revised', 'updated', 'unchanged'] as const) this.totals[k] += counts[k];
    for (const file of files) {
      this.totals.papers += file.papers;
      this.totals.files++;
      for (const day of file.days) this.dates.add(day.date);
    }
    this.pending = [];
    this.pendingPapers = 0;
  }
}

/**
 * Writes many imported files to the store in few, large transactions: one commit per batch of about
 * 20,000 papers instead of one per file, each batch one new segment of the full-text indexes (merging
 * is held back during it: PaperStore.bulkWrite; the running bot merges them afterwards, a step at a
 * time). A file is never split across two transactions, so a failed write leaves nothing of it
 * half-stored.
 * @module
 */
import type { PackedPapers } from './packed-papers.js';
import type { PaperStore, UpsertOutcome } from './store.js';

/** What one file holds, read, validated and packed: its daily lists, and papers of no list. */
export interface ImportedFile {
  /** Every paper of the file: the lists' papers day after day, then those of no list. */
  packed: PackedPapers;
  /** Each list: its papers are packed `from` to `to` (exclusive), in list order; when each entered it (ms). */
  days: { date: string; from: number; to: number; enteredAt: number[] }[];
  /** Where the papers of no list start in `packed`. */
  recordsFrom: number;
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

  /**
   * `onWritten` hears, after each batch committed, where each of its files' papers were inserted
   * (`pks[file][i]`, 0 for a paper already stored), in the order the files were added.
   */
  constructor(private readonly store: PaperStore, private readonly batchPapers = IMPORT_BATCH, private readonly onWritten?: (pks: Uint32Array[]) => void) {}

  /** Queues a file; writes the batch once it holds `batchPapers` papers. */
  add(file: ImportedFile): void {
    this.pending.push(file);
    this.pendingPapers += file.papers;
    if (this.pendingPapers >= this.batchPapers) this.flush();
  }

  /** Writes what is queued, in one transaction (and, once the last file is added, what is left). */
  flush(): void {
    if (this.pending.length === 0) return;
    const files = this.pending;
    const counts: Record<UpsertOutcome, number> = { inserted: 0, revised: 0, updated: 0, unchanged: 0 };
    const add = (c: Record<UpsertOutcome, number>) => {
      for (const k of ['inserted', 'revised', 'updated', 'unchanged'] as const) counts[k] += c[k];
    };
    const placed = this.onWritten ? files.map((file) => new Uint32Array(file.packed.count)) : [];
    this.store.bulkWrite(() => {
      files.forEach((file, n) => {
        for (const day of file.days) add(this.store.saveDailyPacked(day.date, file.packed, day.from, day.to, day.enteredAt, placed[n]));
        if (file.recordsFrom < file.packed.count) add(this.store.upsertPacked(file.packed, file.recordsFrom, file.packed.count, placed[n]));
      });
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
    this.onWritten?.(placed);
  }
}

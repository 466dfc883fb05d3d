/**
 * Which Hugging Face days have been fetched, and when: a day fetched after it ended (UTC) is complete,
 * so a range backfill that stopped half way resumes where it stopped and a re-run skips finished days.
 * @module
 */
import type { Database } from '../../db/database.js';

const DAY_MS = 86_400_000;

export class FetchedDays {
  private readonly upsert;
  private readonly fetchedAt;

  constructor(database: Database) {
    this.upsert = database.sqlite.prepare(`INSERT INTO fetched_days (date, papers, fetched_at) VALUES (?, ?, ?)
      ON CONFLICT (date) DO UPDATE SET papers = excluded.papers, fetched_at = excluded.fetched_at`);
    this.fetchedAt = database.sqlite.prepare<[string], number>('SELECT fetched_at FROM fetched_days WHERE date = ?').pluck();
  }

  record(date: string, papers: number, at: number): void {
    this.upsert.run(date, papers, at);
  }

  /** True when `date` was fetched after its UTC day was over: its list will not grow. */
  isComplete(date: string): boolean {
    const at = this.fetchedAt.get(date);
    return at !== undefined && at >= Date.parse(`${date}T00:00:00Z`) + DAY_MS;
  }
}

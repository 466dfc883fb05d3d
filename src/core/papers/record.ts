/**
 * What a source (Hugging Face, arXiv, an imported file) knows about one paper. Fields a source does
 * not know are left undefined, so merging records from several sources never erases what another found.
 * @module
 */

export interface PaperRecord {
  /** arXiv id without version: `2403.08295` or `hep-th/9901001`. */
  id: string;
  /** Version number when the source knows it (arXiv does, Hugging Face does not). */
  version?: number;
  title: string;
  authors: string[];
  abstract: string;
  /** ISO 8601 timestamp of the first arXiv version. */
  publishedAt?: string;
  /** ISO 8601 timestamp of the latest arXiv version. */
  updatedAt?: string;
  categories?: string[];
  primaryCategory?: string;
  comment?: string;
  journalRef?: string;
  doi?: string;
  codeUrl?: string;
  projectUrl?: string;
  githubStars?: number;
  hfUpvotes?: number;
  aiSummary?: string;
  aiKeywords?: string[];
}

/** One entry of a Hugging Face daily list: the paper and the day it entered the list. */
export interface DailyEntry {
  paper: PaperRecord;
  /** YYYY-MM-DD: the Daily Papers date, not the arXiv date. */
  date: string;
  /** Position in the list as served (0-based). */
  position: number;
  /** ISO 8601: when it entered the list (`submittedOnDailyAt`, else the entry's `publishedAt`), when known. */
  enteredAt?: string;
}

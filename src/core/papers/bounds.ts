/**
 * The sizes a stored paper may have. A source that sends a 5 MB abstract or 100,000 authors (broken,
 * hostile, or a proxy's error page) must not grow the database or reach a chat: records are cut to these
 * bounds before they are stored, at a word boundary and never inside a character.
 * @module
 */
import type { PaperRecord } from './record.js';

/** Far above any real paper (the longest arXiv titles are about 300 characters, abstracts about 3,000). */
export const PAPER_BOUNDS = {
  titleChars: 1000,
  abstractChars: 10_000,
  authors: 500,
  authorChars: 200,
  /** AI summary, comment, journal reference. */
  noteChars: 2000,
  urlChars: 2000,
  categories: 50,
  keywords: 50,
  keywordChars: 100,
} as const;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` characters (UTF-16 units), ending with `…` when cut: at the last space in
 * the final fifth, else at the last whole grapheme (never between a surrogate pair or an emoji's parts).
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1; // room for the ellipsis
  const space = text.lastIndexOf(' ', end);
  if (space > end * 0.8) end = space;
  else {
    // Graphemes around the cut only (a 5 MB string is not segmented whole), read past it so the one
    // that straddles the cut is seen whole.
    const from = Math.max(0, end - 32);
    let last = from;
    for (const { index } of segmenter.segment(text.slice(from, end + 64))) {
      if (from + index > end) break;
      last = from + index;
    }
    end = last;
  }
  return `${text.slice(0, end).trimEnd()}…`;
}

/** The record within {@link PAPER_BOUNDS}; the same object when it already is. */
export function boundRecord(record: PaperRecord): PaperRecord {
  const b = PAPER_BOUNDS;
  const over =
    record.title.length > b.titleChars || record.abstract.length > b.abstractChars || record.authors.length > b.authors ||
    record.authors.some((a) => a.length > b.authorChars) || (record.categories?.length ?? 0) > b.categories ||
    (record.aiKeywords?.length ?? 0) > b.keywords || record.aiKeywords?.some((k) => k.length > b.keywordChars) ||
    [record.aiSummary, record.comment, record.journalRef, record.doi].some((t) => (t?.length ?? 0) > b.noteChars) ||
    [record.codeUrl, record.projectUrl].some((u) => (u?.length ?? 0) > b.urlChars);
  if (!over) return record;
  const bounded: PaperRecord = {
    ...record,
    title: cutText(record.title, b.titleChars),
    abstract: cutText(record.abstract, b.abstractChars),
    authors: record.authors.slice(0, b.authors).map((a) => cutText(a, b.authorChars)),
  };
  if (record.categories) bounded.categories = record.categories.slice(0, b.categories);
  if (record.aiKeywords) bounded.aiKeywords = record.aiKeywords.slice(0, b.keywords).map((k) => cutText(k, b.keywordChars));
  for (const field of ['aiSummary', 'comment', 'journalRef', 'doi'] as const) {
    const value = record[field];
    if (value !== undefined) bounded[field] = cutText(value, b.noteChars);
  }
  // A cut URL leads nowhere: drop it instead.
  for (const field of ['codeUrl', 'projectUrl'] as const) {
    if ((record[field]?.length ?? 0) > b.urlChars) delete bounded[field];
  }
  return bounded;
}

/**
 * A paper as Paperboy stores it, and the links every renderer shows for it.
 * @module
 */
import type { papers } from '../../db/schema.js';

export type Paper = typeof papers.$inferSelect;

export const arxivAbsUrl = (id: string) => `https://arxiv.org/abs/${id}`;
export const arxivPdfUrl = (id: string, version?: number | null) => `https://arxiv.org/pdf/${id}${version ? `v${version}` : ''}`;
export const hfPaperUrl = (id: string) => `https://huggingface.co/papers/${id}`;
export const hfThumbnailUrl = (id: string) => `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${id}.png`;

/** "A, B, C +12": the first few authors and how many more. */
export function shortAuthors(authors: readonly string[], show = 3): string {
  if (authors.length <= show + 1) return authors.join(', ');
  return `${authors.slice(0, show).join(', ')} +${authors.length - show}`;
}

/** YYYY-MM-DD of an ISO timestamp, or undefined. */
export function isoDay(iso: string | null | undefined): string | undefined {
  return iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : undefined;
}

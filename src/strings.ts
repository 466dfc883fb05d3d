/**
 * Small text helpers shared by every layer.
 * @module
 */

/** One line: arXiv's hard line breaks and runs of spaces collapsed into single spaces. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** True for a real calendar day written YYYY-MM-DD (2024-02-30 is not one). */
export function isIsoDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(date)) && new Date(date).toISOString().slice(0, 10) === date;
}

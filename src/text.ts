/**
 * Small text helpers shared by every layer.
 * @module
 */

/** One line: arXiv's hard line breaks and runs of spaces collapsed into single spaces. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

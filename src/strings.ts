/**
 * Small text helpers shared by every layer.
 * @module
 */
import { quote } from './core/reply-limits.js';

/** Whitespace other than single spaces between words (trim and \s cover the same characters). */
const NEEDS_COLLAPSING = /[^\S ]|\s\s|^\s|\s$/;

/** One line: arXiv's hard line breaks and runs of spaces collapsed into single spaces. */
export function collapseWhitespace(text: string): string {
  // Most text needs nothing: a test scans it without building a copy.
  return NEEDS_COLLAPSING.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Outside text that pings no one on Discord or Slack, and reads the same: a zero-width space after
 * the `@` of `@everyone`, `@here`, `@channel` and `@all` (full-width `＠` too), and after the `<` of
 * `<@123>`, `<@!123>`, `<@&123>`, `<#C123|general>` and Slack's `<!here>` or `<!subteam^…>`.
 */
export function neutralizeMentions(text: string): string {
  return text
    .replace(/([@＠])(everyone|here|channel|all)/giu, `$1${ZERO_WIDTH_SPACE}$2`)
    .replace(/<([@#!])/g, `<${ZERO_WIDTH_SPACE}$1`);
}

/** arXiv opened in August 1991; no paper date lies before this day. */
export const FIRST_PAPER_DAY = '1991-01-01';

/** The last day a paper date can be: the end of next year (UTC), relative to `now`. */
export function lastPaperDay(now: number): string {
  return `${new Date(now).getUTCFullYear() + 1}-12-31`;
}

/** True for a real calendar day written YYYY-MM-DD, any year. */
export function isCalendarDay(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(date)) && new Date(date).toISOString().slice(0, 10) === date;
}

/**
 * Why `date` is no day a paper can have: not a real calendar day written YYYY-MM-DD (2024-02-30 is
 * not one), or outside 1991-01-01 to the end of next year. Undefined when it is fine.
 */
export function dateProblem(date: string, now: number = Date.now()): string | undefined {
  const shown = `"${quote(date, 20)}"`;
  if (!isCalendarDay(date)) return `Not a date: ${shown}. Use YYYY-MM-DD, e.g. 2024-03-14.`;
  const last = lastPaperDay(now);
  if (date < FIRST_PAPER_DAY || date > last) return `${shown} is outside the days papers can have: use a date from ${FIRST_PAPER_DAY} to ${last}.`;
  return undefined;
}

/** True for a real calendar day written YYYY-MM-DD from 1991-01-01 to the end of next year. */
export function isIsoDate(date: string, now: number = Date.now()): boolean {
  return dateProblem(date, now) === undefined;
}

/**
 * Text as it enters from a platform (a command's options, a typed line, a reaction's name) made
 * well-formed: a lone UTF-16 surrogate becomes U+FFFD and NUL characters go, so neither is echoed in a
 * reply or stored. Node 20 has String.prototype.toWellFormed; the lib types here predate it.
 */
export function wellFormedText(text: string): string {
  const wellFormed = (text as string & { toWellFormed(): string }).toWellFormed();
  return wellFormed.includes('\0') ? wellFormed.replace(/\0/g, '') : wellFormed;
}

/**
 * Making outside text safe for Discord: no control characters, no mentions that could ping (even if
 * the text is re-rendered somewhere without `allowed_mentions`), markdown shown as typed, and cut to
 * Discord's limits by the shared cut (core/reply-limits.ts), measured after escaping.
 * @module
 */
import { clean } from '../../core/render-plain.js';
import { cutText, readTheRest } from '../../core/reply-limits.js';
import { neutralizeMentions } from '../../strings.js';

/** Plain outside text, cleaned and neutralized, for places where Discord shows no markdown (author, footer). */
export function plain(text: string): string {
  return neutralizeMentions(clean(text));
}

/** Plain outside text for places where Discord renders markdown: shown exactly as typed. */
export function markdownSafe(text: string): string {
  return escapeAll(text, true);
}

/** Outside text for the label of a `[label](url)` link: as markdownSafe, addresses escaped too, so no bracket can close the label. */
export function linkLabel(text: string): string {
  return escapeAll(text, false);
}

/** An address for `[label](url)` that cannot end the link early. */
export function linkTarget(url: string): string {
  return url.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

// Discord's markdown unescapes a backslash before any punctuation, so escaping every special
// character is safe; one linear pass (escapeMarkdown's regexes go quadratic on long runs).
const INLINE_SPECIAL = /[\\*_~`|[\]<]/g;
const LINE_START_SPECIAL = /^([ \t]*)(#|>|-#|[-+](?= ))/gm;
// "1. " starts a list; the backslash goes before the dot (before a digit it would show).
const NUMBERED_LIST = /^([ \t]*\d+)\.(?= )/gm;
// Addresses are left as they are, so a link in a text still works.
const ADDRESS = /(https?:\/\/[^\s<>]+)/;

function escapeAll(text: string, keepAddresses: boolean): string {
  const escaped = clean(text)
    .split(ADDRESS)
    .map((part, i) =>
      i % 2 === 1 && keepAddresses
        ? part
        : part.replace(INLINE_SPECIAL, '\\$&').replace(LINE_START_SPECIAL, '$1\\$2').replace(NUMBERED_LIST, '$1\\.'),
    )
    .join('');
  return neutralizeMentions(escaped);
}

/** The URL when Discord will accept it in an embed (http or https, at most 2,048 characters), else undefined. */
export function embedUrl(url: string | undefined): string | undefined {
  if (!url || url.length > 2048) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** Outside text made markdown-safe and cut to `max` (grapheme-safe, no escape broken), with a link to the rest when `more` is given. */
export function fitMarkdown(text: string, max: number, more?: string): string {
  return cutText(text, max, { render: markdownSafe, ...(more ? { ending: readTheRest(more) } : {}) });
}

/** As fitMarkdown, for places without markdown (author line, footer). */
export function fitPlain(text: string, max: number): string {
  return cutText(text, max, { render: plain });
}

/** As fitMarkdown, for a link label. */
export function fitLinkLabel(text: string, max: number): string {
  return cutText(text, max, { render: linkLabel });
}

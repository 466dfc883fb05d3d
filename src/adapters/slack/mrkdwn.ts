/**
 * Slack mrkdwn from outside text: escaping and links. Cutting to Slack's limits is the shared cut's
 * job (core/reply-limits.ts), given escapeMrkdwn as the way to measure.
 * @module
 */
import { clean } from '../../core/render-plain.js';
import { collapseWhitespace } from '../../strings.js';

/**
 * Makes outside text inert in mrkdwn: `&`, `<`, `>` become entities, so `<!channel>`, `<@U123>` and
 * `<https://evil|label>` show as typed instead of pinging or linking. Control characters go too.
 */
export function escapeMrkdwn(text: string): string {
  return clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The URL, normalised, when it is http(s); otherwise undefined. */
export function httpUrl(raw: string): string | undefined {
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The URL when it is http(s), made safe to sit inside `<url|label>`; otherwise undefined. */
export function safeHttpUrl(raw: string): string | undefined {
  // URL serialisation percent-encodes spaces, quotes and most angle brackets; `|` would end the link target.
  return httpUrl(raw)?.replace(/\|/g, '%7C').replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E');
}

/** `<url|label>` with the label escaped, or just the escaped label when the URL is not http(s). */
export function mrkdwnLink(url: string | undefined, label: string): string {
  const safe = url === undefined ? undefined : safeHttpUrl(url);
  const shown = collapseWhitespace(escapeMrkdwn(label)) || 'link';
  return safe ? `<${safe}|${shown}>` : shown;
}

/**
 * Slack mrkdwn from outside text: escaping, links, and splitting long text without breaking a word,
 * an escape sequence or an emoji.
 * @module
 */
import { clean } from '../../core/render-plain.js';

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
  const shown = escapeMrkdwn(label).replace(/\s+/g, ' ').trim() || 'link';
  return safe ? `<${safe}|${shown}>` : shown;
}

/** Where cutting `text` at `at` breaks neither a UTF-16 surrogate pair nor an `&amp;` style entity. */
function safeCut(text: string, at: number): number {
  let cut = at;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && cut - amp <= 5 && !text.slice(amp, cut).includes(';')) {
    const semi = text.indexOf(';', amp);
    if (semi >= 0 && semi - amp <= 5) cut = amp;
  }
  return cut > 0 ? cut : at;
}

/**
 * Splits text into pieces of at most `max` characters, preferring a paragraph break, then a line
 * break, then a sentence end, then a space; nothing is dropped.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const floor = Math.floor(max / 2);
    let cut = -1;
    for (const separator of ['\n\n', '\n', '. ', ' ']) {
      const at = window.lastIndexOf(separator);
      if (at >= floor) {
        cut = at + (separator === '. ' ? 1 : 0);
        break;
      }
    }
    if (cut <= 0) cut = safeCut(rest, max);
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

/** Text cut to `max` characters at a word boundary with an ellipsis, for places that must be short. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, safeCut(text, max - 1));
  const space = head.lastIndexOf(' ');
  return `${(space >= max / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}

/**
 * Cutting text to a platform's limits: one grapheme-safe cut for every renderer, so no emoji, flag,
 * accent or surrogate pair is broken in two, and a cut text says where the rest is. Renderers pass
 * how they escape text (`render`): the cut is made in the raw text and measured escaped, so no
 * escape sequence (`&amp;`, `\*`) is broken either.
 * @module
 */
import type { Card, Reply } from './reply.js';

/** What a cut text ends with when there is nowhere to read the rest. */
export const ELLIPSIS = '…';

/** Terminal output stays bounded too: a card's body, a text reply, a list item's text. */
export const TERMINAL_LIMITS = { body: 8_000, text: 20_000, itemText: 1_000, title: 1_000 } as const;

/** "… (read the rest: URL)": what a cut text ends with when the rest is online. */
export const readTheRest = (url: string) => `${ELLIPSIS} (read the rest: ${url})`;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** How far back from the limit a word or line boundary is looked for. */
const LOOKBACK = 512;
const isAscii = (code: number) => code < 0x80;

/**
 * The largest position at or below `at` where `text` may be cut: a grapheme boundary, preferably just
 * before a line break, else before a space, when one lies within the last few hundred characters.
 */
export function cutPosition(text: string, at: number): number {
  if (at >= text.length) return text.length;
  if (at <= 0) return 0;
  // Segment only a window before `at`, starting where a boundary is certain (between two ASCII characters).
  let start = Math.max(0, at - LOOKBACK);
  const floor = Math.max(0, start - 4 * LOOKBACK);
  while (start > floor && !(isAscii(text.charCodeAt(start - 1)) && isAscii(text.charCodeAt(start)) && text.slice(start - 1, start + 1) !== '\r\n')) start--;
  if (start === floor && start > 0) start = 0;
  let grapheme = start;
  let space = -1;
  let line = -1;
  for (const { segment, index } of segmenter.segment(text.slice(start, at + 1))) {
    const position = start + index;
    if (position > at) break;
    // A grapheme that reaches past `at` cannot be kept; the boundary before it can.
    if (position + segment.length <= at) grapheme = position + segment.length;
    if (position > 0 && /^\s+$/.test(segment)) {
      space = position;
      if (segment.includes('\n')) line = position;
    }
  }
  if (line > at / 2 && line >= at - LOOKBACK) return line;
  if (space > at / 2 && space >= at - LOOKBACK) return space;
  return grapheme;
}

export interface CutOptions {
  /** How the platform escapes text; lengths are measured after it. Identity by default. */
  render?: (text: string) => string;
  /** Where the whole text is: the cut text ends with "… (read the rest: URL)". */
  more?: string;
  /** The ending, already in the platform's format (a Slack or markdown link); overrides `more`. */
  ending?: string;
}

/**
 * `text` rendered, within `max` characters: whole when it fits, else cut at a grapheme (preferably
 * word) boundary with "…" or "… (read the rest: URL)" at the end.
 */
export function cutText(text: string, max: number, options: CutOptions = {}): string {
  const render = options.render ?? ((t: string) => t);
  // Escaping at most multiplies a text by a few: a text many times the limit is cut without escaping it whole.
  if (text.length <= 4 * max) {
    const whole = render(text);
    if (whole.length <= max) return whole;
  }
  const ending = options.ending ?? (options.more ? readTheRest(options.more) : ELLIPSIS);
  if (ending.length >= max) return cutText(ending, max);
  return `${render(text.slice(0, fitPosition(text, max - ending.length, render))).trimEnd()}${ending}`;
}

/** The cut position in `text` whose rendering fits `max` characters. */
function fitPosition(text: string, max: number, render: (text: string) => string = (t) => t): number {
  let at = Math.min(max, text.length);
  for (;;) {
    const position = cutPosition(text, at);
    const excess = render(text.slice(0, position)).length - max;
    if (excess <= 0 || position === 0) return position;
    // Escaping grows a text by a factor: step back in proportion, at least one character.
    const rendered = max + excess;
    at = Math.max(0, Math.min(position - 1, Math.floor((position * max) / rendered)));
  }
}

/**
 * Text in pieces whose renderings are each within `max` characters, cut at line breaks, spaces or at
 * least grapheme boundaries; nothing is dropped but the whitespace at the cuts. At most `maxPieces`
 * pieces: the last then ends with "…".
 */
export function splitText(text: string, max: number, options: { render?: (text: string) => string; maxPieces?: number } = {}): string[] {
  const render = options.render ?? ((t: string) => t);
  const maxPieces = options.maxPieces ?? Number.POSITIVE_INFINITY;
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    if (pieces.length === maxPieces - 1) {
      pieces.push(cutText(rest, max, { render }));
      break;
    }
    let at = fitPosition(rest, max, render);
    // Not even one grapheme fits (a zalgo cluster longer than the limit): cut it anyway, at a code point.
    if (at === 0) at = Math.max(1, codePointCut(rest, max));
    const piece = render(rest.slice(0, at).trimEnd());
    if (piece.trim() !== '') pieces.push(piece);
    rest = rest.slice(at).replace(/^\s+/, '');
  }
  return pieces.length > 0 ? pieces : [render(text)];
}

/** A cut at or below `at` that splits no surrogate pair. */
function codePointCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** A short quote of user input for a reply: at most `max` characters, grapheme-safe, with "…" when cut. */
export function quote(text: string, max = 30): string {
  return cutText(text, max);
}

/** Raw lengths a renderer wants a reply held to before it renders it. */
export interface ReplyBounds {
  body: number;
  text: number;
  itemText: number;
  title: number;
}

/**
 * The reply with its long parts cut (a card's body, a text, a list item's text, titles), each ending
 * with a link to the rest where the reply has one. Cheap on huge input: nothing past a bound is read.
 */
export function boundReply(reply: Reply, bounds: ReplyBounds): Reply {
  switch (reply.kind) {
    case 'text':
      return { ...reply, text: cutText(reply.text, bounds.text) };
    case 'card': {
      const c = reply.card;
      const card: Card = {
        ...c,
        title: cutText(c.title, bounds.title),
        ...(c.body !== undefined ? { body: cutText(c.body, bounds.body, { more: c.url }) } : {}),
        ...(c.authors !== undefined ? { authors: cutText(c.authors, bounds.title) } : {}),
        ...(c.footer !== undefined ? { footer: cutText(c.footer, bounds.title) } : {}),
      };
      return { ...reply, card, ...(reply.text !== undefined ? { text: cutText(reply.text, bounds.text) } : {}) };
    }
    case 'list':
      return {
        ...reply,
        title: cutText(reply.title, bounds.title),
        items: reply.items.map((item) => ({
          ...item,
          title: cutText(item.title, bounds.title),
          ...(item.detail !== undefined ? { detail: cutText(item.detail, bounds.title) } : {}),
          ...(item.text !== undefined ? { text: cutText(item.text, bounds.itemText, { more: item.url }) } : {}),
        })),
      };
  }
}

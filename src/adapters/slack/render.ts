/**
 * Replies as Slack Block Kit messages: header, section, context and image blocks within Slack's
 * limits, every outside string escaped, and a plain `text` fallback for notifications. Pure: no I/O.
 * A reply too long for one message is cut to one, ending with a link to the rest.
 * @module
 */
import { plainText } from '../../core/render-plain.js';
import type { Card, ListItem, Reply } from '../../core/reply.js';
import { boundReply, cutText, ELLIPSIS, splitText } from '../../core/reply-limits.js';
import { escapeMrkdwn, httpUrl, mrkdwnLink, safeHttpUrl } from './mrkdwn.js';
import { collapseWhitespace } from '../../strings.js';

/** Slack's documented limits, and the share of them we allow ourselves. */
export const SLACK_LIMITS = {
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  contextElements: 10,
  altText: 2000,
  blocksPerMessage: 50,
  /** Slack refuses messages whose blocks hold much more than ~13k characters; stay below. */
  blockCharsPerMessage: 12_000,
  /** The fallback `text` is for notifications and screen readers; the blocks carry the whole reply. */
  fallbackText: 3000,
} as const;

interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
  /** Stops Slack from turning `@here` or channel names in outside text into mentions and links. */
  verbatim: true;
}
interface PlainTextObject {
  type: 'plain_text';
  text: string;
  emoji: boolean;
}

/** The Block Kit blocks this renderer produces (a subset of Slack's KnownBlock). */
export type SlackBlock =
  | { type: 'header'; text: PlainTextObject }
  | { type: 'section'; text: MrkdwnText; fields?: MrkdwnText[] }
  | { type: 'section'; fields: MrkdwnText[] }
  | { type: 'context'; elements: MrkdwnText[] }
  | { type: 'image'; image_url: string; alt_text: string }
  | { type: 'divider' };

/** One chat message: blocks and the fallback text Slack shows where blocks cannot be. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const mrkdwn = (text: string): MrkdwnText => ({ type: 'mrkdwn', text, verbatim: true });

/** Raw bounds applied before rendering: a 6 MB abstract costs what a short one does. */
const BOUNDS = { body: 2 * SLACK_LIMITS.sectionText, text: 3 * SLACK_LIMITS.sectionText, itemText: 600, title: 1000 } as const;
/** Text replies may take a few sections; outside text gets one section each. */
const TEXT_SECTIONS = 3;

/** `… (read the rest: <url>)` as mrkdwn; a plain "…" when there is no usable address. */
function ending(url: string | undefined): string | undefined {
  const safe = url === undefined ? undefined : safeHttpUrl(url);
  return safe ? `${ELLIPSIS} (read the rest: <${safe}>)` : undefined;
}

/** One section of outside text, escaped and cut to Slack's 3,000 characters (with a link to the rest). */
function section(raw: string, more?: string, decorate: (escaped: string) => string = (t) => t): SlackBlock[] {
  if (raw.trim() === '') return [];
  const max = SLACK_LIMITS.sectionText - decorate('').length;
  return [{ type: 'section', text: mrkdwn(decorate(cutText(raw, max, { render: escapeMrkdwn, ending: ending(more) }))) }];
}

/** A header block (plain text: Slack parses no mentions or links there), plus the full title when it had to be shortened. */
function heading(title: string): SlackBlock[] {
  const oneLine = collapseWhitespace(title) || 'Untitled';
  const short = cutText(oneLine, SLACK_LIMITS.headerText);
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: short, emoji: false } }];
  if (short !== oneLine) blocks.push(...section(title, undefined, (t) => `*${t}*`));
  return blocks;
}

function context(texts: string[]): SlackBlock[] {
  const elements = texts
    .filter((t) => t.trim() !== '')
    .slice(0, SLACK_LIMITS.contextElements)
    .map((t) => mrkdwn(cutText(t, SLACK_LIMITS.sectionText, { render: escapeMrkdwn })));
  return elements.length > 0 ? [{ type: 'context', elements }] : [];
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.replace(/^www\./, '');
  } catch {
    return 'link';
  }
}

function cardBlocks(card: Card, intro: string | undefined): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  if (intro) blocks.push(...section(intro));
  blocks.push(...heading(card.title));
  if (card.authors) blocks.push(...context([card.authors]));
  if (card.body) blocks.push(...section(card.body, card.url));

  const fields = (card.fields ?? []).map((f) => {
    const name = `*${cutText(f.name, 200, { render: escapeMrkdwn })}*\n`;
    return mrkdwn(`${name}${cutText(f.value, SLACK_LIMITS.fieldText - name.length, { render: escapeMrkdwn })}`);
  });
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.fieldsPerSection) {
    blocks.push({ type: 'section', fields: fields.slice(i, i + SLACK_LIMITS.fieldsPerSection) });
  }

  const links = [
    ...(card.url ? [mrkdwnLink(card.url, hostOf(card.url))] : []),
    ...(card.links ?? []).map((l) => mrkdwnLink(l.url, cutText(l.label, 100))),
  ];
  if (links.length > 0) blocks.push({ type: 'section', text: mrkdwn(cutText(links.join('  ·  '), SLACK_LIMITS.sectionText)) });

  const image = card.image === undefined ? undefined : httpUrl(card.image);
  if (image) blocks.push({ type: 'image', image_url: image, alt_text: cutText(card.title, SLACK_LIMITS.altText) });
  if (card.footer) blocks.push(...context([card.footer]));
  return blocks;
}

function itemBlocks(item: ListItem, index: number): SlackBlock[] {
  const title = cutText(item.title, 300);
  const lines = [`*${index + 1}.* ${item.url ? `*${mrkdwnLink(item.url, title)}*` : `*${escapeMrkdwn(title)}*`}`];
  if (item.detail) lines.push(`_${cutText(item.detail, 200, { render: escapeMrkdwn })}_`);
  if (item.text) lines.push(cutText(item.text, BOUNDS.itemText, { render: escapeMrkdwn, ending: ending(item.url) }));
  return [{ type: 'section', text: mrkdwn(lines.join('\n')) }];
}

/** Every block of a reply, before it is divided into messages. */
export function replyBlocks(reply: Reply): SlackBlock[] {
  switch (reply.kind) {
    case 'text':
      return splitText(reply.text, SLACK_LIMITS.sectionText, { render: escapeMrkdwn, maxPieces: TEXT_SECTIONS }).map((piece) => ({ type: 'section', text: mrkdwn(piece) }));
    case 'card':
      return cardBlocks(reply.card, reply.text);
    case 'list': {
      const blocks = heading(reply.title);
      if (reply.items.length === 0) blocks.push(...section(reply.empty ?? `${reply.title}: nothing yet.`));
      reply.items.forEach((item, i) => blocks.push(...itemBlocks(item, i)));
      if (reply.footer) blocks.push(...context([reply.footer]));
      return blocks;
    }
  }
}

/** The characters of a block that count against Slack's per-message budget. */
export function blockChars(block: SlackBlock): number {
  switch (block.type) {
    case 'header':
      return block.text.text.length;
    case 'section':
      return ('text' in block ? block.text.text.length : 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0);
    case 'context':
      return block.elements.reduce((n, e) => n + e.text.length, 0);
    case 'image':
      return block.image_url.length + block.alt_text.length;
    case 'divider':
      return 0;
  }
}

/** Room kept in a full message for the closing "… (read the rest)" line. */
const CLOSING_ROOM = 300;

/**
 * A reply as one Slack message, within 50 blocks and Slack's character budget: blocks that do not
 * fit are left out, and a closing line says so and links to the rest where the reply has an address.
 */
export function renderSlackMessage(reply: Reply): SlackMessage {
  const bounded = boundReply(reply, BOUNDS);
  const all = replyBlocks(bounded);
  const blocks: SlackBlock[] = [];
  let chars = 0;
  for (const [i, block] of all.entries()) {
    const size = blockChars(block);
    const last = i === all.length - 1;
    const room = last ? 0 : CLOSING_ROOM;
    if (blocks.length + (last ? 1 : 2) > SLACK_LIMITS.blocksPerMessage || chars + size + room > SLACK_LIMITS.blockCharsPerMessage) {
      blocks.push(closing(bounded));
      break;
    }
    blocks.push(block);
    chars += size;
  }
  const fallback = cutText(plainText(bounded), SLACK_LIMITS.fallbackText, { render: escapeMrkdwn }) || ' ';
  return { text: fallback, blocks };
}

/** The line that closes a message some blocks did not fit into. */
function closing(reply: Reply): SlackBlock {
  const url = reply.kind === 'card' ? reply.card.url : undefined;
  const what = reply.kind === 'list' ? 'more not shown' : 'shortened to fit one Slack message';
  const link = ending(url);
  return { type: 'context', elements: [mrkdwn(link ? `_${what}_ ${link}` : `_${ELLIPSIS} ${what}_`)] };
}

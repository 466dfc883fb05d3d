/**
 * Replies as Slack Block Kit messages: header, section, context and image blocks within Slack's
 * limits, every outside string escaped, and a plain `text` fallback for notifications. Pure: no I/O.
 * A reply too long for one message becomes several, in order, instead of being cut.
 * @module
 */
import { plainText } from '../../core/render-plain.js';
import type { Card, ListItem, Reply } from '../../core/reply.js';
import { escapeMrkdwn, httpUrl, mrkdwnLink, shorten, splitText } from './mrkdwn.js';

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

/** Sections for escaped text, split at word boundaries so none passes Slack's 3,000 characters. */
function sections(escaped: string): SlackBlock[] {
  if (escaped.trim() === '') return [];
  return splitText(escaped, SLACK_LIMITS.sectionText).map((piece) => ({ type: 'section', text: mrkdwn(piece) }));
}

/** A header block (plain text: Slack parses no mentions or links there), plus the full title when it had to be shortened. */
function heading(title: string): SlackBlock[] {
  const short = shorten(title.replace(/\s+/g, ' ').trim() || 'Untitled', SLACK_LIMITS.headerText);
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: short, emoji: false } }];
  if (short !== title.replace(/\s+/g, ' ').trim()) blocks.push(...sections(`*${escapeMrkdwn(title)}*`));
  return blocks;
}

function context(texts: string[]): SlackBlock[] {
  const elements = texts
    .filter((t) => t.trim() !== '')
    .flatMap((t) => splitText(t, SLACK_LIMITS.sectionText))
    .map(mrkdwn);
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < elements.length; i += SLACK_LIMITS.contextElements) {
    blocks.push({ type: 'context', elements: elements.slice(i, i + SLACK_LIMITS.contextElements) });
  }
  return blocks;
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
  if (intro) blocks.push(...sections(escapeMrkdwn(intro)));
  blocks.push(...heading(card.title));
  if (card.authors) blocks.push(...context([escapeMrkdwn(card.authors)]));
  if (card.body) blocks.push(...sections(escapeMrkdwn(card.body)));

  const fields = (card.fields ?? [])
    .map((f) => mrkdwn(shorten(`*${escapeMrkdwn(f.name)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldText)));
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.fieldsPerSection) {
    blocks.push({ type: 'section', fields: fields.slice(i, i + SLACK_LIMITS.fieldsPerSection) });
  }

  const links = [
    ...(card.url ? [mrkdwnLink(card.url, hostOf(card.url))] : []),
    ...(card.links ?? []).map((l) => mrkdwnLink(l.url, l.label)),
  ];
  if (links.length > 0) blocks.push(...sections(links.join('  ·  ')));

  const image = card.image === undefined ? undefined : httpUrl(card.image);
  if (image) blocks.push({ type: 'image', image_url: image, alt_text: shorten(card.title, SLACK_LIMITS.altText) });
  if (card.footer) blocks.push(...context([escapeMrkdwn(card.footer)]));
  return blocks;
}

function itemBlocks(item: ListItem, index: number): SlackBlock[] {
  const lines = [`*${index + 1}.* ${item.url ? `*${mrkdwnLink(item.url, item.title)}*` : `*${escapeMrkdwn(item.title)}*`}`];
  if (item.detail) lines.push(`_${escapeMrkdwn(item.detail)}_`);
  if (item.text) lines.push(escapeMrkdwn(item.text));
  return sections(lines.join('\n'));
}

/** Every block of a reply, before it is divided into messages. */
export function replyBlocks(reply: Reply): SlackBlock[] {
  switch (reply.kind) {
    case 'text':
      return sections(escapeMrkdwn(reply.text));
    case 'card':
      return cardBlocks(reply.card, reply.text);
    case 'list': {
      const blocks = heading(reply.title);
      if (reply.items.length === 0) blocks.push(...sections(escapeMrkdwn(reply.empty ?? `${reply.title}: nothing yet.`)));
      reply.items.forEach((item, i) => blocks.push(...itemBlocks(item, i)));
      if (reply.footer) blocks.push(...context([escapeMrkdwn(reply.footer)]));
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

/**
 * A reply as one or more Slack messages, each within 50 blocks and Slack's character budget. The
 * first carries the plain-text fallback of the whole reply; later ones say they continue it.
 */
export function renderSlackMessages(reply: Reply): SlackMessage[] {
  const groups: SlackBlock[][] = [[]];
  let chars = 0;
  for (const block of replyBlocks(reply)) {
    const size = blockChars(block);
    const current = groups[groups.length - 1] ?? [];
    if (current.length > 0 && (current.length >= SLACK_LIMITS.blocksPerMessage || chars + size > SLACK_LIMITS.blockCharsPerMessage)) {
      groups.push([block]);
      chars = size;
    } else {
      current.push(block);
      chars += size;
    }
  }
  const fallback = shorten(escapeMrkdwn(plainText(reply)), SLACK_LIMITS.fallbackText) || ' ';
  const title = reply.kind === 'text' ? shorten(escapeMrkdwn(reply.text), 80) : escapeMrkdwn(shorten(reply.kind === 'card' ? reply.card.title : reply.title, 80));
  return groups.map((blocks, i) => ({
    text: i === 0 ? fallback : `${title} (continued, ${i + 1}/${groups.length})`,
    blocks,
  }));
}

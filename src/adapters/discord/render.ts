/**
 * Replies to Discord messages: cards become embeds, lists become embeds of numbered items, text is
 * split into at most three messages of 2,000 characters; a card's long body is cut with a link to the
 * rest, as on Slack and in the terminal. Pure: the same reply always gives the same payloads,
 * each within Discord's limits and with `allowed_mentions: { parse: [] }`.
 * @module
 */
import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { Card, ListItem, Reply } from '../../core/reply.js';
import { boundReply, splitText } from '../../core/reply-limits.js';
import { embedUrl, fitLinkLabel, fitMarkdown, fitPlain, linkTarget, markdownSafe } from './discord-text.js';

/** Discord's documented message and embed limits. */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
} as const;

/** One message as Discord's API takes it, for a channel post or an interaction response alike. */
export interface DiscordMessage {
  content?: string;
  embeds?: APIEmbed[];
  allowed_mentions: { parse: [] };
}

/** Paperboy's embed colour (a newspaper's off-white would vanish on light themes). */
const COLOR = 0x5865f2;
const LIST_ITEM_TEXT = 600;
const TEXT_MESSAGES = 3;
const EMPTY = '\u200b';
/** Raw bounds applied before rendering: a 6 MB abstract costs what a short one does. */
const BOUNDS = { body: 2 * DISCORD_LIMITS.description, text: TEXT_MESSAGES * DISCORD_LIMITS.content, itemText: LIST_ITEM_TEXT, title: 2 * DISCORD_LIMITS.title } as const;

/** The messages that show a reply, in order; at least one. */
export function renderReply(full: Reply): DiscordMessage[] {
  const reply = boundReply(full, BOUNDS);
  switch (reply.kind) {
    case 'text':
      return textMessages(reply.text);
    case 'card':
      return withEmbeds(reply.text ? textMessages(reply.text) : [], [cardEmbed(reply.card)]);
    case 'list': {
      if (reply.items.length === 0) return textMessages(reply.empty ?? `${reply.title}: nothing yet.`);
      return listMessages(reply.title, reply.items, reply.footer);
    }
  }
}

/** Index of the message that stands for the reply (the one with the card), for threads and votes. */
export function mainMessageIndex(messages: readonly DiscordMessage[]): number {
  const index = messages.findIndex((m) => (m.embeds?.length ?? 0) > 0);
  return index === -1 ? 0 : index;
}

/** Characters that count toward the 6,000 of a message's embeds. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

function message(content: string | undefined, embeds?: APIEmbed[]): DiscordMessage {
  return { ...(content ? { content } : {}), ...(embeds && embeds.length > 0 ? { embeds } : {}), allowed_mentions: { parse: [] } };
}

function textMessages(text: string): DiscordMessage[] {
  if (!markdownSafe(text).trim()) return [message(EMPTY)];
  return splitText(text, DISCORD_LIMITS.content, { render: markdownSafe, maxPieces: TEXT_MESSAGES }).map((piece) => message(piece));
}

/** The embeds ride on the last text message, so the text reads first; or on a message of their own. */
function withEmbeds(texts: DiscordMessage[], embeds: APIEmbed[]): DiscordMessage[] {
  const last = texts.at(-1);
  if (!last) return [message(undefined, embeds)];
  return [...texts.slice(0, -1), message(last.content, embeds)];
}

function cardEmbed(card: Card): APIEmbed {
  const embed: APIEmbed = { color: COLOR };
  const title = fitMarkdown(card.title, DISCORD_LIMITS.title);
  if (title.trim()) embed.title = title;
  const url = embedUrl(card.url);
  if (url && embed.title) embed.url = url;
  if (card.authors?.trim()) embed.author = { name: fitPlain(card.authors, DISCORD_LIMITS.authorName) };

  const fields: APIEmbedField[] = (card.fields ?? []).map((f) => ({
    name: fitMarkdown(f.name, DISCORD_LIMITS.fieldName) || EMPTY,
    value: fitMarkdown(f.value, DISCORD_LIMITS.fieldValue) || EMPTY,
    ...(f.inline ? { inline: true } : {}),
  }));
  const links = linksValue(card.links ?? []);
  if (links) fields.push({ name: 'Links', value: links });
  if (fields.length > 0) embed.fields = fields.slice(0, DISCORD_LIMITS.fields);

  const image = embedUrl(card.image);
  if (image) embed.thumbnail = { url: image };
  if (card.footer?.trim()) embed.footer = { text: fitPlain(card.footer, DISCORD_LIMITS.footer) };
  while (embed.fields && embedLength(embed) > DISCORD_LIMITS.embedTotal) embed.fields = embed.fields.slice(0, -1);
  // The body gets what the 6,000 characters of a message leave, cut with a link to the rest.
  const room = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.embedTotal - embedLength(embed));
  if (card.body?.trim() && room > 0) {
    const description = fitMarkdown(card.body, room, url);
    if (description.trim()) embed.description = description;
  }
  return embed;
}

/** `[PDF](…) · [Code](…)`, leaving out links with unusable addresses and any that would pass 1,024. */
function linksValue(links: readonly { label: string; url: string }[]): string {
  let value = '';
  for (const link of links) {
    const url = embedUrl(link.url);
    if (!url) continue;
    const markdown = `[${fitLinkLabel(link.label, 100)}](${linkTarget(url)})`;
    const next = value ? `${value} · ${markdown}` : markdown;
    if (next.length > DISCORD_LIMITS.fieldValue) break;
    value = next;
  }
  return value;
}

function itemBlock(item: ListItem, index: number): string {
  const url = embedUrl(item.url);
  const head = url
    ? `**${index + 1}. [${fitLinkLabel(item.title, DISCORD_LIMITS.title)}](${linkTarget(url)})**`
    : `**${index + 1}. ${fitMarkdown(item.title, DISCORD_LIMITS.title)}**`;
  const lines = [head];
  if (item.detail?.trim()) lines.push(fitMarkdown(item.detail, 200));
  if (item.text?.trim()) lines.push(fitMarkdown(item.text, LIST_ITEM_TEXT, url));
  return lines.join('\n');
}

/**
 * Items packed into embed descriptions (each within 4,096), embeds into messages (at most 10 and
 * 6,000 characters a message); the title heads the first embed and the footer closes the last.
 */
function listMessages(title: string, items: readonly ListItem[], footer: string | undefined): DiscordMessage[] {
  const embeds: APIEmbed[] = [];
  let current: APIEmbed = { color: COLOR, title: fitMarkdown(title, DISCORD_LIMITS.title) };
  items.forEach((item, index) => {
    const block = itemBlock(item, index);
    const joined = current.description ? `${current.description}\n\n${block}` : block;
    if (joined.length > DISCORD_LIMITS.description) {
      embeds.push(current);
      current = { color: COLOR, description: block };
    } else current.description = joined;
  });
  if (footer?.trim()) current.footer = { text: fitPlain(footer, DISCORD_LIMITS.footer) };
  embeds.push(current);

  const messages: DiscordMessage[] = [];
  let batch: APIEmbed[] = [];
  let batchLength = 0;
  for (const embed of embeds) {
    const length = embedLength(embed);
    if (batch.length === DISCORD_LIMITS.embedsPerMessage || batchLength + length > DISCORD_LIMITS.embedTotal) {
      messages.push(message(undefined, batch));
      batch = [];
      batchLength = 0;
    }
    batch.push(embed);
    batchLength += length;
  }
  messages.push(message(undefined, batch));
  return messages;
}

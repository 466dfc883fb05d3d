/**
 * A channel's subscription as a card: what /subscribe shows.
 * @module
 */
import type { Card } from '../reply.js';
import { nextRun } from '../digest/run-times.js';
import { DEFAULT_SETTINGS, weekdaysLabel, type TasteMode } from './settings.js';
import type { Subscription } from './store.js';
import type { SummaryStyle } from '../texts/languages.js';

const STYLE_LABEL: Readonly<Record<SummaryStyle, string>> = { tldr: 'one sentence (tldr)', bullets: 'bullets', pulse: 'a paragraph (pulse)', insights: 'why / key insights' };

const TASTE_LABEL: Record<TasteMode, string> = {
  off: 'off (Hugging Face upvotes)',
  on: 'on (blended with upvotes once 15 votes are in)',
  strong: 'strong (mostly the team’s votes once 15 are in)',
};

export function describeSettings(subscription: Subscription | undefined): Card {
  const s = subscription ?? { ...DEFAULT_SETTINGS, active: false, failure: null };
  const next = s.active ? nextRun(s) : null;
  const list = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : 'none');
  const status = !s.active ? 'Not subscribed (these are the defaults)' : s.failure ? `⚠️ Failing: ${s.failure}` : 'Active';
  return {
    title: 'Daily papers for this channel',
    fields: [
      { name: 'Status', value: status },
      { name: 'Schedule', value: `${s.time} ${s.timezone}, ${weekdaysLabel(s.weekdays)}${next ? ` · next ${next.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}`, inline: true },
      { name: 'Source', value: s.source === 'hf' ? `Hugging Face Daily Papers${s.categories.length ? ` (arXiv ${list(s.categories)} if it is down)` : ''}` : `arXiv: ${list(s.categories)}`, inline: true },
      { name: 'Size', value: `${s.size} papers${s.minUpvotes > 0 ? `, at least ▲ ${s.minUpvotes}` : ''}`, inline: true },
      { name: 'Keywords', value: `include: ${list(s.includeKeywords)} · exclude: ${list(s.excludeKeywords)}`, inline: true },
      { name: 'Language and style', value: `${s.language}, ${Object.hasOwn(STYLE_LABEL, s.style) ? STYLE_LABEL[s.style] : s.style}`, inline: true },
      { name: 'Vote emojis', value: s.voteEmojis.map(emojiLabel).join(' '), inline: true },
      { name: 'Not for me', value: s.downEmojis.map(emojiLabel).join(' '), inline: true },
      { name: 'Team taste', value: TASTE_LABEL[s.taste], inline: true },
      { name: 'Weekly roundup', value: s.roundup ?? 'off', inline: true },
      { name: 'Empty days', value: s.notifyEmpty ? 'a one-line notice' : 'nothing posted', inline: true },
    ],
    footer: 'Change with /subscribe key=value: time, tz, days, source, cats, size, min, include, exclude, lang, style, emojis, down, taste, roundup, notify-empty',
  };
}

/** A vote emoji as people read it: the character, a workspace emoji's `:name:`, or a Discord emoji's id. */
function emojiLabel(emoji: string): string {
  if (!emoji.startsWith('custom:')) return emoji;
  const ref = emoji.slice('custom:'.length);
  return /^\d+$/.test(ref) ? `<custom ${ref}>` : `:${ref}:`;
}

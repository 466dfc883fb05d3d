/**
 * A channel's digest settings: their defaults, how they read in `/subscribe key=value …`, and their
 * validation. A bad value anywhere changes nothing and gets one message naming each problem.
 * @module
 */
import { BadInputError } from '../../errors.js';
import { findCategory, unknownCategoryHint } from '../papers/categories.js';
import { parseLanguage, SUMMARY_STYLES } from '../texts/languages.js';
import type { SummaryStyle } from '../texts/service.js';
import { cutPosition, quote } from '../reply-limits.js';

export type TasteMode = 'off' | 'on' | 'strong';
export const TASTE_MODES: readonly TasteMode[] = ['off', 'on', 'strong'];

export interface DigestSettings {
  /** HH:MM, 24-hour, in `timezone`. */
  time: string;
  timezone: string;
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  source: 'hf' | 'arxiv';
  categories: string[];
  size: number;
  minUpvotes: number;
  includeKeywords: string[];
  excludeKeywords: string[];
  language: string;
  style: SummaryStyle;
  voteEmojis: string[];
  /** Reactions that tell the taste model "not for me". */
  downEmojis: string[];
  /** How much the team's taste orders the digest (see core/taste). */
  taste: TasteMode;
  /** `fri 16:00`, in `timezone`; null for none. */
  roundup: string | null;
  notifyEmpty: boolean;
}

export const DEFAULT_SETTINGS: Readonly<DigestSettings> = Object.freeze({
  time: '09:00',
  timezone: 'UTC',
  weekdays: [1, 2, 3, 4, 5],
  source: 'hf',
  categories: [],
  size: 10,
  minUpvotes: 0,
  includeKeywords: [],
  excludeKeywords: [],
  language: 'en',
  style: 'tldr',
  voteEmojis: ['👍', '🔥', '⬆️', '❤️'],
  downEmojis: ['👎'],
  taste: 'on',
  roundup: null,
  notifyEmpty: false,
});

export const MAX_SIZE = 50;
export const MAX_CATEGORIES = 10;
export const SETTINGS_EXAMPLE = 'time=08:30 tz=Asia/Seoul days=mon-fri size=10 lang=ko style=bullets';

/** The weekdays in ISO order (1 = Monday), as settings write them. */
export const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** The name each setting has in `/subscribe` and in every reply about it (never the stored field name). */
export const SETTING_NAMES: Readonly<Record<keyof DigestSettings, string>> = {
  time: 'time', timezone: 'tz', weekdays: 'days', source: 'source', categories: 'cats', size: 'size',
  minUpvotes: 'min', includeKeywords: 'include', excludeKeywords: 'exclude', language: 'lang', style: 'style',
  voteEmojis: 'emojis', downEmojis: 'down', taste: 'taste', roundup: 'roundup', notifyEmpty: 'notify-empty',
};

// A Map, not an object: only these words are settings (`constructor=x` and `__proto__=1` are not).
const KEY_ALIASES: ReadonlyMap<string, keyof DigestSettings> = new Map<string, keyof DigestSettings>([
  ['time', 'time'], ['at', 'time'],
  ['timezone', 'timezone'], ['tz', 'timezone'], ['zone', 'timezone'],
  ['days', 'weekdays'], ['weekdays', 'weekdays'],
  ['source', 'source'],
  ['categories', 'categories'], ['cats', 'categories'], ['cat', 'categories'], ['category', 'categories'],
  ['size', 'size'], ['count', 'size'],
  ['min', 'minUpvotes'], ['min-upvotes', 'minUpvotes'], ['minupvotes', 'minUpvotes'], ['upvotes', 'minUpvotes'],
  ['include', 'includeKeywords'], ['keywords', 'includeKeywords'],
  ['exclude', 'excludeKeywords'],
  ['language', 'language'], ['lang', 'language'],
  ['style', 'style'],
  ['emojis', 'voteEmojis'], ['emoji', 'voteEmojis'], ['votes', 'voteEmojis'],
  ['down', 'downEmojis'], ['down-emojis', 'downEmojis'],
  ['taste', 'taste'],
  ['roundup', 'roundup'], ['weekly', 'roundup'],
  ['notify-empty', 'notifyEmpty'], ['empty', 'notifyEmpty'], ['notify', 'notifyEmpty'],
]);

export function parseTime(value: string): string {
  const m = /^([01]?\d|2[0-3])[:.h]([0-5]\d)$/.exec(value.trim());
  if (!m) throw new Error(`time must be HH:MM on a 24-hour clock, like 09:00 (not "${clip(value)}")`);
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

export function parseTimezone(value: string): string {
  const zone = value.trim();
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new Error(`timezone must be an IANA name like Europe/Berlin or Asia/Seoul (not "${clip(value)}")`);
  }
}

export function parseWeekdays(value: string): number[] {
  const v = value.trim().toLowerCase();
  if (v === 'daily' || v === 'every' || v === 'all') return [1, 2, 3, 4, 5, 6, 7];
  if (v === 'weekdays') return [1, 2, 3, 4, 5];
  if (v === 'weekends') return [6, 7];
  const days = new Set<number>();
  for (const part of v.split(/[,\s]+/).filter(Boolean)) {
    const range = /^([a-z]{3})[a-z]*(?:-([a-z]{3})[a-z]*)?$/.exec(part);
    const from = range ? DAY_NAMES.indexOf(range[1] as (typeof DAY_NAMES)[number]) : -1;
    const to = range?.[2] ? DAY_NAMES.indexOf(range[2] as (typeof DAY_NAMES)[number]) : from;
    if (from < 0 || to < 0) throw new Error(`days must be like mon-fri, mon,wed,fri, daily or weekends (not "${clip(value)}")`);
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d + 1);
      if (d === to) break;
    }
  }
  if (days.size === 0) throw new Error('days needs at least one day, e.g. mon-fri');
  return [...days].sort((a, b) => a - b);
}

export function weekdaysLabel(days: readonly number[]): string {
  const key = days.join(',');
  if (key === '1,2,3,4,5') return 'Mon–Fri';
  if (key === '1,2,3,4,5,6,7') return 'every day';
  return days.map((d) => DAY_NAMES[d - 1]!.replace(/^./, (c) => c.toUpperCase())).join(', ');
}

const EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3)(?:[\uFE0F\u200D\p{Emoji_Modifier}\p{Extended_Pictographic}])*$/u;

const graphemes = (text: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);

/** A workspace's own emoji as platforms write it: Discord's `<:name:id>`, a name in colons (Slack's `:partyparrot:`), or the stored token. */
const CUSTOM_EMOJI = /<a?:\w+:(\d+)>|:([\p{L}\p{N}_+'-]+):|custom:([\p{L}\p{N}_+'-]+)/gu;

/**
 * Vote emojis: unicode characters, or a workspace's own emojis as `custom:<ref>`, where the ref is
 * what that platform's reactions carry (a Discord emoji's id, a Slack emoji's name). A subscription
 * belongs to one platform, so its tokens are that platform's.
 */
export function parseEmojis(value: string): string[] {
  const emojis: string[] = [];
  const characters = (text: string) => {
    for (const g of graphemes(text)) {
      if (/^[\s,]+$/.test(g)) continue;
      if (!EMOJI.test(g)) throw new Error(`emojis must be emoji characters like 👍 🔥, or the workspace's own like :partyparrot: (not "${clip(g)}")`);
      emojis.push(g);
    }
  };
  let from = 0;
  for (const m of value.matchAll(CUSTOM_EMOJI)) {
    characters(value.slice(from, m.index));
    emojis.push(`custom:${m[1] ?? m[2] ?? m[3]}`);
    from = m.index + m[0].length;
  }
  characters(value.slice(from));
  if (emojis.length === 0 || emojis.length > 10) throw new Error('emojis needs between 1 and 10 emojis, e.g. emojis=👍🔥');
  return [...new Set(emojis)];
}

function parseList(value: string): string[] {
  const v = value.trim();
  if (v === '' || v === 'none' || v === '-') return [];
  return [...new Set(v.split(',').map((s) => s.trim().replace(/^"|"$/g, '').toLowerCase()).filter(Boolean))].slice(0, 20);
}

function parseBoolean(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['yes', 'on', 'true', '1'].includes(v)) return true;
  if (['no', 'off', 'false', '0'].includes(v)) return false;
  throw new Error(`notify-empty must be yes or no (not "${clip(value)}")`);
}

/** Digits only (no sign, spaces, decimals, exponents or hex: `0x10` and `1e4` are refused, not read as 16 and 10000). */
function parseInteger(name: string, value: string, min: number, max: number): number {
  const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, digits only (not "${clip(value)}")`);
  return n;
}

function clip(value: string): string {
  return quote(value, 30);
}

/** Reads `key=value` pairs (values may be "quoted"); returns the changes, or throws listing every problem. */
export function parseSettingsChanges(input: string): Partial<DigestSettings> {
  const changes: Partial<DigestSettings> = {};
  const problems: string[] = [];
  // key=value, where a value may hold "quoted parts" and a roundup's day may be followed by its time.
  const pairs = input.slice(0, cutPosition(input, 2000)).match(/[\w-]+\s*[=:]\s*(?:"[^"]*"|[^\s"])*(?:\s+(?=\d{1,2}[:.h]\d{2}\b)\S+)?|\S+/g) ?? [];
  for (const pair of pairs) {
    const m = /^([\w-]+)\s*[=:](.*)$/s.exec(pair);
    const key = m ? KEY_ALIASES.get(m[1]!.toLowerCase()) : undefined;
    if (!m || !key) {
      problems.push(`"${clip(pair)}" is not a setting; use key=value with one of: time, tz, days, source, cats, size, min, include, exclude, lang, style, emojis, down, taste, roundup, notify-empty`);
      continue;
    }
    // Numbers are read as typed (`size= 5` is refused); other values may have spaces around them.
    const raw = m[2]!.replace(/"/g, '');
    const value = key === 'size' || key === 'minUpvotes' ? raw : raw.trim();
    try {
      applyChange(changes, key, value);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (problems.length > 0) throw new BadInputError(`Nothing changed: ${problems.join('; ')}.`);
  return changes;
}

function applyChange(changes: Partial<DigestSettings>, key: keyof DigestSettings, value: string): void {
  switch (key) {
    case 'time': changes.time = parseTime(value); break;
    case 'timezone': changes.timezone = parseTimezone(value); break;
    case 'weekdays': changes.weekdays = parseWeekdays(value); break;
    case 'source': {
      const v = value.trim().toLowerCase();
      if (v !== 'hf' && v !== 'arxiv') throw new Error(`source must be hf (Hugging Face Daily Papers) or arxiv (by category), not "${clip(value)}"`);
      changes.source = v;
      break;
    }
    case 'categories': {
      const typed = value.trim() === 'none' || value.trim() === '-' ? [] : value.split(',').map((c) => c.trim()).filter(Boolean);
      const cats: string[] = [];
      for (const c of typed) {
        const code = findCategory(c);
        if (!code) throw new Error(`cats must be arXiv categories like cs.CL,cs.LG; "${clip(c)}" is not one: ${unknownCategoryHint(c)}`);
        cats.push(code);
      }
      if (cats.length > MAX_CATEGORIES) throw new Error(`cats takes at most ${MAX_CATEGORIES} categories (not ${cats.length})`);
      changes.categories = [...new Set(cats)];
      break;
    }
    case 'size': changes.size = parseInteger('size', value, 1, MAX_SIZE); break;
    case 'minUpvotes': changes.minUpvotes = parseInteger('min', value, 0, 10_000); break;
    case 'includeKeywords': changes.includeKeywords = parseList(value); break;
    case 'excludeKeywords': changes.excludeKeywords = parseList(value); break;
    case 'language':
      try {
        changes.language = parseLanguage(value).code;
      } catch (err) {
        throw new Error(err instanceof Error ? err.message.replace(/\.$/, '') : 'unknown language', { cause: err });
      }
      break;
    case 'style': {
      const v = value.trim().toLowerCase();
      if (!(SUMMARY_STYLES as readonly string[]).includes(v)) throw new Error(`style must be one of ${SUMMARY_STYLES.join(', ')} (not "${clip(value)}")`);
      changes.style = v as SummaryStyle;
      break;
    }
    case 'voteEmojis': changes.voteEmojis = parseEmojis(value); break;
    case 'downEmojis': changes.downEmojis = parseEmojis(value); break;
    case 'taste': {
      const v = value.trim().toLowerCase();
      if (!(TASTE_MODES as readonly string[]).includes(v)) throw new Error(`taste must be off, on or strong (not "${clip(value)}")`);
      changes.taste = v as TasteMode;
      break;
    }
    case 'roundup': {
      const v = value.trim().toLowerCase();
      if (v === 'off' || v === 'none' || v === 'no') changes.roundup = null;
      else {
        const m = /^([a-z]{3})[a-z]*\s+(\S+)$/.exec(v);
        const day = m ? DAY_NAMES.indexOf(m[1] as (typeof DAY_NAMES)[number]) : -1;
        if (!m || day < 0) throw new Error(`roundup must be a day and time like "fri 16:00", or off (not "${clip(value)}")`);
        changes.roundup = `${DAY_NAMES[day]} ${parseTime(m[2]!)}`;
      }
      break;
    }
    case 'notifyEmpty': changes.notifyEmpty = parseBoolean(value); break;
  }
}

/**
 * Checks the settings a channel would have after `changes`: a listing by category needs categories.
 * Throws a BadInputError saying what to add; returns nothing when they work together.
 */
export function checkCombined(current: Readonly<DigestSettings>, changes: Partial<DigestSettings>): void {
  const next = { ...current, ...changes };
  if (next.source === 'arxiv' && next.categories.length === 0) {
    throw new BadInputError('Nothing changed: source=arxiv lists papers by category, so it needs cats= too, e.g. source=arxiv cats=cs.CL,cs.LG.');
  }
}

/** The user-facing names of the settings in `changes`, in the order they were given: "size, include". */
export function changedNames(changes: Partial<DigestSettings>): string[] {
  return (Object.keys(changes) as (keyof DigestSettings)[]).map((key) => SETTING_NAMES[key]);
}

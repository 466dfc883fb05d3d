/**
 * Slack names emojis (`+1`, `thumbsup`, `+1::skin-tone-2`, `partyparrot`); the core counts votes by
 * character (`👍`) or by a neutral token for a workspace's own emoji (`custom:partyparrot`). Slack's
 * names are iamcal's emoji-data short names, read here from emojibase-data's `iamcal` shortcodes
 * (about 1,900 emojis and their aliases, 48 KB), loaded on first use.
 * @module
 */
import { createRequire } from 'node:module';

/** emojibase's shortcode files: hexcode (`1F44D`, `1F468-200D-1F4BB`) to one name or several. */
type Shortcodes = Record<string, string | string[]>;

interface EmojiNames {
  characters: Map<string, string>;
  names: Map<string, string>;
}

let loaded: EmojiNames | undefined;

/** The dataset, read once when a Slack emoji name first needs resolving. */
function emojiNames(): EmojiNames {
  if (loaded) return loaded;
  const data = createRequire(import.meta.url)('emojibase-data/en/shortcodes/iamcal.json') as Shortcodes;
  const characters = new Map<string, string>();
  const names = new Map<string, string>();
  for (const [hexcode, codes] of Object.entries(data)) {
    const character = fromHexcode(hexcode);
    const list = typeof codes === 'string' ? [codes] : codes;
    for (const name of list) characters.set(name, character);
    if (list[0] !== undefined) names.set(character, list[0]);
  }
  loaded = { characters, names };
  return loaded;
}

/**
 * `2B06` → `⬆️`: the code points, with the emoji presentation selector added to a lone character
 * that would otherwise show as text (so ⬆️ and ❤️ come out as the vote defaults are stored).
 */
function fromHexcode(hexcode: string): string {
  const text = String.fromCodePoint(...hexcode.split('-').map((h) => Number.parseInt(h, 16)));
  const lone = !hexcode.includes('-');
  return lone && !/\p{Emoji_Presentation}/u.test(text) ? `${text}\uFE0F` : text;
}

/** Skin tones as Slack appends them: `::skin-tone-3`, and `::skin-tone-2-4` for two people. */
const SKIN_TONE = /(?:::skin-tone-[2-6](?:-[2-6])?)+$/;

/** The name without colons and skin tone: `:+1::skin-tone-2:` → `+1`. */
function baseName(name: string): string {
  return name.replace(/^:|:$/g, '').replace(SKIN_TONE, '');
}

/**
 * The character for a Slack reaction name, skin tone dropped (`+1::skin-tone-2` → `👍`); a name that
 * is no standard emoji is the workspace's own, `custom:<name>` (`partyparrot` → `custom:partyparrot`).
 */
export function emojiFromSlackName(name: string): string {
  const base = baseName(name);
  return emojiNames().characters.get(base) ?? `custom:${base}`;
}

/** Slack's name for a character, for messages that tell users which reactions count. */
export function slackNameForEmoji(emoji: string): string | undefined {
  const { names } = emojiNames();
  return names.get(emoji) ?? names.get(emoji.replace(/\uFE0F/g, '')) ?? names.get(`${emoji}\uFE0F`);
}

/** `:dart:`, `:+1::skin-tone-3:` in text; a workspace emoji's name has the same form. */
const SHORTCODE = /:([a-z0-9_+'-]+)((?:::skin-tone-[2-6](?:-[2-6])?)*):/g;

/**
 * Slack writes emojis in text as names (`emojis=:dart::fire:`): the standard ones become their
 * characters, so commands read what the user picked; a workspace emoji stays `:name:`.
 */
export function charactersForShortcodes(text: string): string {
  if (!text.includes(':')) return text;
  const { characters } = emojiNames();
  return text.replace(SHORTCODE, (whole, name: string) => characters.get(name) ?? whole);
}

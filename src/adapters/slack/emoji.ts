/**
 * Slack names emojis (`+1`, `thumbsup`, `+1::skin-tone-2`); the core counts votes by character (`👍`).
 * This maps the common standard names to characters and leaves the rest as `:name:`.
 * @module
 */

/** Standard Slack emoji names (and their aliases) to the character the core stores. */
const CHARACTER_LIST: Readonly<Record<string, string>> = {
  // The vote defaults: 👍 🔥 ⬆️ ❤️, written exactly as the subscriptions table stores them.
  '+1': '👍',
  thumbsup: '👍',
  fire: '🔥',
  arrow_up: '⬆️',
  heart: '❤️',
  // Other reactions teams commonly vote or comment with.
  '-1': '👎',
  thumbsdown: '👎',
  arrow_down: '⬇️',
  heart_eyes: '😍',
  star: '⭐',
  star2: '🌟',
  tada: '🎉',
  rocket: '🚀',
  eyes: '👀',
  '100': '💯',
  clap: '👏',
  raised_hands: '🙌',
  pray: '🙏',
  muscle: '💪',
  sparkles: '✨',
  bulb: '💡',
  brain: '🧠',
  books: '📚',
  memo: '📝',
  pencil: '📝',
  bookmark: '🔖',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  heavy_plus_sign: '➕',
  arrow_up_small: '🔼',
  thinking_face: '🤔',
  exploding_head: '🤯',
  joy: '😂',
  smile: '😄',
  slightly_smiling_face: '🙂',
  point_up: '☝️',
  point_up_2: '👆',
  ok_hand: '👌',
  trophy: '🏆',
  gem: '💎',
  zap: '⚡',
  boom: '💥',
  collision: '💥',
  green_heart: '💚',
  blue_heart: '💙',
  purple_heart: '💜',
  yellow_heart: '💛',
  orange_heart: '🧡',
};

// Looked up as a Map: a reaction named `constructor` or `__proto__` is a custom emoji, not an inherited property.
const CHARACTERS: ReadonlyMap<string, string> = new Map(Object.entries(CHARACTER_LIST));

const SKIN_TONE = /::skin-tone-[2-6]$/;

/**
 * The character for a Slack reaction name, skin tone dropped (`+1::skin-tone-2` → `👍`); names
 * without a known character (custom emojis, rare ones) come back as `:name:`.
 */
export function emojiFromSlackName(name: string): string {
  const base = name.replace(SKIN_TONE, '').replace(/^:|:$/g, '');
  return CHARACTERS.get(base) ?? `:${base}:`;
}

/** The Slack name for a character, for messages that tell users which reactions count. */
export function slackNameForEmoji(emoji: string): string | undefined {
  for (const [name, character] of CHARACTERS) if (character === emoji) return name;
  return undefined;
}

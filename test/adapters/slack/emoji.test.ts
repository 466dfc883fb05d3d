import { describe, expect, it } from 'vitest';
import { emojiFromSlackName, slackNameForEmoji } from '../../../src/adapters/slack/emoji.js';
import { normalizeEmoji } from '../../../src/core/votes/service.js';

describe('emojiFromSlackName', () => {
  it.each([
    ['+1', '👍'],
    ['thumbsup', '👍'],
    ['+1::skin-tone-2', '👍'],
    ['thumbsup::skin-tone-6', '👍'],
    ['fire', '🔥'],
    ['arrow_up', '⬆️'],
    ['heart', '❤️'],
    [':heart:', '❤️'],
    ['tada', '🎉'],
    ['partyparrot', ':partyparrot:'],
    ['clap::skin-tone-4', '👏'],
    ['custom::skin-tone-9', ':custom::skin-tone-9:'],
    // Custom emojis may carry any name, inherited property names too: they are custom emojis.
    ['constructor', ':constructor:'],
    ['__proto__', ':__proto__:'],
    ['toString', ':toString:'],
  ])('%s → %s', (name, emoji) => {
    expect(emojiFromSlackName(name)).toBe(emoji);
  });

  it('gives the vote defaults exactly as the subscriptions table stores them', () => {
    const defaults = ['👍', '🔥', '⬆️', '❤️'];
    expect(['+1', 'fire', 'arrow_up', 'heart'].map(emojiFromSlackName)).toEqual(defaults);
    expect(defaults.map((e) => normalizeEmoji(e))).toEqual(['+1', 'fire', 'arrow_up', 'heart'].map((n) => normalizeEmoji(emojiFromSlackName(n))));
  });

  it('names a character back', () => {
    expect(slackNameForEmoji('👍')).toBe('+1');
    expect(slackNameForEmoji('🔥')).toBe('fire');
    expect(slackNameForEmoji('🦜')).toBeUndefined();
  });
});

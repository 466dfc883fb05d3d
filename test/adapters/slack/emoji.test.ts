import { describe, expect, it } from 'vitest';
import { charactersForShortcodes, emojiFromSlackName, slackNameForEmoji } from '../../../src/adapters/slack/emoji.js';
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
    ['dart', '🎯'],
    ['white_check_mark', '✅'],
    ['white_check_mark::skin-tone-3', '✅'],
    ['clap::skin-tone-4', '👏'],
    ['people_holding_hands::skin-tone-2-4', '🧑‍🤝‍🧑'],
    ['flag-kr', '🇰🇷'],
    ['man-woman-girl-boy', '👨‍👩‍👧‍👦'],
    ['partyparrot', 'custom:partyparrot'],
    ['custom::skin-tone-9', 'custom:custom::skin-tone-9'],
  ])('%s → %s', (name, emoji) => {
    expect(emojiFromSlackName(name)).toBe(emoji);
  });

  it('knows every emoji name Slack has, not a hand list', () => {
    const names = ['grinning', 'face_with_monocle', 'mortar_board', 'microscope', 'test_tube', 'abacus', 'dna', 'satellite', 'hourglass_flowing_sand', 'jigsaw'];
    for (const name of names) expect(emojiFromSlackName(name)).not.toMatch(/^custom:/);
  });

  it('gives the vote defaults exactly as the subscriptions table stores them', () => {
    const defaults = ['👍', '🔥', '⬆️', '❤️'];
    expect(['+1', 'fire', 'arrow_up', 'heart'].map(emojiFromSlackName)).toEqual(defaults);
    expect(defaults.map((e) => normalizeEmoji(e))).toEqual(['+1', 'fire', 'arrow_up', 'heart'].map((n) => normalizeEmoji(emojiFromSlackName(n))));
  });

  it('names a character back', () => {
    expect(slackNameForEmoji('👍')).toBe('+1');
    expect(slackNameForEmoji('🔥')).toBe('fire');
    expect(slackNameForEmoji('⬆️')).toBe('arrow_up');
    expect(slackNameForEmoji('x')).toBeUndefined();
  });
});

describe('charactersForShortcodes', () => {
  it('turns standard names into characters and leaves the rest', () => {
    expect(charactersForShortcodes('emojis=:dart::white_check_mark::skin-tone-3::partyparrot:')).toBe('emojis=🎯✅:partyparrot:');
    expect(charactersForShortcodes('emojis=:+1: :thumbsup::fire:')).toBe('emojis=👍 👍🔥');
    expect(charactersForShortcodes('time=09:00 roundup="fri 16:00" tz=Europe/Berlin')).toBe('time=09:00 roundup="fri 16:00" tz=Europe/Berlin');
    expect(charactersForShortcodes('gemma: open models')).toBe('gemma: open models');
  });
});

import { describe, expect, it } from 'vitest';
import { nonceFor } from '../../../src/adapters/discord/port.js';
import { reactionEvent } from '../../../src/adapters/discord/reactions.js';

const BOT = '200000000000000001';
const base = { user_id: '600000000000000001', channel_id: '500000000000000001', message_id: '700000000000000001', guild_id: '400000000000000001', burst: false, type: 0 };

describe('reactionEvent', () => {
  it('reads a unicode emoji by its character and a custom one by id', () => {
    expect(reactionEvent({ ...base, emoji: { id: null, name: '👍' } }, true, BOT)).toEqual({
      platform: 'discord', workspace: base.guild_id, channel: base.channel_id, messageId: base.message_id, user: base.user_id, emoji: '👍', userIsBot: false, added: true,
    });
    expect(reactionEvent({ ...base, emoji: { id: '800000000000000001', name: 'paperclap' } }, false, BOT)?.emoji).toBe('custom:800000000000000001');
  });

  it('marks the bot itself (removals carry no member) and other bots', () => {
    expect(reactionEvent({ ...base, user_id: BOT, emoji: { id: null, name: '👍' } }, false, BOT)?.userIsBot).toBe(true);
    expect(reactionEvent({ ...base, member: { user: { id: base.user_id, bot: true } }, emoji: { id: null, name: '👍' } }, true, BOT)?.userIsBot).toBe(true);
  });

  it('ignores direct messages and malformed dispatches', () => {
    const { guild_id: _, ...dm } = base;
    expect(reactionEvent({ ...dm, emoji: { id: null, name: '👍' } }, true, BOT)).toBeUndefined();
    expect(reactionEvent({ ...base }, true, BOT)).toBeUndefined();
    expect(reactionEvent({ ...base, emoji: { id: null, name: null } }, true, BOT)).toBeUndefined();
    expect(reactionEvent({ ...base, message_id: '../x', emoji: { id: null, name: '👍' } }, true, BOT)).toBeUndefined();
    expect(reactionEvent(null, true, BOT)).toBeUndefined();
  });
});

describe('nonceFor', () => {
  it('fits any key in 25 characters, stable per key and part', () => {
    const key = `digest:discord:400000000000000001:500000000000000001:daily:2024-03-14:paper:2403.08295`;
    expect(nonceFor(key)).toHaveLength(25);
    expect(nonceFor(key)).toBe(nonceFor(key));
    expect(nonceFor(key, 1)).not.toBe(nonceFor(key));
    expect(nonceFor(`${key}x`)).not.toBe(nonceFor(key));
  });
});

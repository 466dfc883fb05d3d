import { describe, expect, it } from 'vitest';
import { parseEmojis } from '../../../src/core/subscriptions/settings.js';

describe('parseEmojis', () => {
  it.each([
    ['👍🔥', ['👍', '🔥']],
    ['🎯 ✅', ['🎯', '✅']],
    ['👍🏽', ['👍🏽']],
    // Discord writes its server emojis as <:name:id> (animated <a:name:id>): kept by id, which its reactions carry.
    ['👍<:partyblob:123456789012345678>🔥', ['👍', 'custom:123456789012345678', '🔥']],
    ['<a:dance:42>', ['custom:42']],
    // Slack writes a workspace emoji as its name in colons: kept by name, which its reactions carry.
    [':partyparrot:', ['custom:partyparrot']],
    [':party-parrot_2: 🔥', ['custom:party-parrot_2', '🔥']],
    ['custom:42, custom:partyparrot', ['custom:42', 'custom:partyparrot']],
    [':partyparrot::partyparrot:', ['custom:partyparrot']],
  ])('%s', (value, expected) => {
    expect(parseEmojis(value)).toEqual(expected);
  });

  it.each([
    ['abc', /emojis must be emoji characters like 👍 🔥, or the workspace's own like :partyparrot: \(not "a"\)/],
    [':', /not ":"/],
    ['<:broken>', /not "<"/],
    ['', /between 1 and 10/],
  ])('refuses %j', (value, message) => {
    expect(() => parseEmojis(value)).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../../src/adapters/slack/channel-pacer.js';

describe('ChannelPacer', () => {
  it('spaces turns in one channel by the interval, in call order, and leaves other channels alone', async () => {
    let now = 10_000;
    const waits: [string, number][] = [];
    let channel = '';
    const pacer = new ChannelPacer({ intervalMs: 1000, now: () => now, sleep: async (ms) => void waits.push([channel, ms]) });
    for (const c of ['A', 'A', 'A', 'B']) {
      channel = c;
      await pacer.turn(c);
    }
    expect(waits).toEqual([['A', 1000], ['A', 2000]]);

    now += 2500; // A's next free slot was 13,000: 500 ms to go.
    channel = 'A';
    await pacer.turn('A');
    expect(waits.at(-1)).toEqual(['A', 500]);
    now += 10_000;
    await pacer.turn('A');
    expect(waits).toHaveLength(3);
  });
});

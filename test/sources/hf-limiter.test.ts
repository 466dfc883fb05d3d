import { describe, expect, it } from 'vitest';
import { HfCallWindow } from '../../src/sources/hf-limiter.js';

function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return { now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)), sleeps, advance: (ms: number) => (now += ms) };
}

describe('HfCallWindow', () => {
  it('lets calls go at once below the budget, then keeps every window of 5 minutes within it', async () => {
    const clock = fakeClock();
    const window = new HfCallWindow(10, 300_000, clock); // budget 9: a tenth is left to other processes
    expect(window.budget).toBe(9);
    const starts: number[] = [];
    for (let i = 0; i < 30; i++) await window.run(async () => void starts.push(clock.now()));
    expect(starts.slice(0, 9).every((t) => t === 0)).toBe(true);
    expect(starts[9]).toBe(300_000);
    for (let i = 0; i < starts.length; i++) {
      expect(starts.filter((t) => t >= starts[i]! && t < starts[i]! + 300_000).length).toBeLessThanOrEqual(9);
    }
    expect(clock.sleeps.length).toBeGreaterThan(0);
  });

  it('budgets 450 calls anonymously and 900 with a token', () => {
    expect(HfCallWindow.forToken(undefined).budget).toBe(450);
    expect(HfCallWindow.forToken('hf_x').budget).toBe(900);
  });
});

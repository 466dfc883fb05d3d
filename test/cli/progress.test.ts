import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.js';

function sink(isTTY: boolean) {
  let text = '';
  const stream = Object.assign(new Writable({ write(chunk: Buffer, _enc, done) { text += chunk.toString(); done(); } }), { isTTY });
  return { stream, text: () => text };
}

describe('Progress', () => {
  it('redraws one line in place on a terminal, at most ten times a second', () => {
    let now = 0;
    const out = sink(true);
    const progress = new Progress({ stream: out.stream, unit: 'files', total: 4, now: () => now });
    progress.update(1, 100);
    progress.update(2, 200); // too soon: not drawn
    now = 2000;
    progress.update(2, 20_000);
    progress.note('paperboy: bad.json is not JSON');
    now = 2050;
    progress.update(4, 40_000, 1, true);
    progress.done();
    const text = out.text();
    expect(text.split('\r[').length - 1).toBe(3);
    expect(text).toContain('[######..................]  25% 1/4 files · 100 papers');
    expect(text).toContain('2/4 files · 20,000 papers · 10,000 papers/s · 2 s left');
    expect(text).toContain('\r\x1b[Kpaperboy: bad.json is not JSON\n');
    expect(text.endsWith('100% 4/4 files · 40,000 papers · 19,512 papers/s\x1b[K\n')).toBe(true);
  });

  it('writes plain lines every few seconds elsewhere', () => {
    let now = 0;
    const out = sink(false);
    const progress = new Progress({ stream: out.stream, unit: 'days', total: 10, now: () => now, plainEveryMs: 5000 });
    for (let day = 1; day <= 10; day++) {
      now += 1500;
      progress.update(day, day * 50);
    }
    progress.update(10, 500, 1, true);
    progress.done();
    expect(out.text()).toBe('40% 4/10 days · 200 papers · 33 papers/s · 9 s left\n80% 8/10 days · 400 papers · 33 papers/s · 3 s left\n100% 10/10 days · 500 papers · 33 papers/s\n');
  });
});

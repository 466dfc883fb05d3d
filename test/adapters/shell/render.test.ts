import { describe, expect, it } from 'vitest';
import { renderForTerminal } from '../../../src/adapters/shell/render.js';
import { TERMINAL_LIMITS } from '../../../src/core/reply-limits.js';
import { card, list, text } from '../../../src/core/reply.js';

const isWellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

describe('terminal output stays bounded', () => {
  it.each([10_000, 5_800_000])('a %i-character abstract is cut with a link to the rest', (length) => {
    const body = 'Findings 👩🏽‍🔬 hold. '.repeat(Math.ceil(length / 20)).slice(0, length);
    const out = renderForTerminal(card({ title: 'A long paper', url: 'https://arxiv.org/abs/2403.08295', body }));
    expect(out.length).toBeLessThan(TERMINAL_LIMITS.body + 1000);
    expect(out.replace(/\s+/g, ' ')).toContain('… (read the rest: https://arxiv.org/abs/2403.08295)');
    expect(isWellFormed(out)).toBe(true);
  });

  it('a short card is shown whole', () => {
    const out = renderForTerminal(card({ title: 'Short', url: 'https://arxiv.org/abs/1', body: 'All of it.' }));
    expect(out).toContain('All of it.');
    expect(out).not.toContain('read the rest');
  });

  it('long texts and list items are bounded too', () => {
    expect(renderForTerminal(text('word '.repeat(100_000))).length).toBeLessThanOrEqual(TERMINAL_LIMITS.text + 500);
    const out = renderForTerminal(list('Search', [{ title: 'P', url: 'https://arxiv.org/abs/2', text: 'snippet '.repeat(10_000) }]));
    expect(out.length).toBeLessThan(TERMINAL_LIMITS.itemText + 500);
    expect(out.replace(/\s+/g, ' ')).toContain('(read the rest: https://arxiv.org/abs/2)');
  });
});

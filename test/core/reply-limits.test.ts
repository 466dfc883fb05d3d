import { describe, expect, it } from 'vitest';
import { cutPosition, cutText, quote, readTheRest, splitText } from '../../src/core/reply-limits.js';
import { wellFormedText } from '../../src/strings.js';

const graphemes = (text: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
const isWellFormed = (text: string) => (text as string & { isWellFormed(): boolean }).isWellFormed();

/** Texts whose every cut is a trap: families, flags, skin tones, combining accents, CJK, escapes. */
const HOSTILE = [
  '👨‍👩‍👧‍👦'.repeat(400),
  '🇰🇷🇩🇪🇺🇸'.repeat(300),
  '👍🏽 '.repeat(500),
  'e\u0301'.repeat(1500),
  '漢字かな交じり文'.repeat(400),
  'a&b<c>'.repeat(600),
  `${'x'.repeat(2999)}😀${'y'.repeat(100)}`,
  'word '.repeat(1000),
  'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358'.repeat(300),
];

describe('the shared cut', () => {
  it.each(HOSTILE.map((t, i) => [i, t] as const))('text %i is cut within the limit, at grapheme boundaries, well-formed', (_i, text) => {
    for (const max of [1, 2, 7, 100, 1000, 3000]) {
      const cut = cutText(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(isWellFormed(cut)).toBe(true);
      const kept = cut.endsWith('…') ? cut.slice(0, -1) : cut;
      // Every grapheme kept is a whole grapheme of the text.
      expect(text.startsWith(kept)).toBe(true);
      if (kept.length > 0) expect(graphemes(text).join('').startsWith(graphemes(kept).join(''))).toBe(true);
      expect(graphemes(text.slice(0, kept.length)).at(-1)).toBe(graphemes(kept).at(-1));
    }
  });

  it('keeps text that fits, and prefers to cut before a word', () => {
    expect(cutText('short', 10)).toBe('short');
    expect(cutText('The quick brown fox jumps over the lazy dog', 20)).toBe('The quick brown fox…');
  });

  it('ends with a link to the rest when there is one', () => {
    const url = 'https://arxiv.org/abs/2403.08295';
    const cut = cutText('word '.repeat(2000), 500, { more: url });
    expect(cut.length).toBeLessThanOrEqual(500);
    expect(cut.endsWith(readTheRest(url))).toBe(true);
    expect(cut).toMatch(/word… \(read the rest: https:\/\/arxiv\.org\/abs\/2403\.08295\)$/);
  });

  it('measures escaped text and never breaks an escape', () => {
    const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    for (const max of [10, 11, 12, 13, 99, 1000]) {
      const cut = cutText('&<'.repeat(1000), max, { render: escape });
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut.replace(/…$/, '')).toMatch(/^(&amp;|&lt;)*$/);
    }
  });

  it('splits without losing anything but the whitespace at the cuts', () => {
    const text = Array.from({ length: 300 }, (_, i) => `Sentence ${i} 👩🏽‍🔬.`).join(' ');
    const pieces = splitText(text, 500);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(500);
      expect(isWellFormed(p)).toBe(true);
    }
    expect(pieces.join(' ')).toBe(text);
    expect(splitText(text, 500, { maxPieces: 2 })).toHaveLength(2);
  });

  it('cuts a 6 MB text in milliseconds, not seconds', () => {
    const huge = 'Lorem ipsum dolor sit amet 🔥 '.repeat(200_000);
    const started = performance.now();
    const cut = cutText(huge, 3000, { more: 'https://arxiv.org/abs/2403.08295' });
    // A few ms warm (the first call also flattens the string); the bound leaves room for a loaded machine.
    expect(performance.now() - started).toBeLessThan(1500);
    expect(cut.length).toBeLessThanOrEqual(3000);
  });

  it('quotes user input without breaking a character', () => {
    const input = `${'a'.repeat(29)}😀 and more`;
    expect(isWellFormed(quote(input, 30))).toBe(true);
    expect(quote(input, 30)).toBe(`${'a'.repeat(29)}…`);
    expect(cutPosition('ab', 5)).toBe(2);
  });
});

describe('well-formed text at the edge', () => {
  it.each([
    ['a\uD800b', 'a\uFFFDb'],
    ['\uDC00x', '\uFFFDx'],
    ['x\uD83D', 'x\uFFFD'],
    ['ok 😀', 'ok 😀'],
    ['nul\u0000here', 'nulhere'],
  ])('%j becomes %j', (input, output) => {
    expect(wellFormedText(input)).toBe(output);
    expect(isWellFormed(wellFormedText(input))).toBe(true);
  });
});

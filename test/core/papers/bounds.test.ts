import { describe, expect, it } from 'vitest';
import { boundRecord, cutText, PAPER_BOUNDS } from '../../../src/core/papers/bounds.js';
import { record } from '../../helpers/records.js';

describe('cutText', () => {
  it('leaves short text alone', () => {
    expect(cutText('Gemma', 10)).toBe('Gemma');
  });

  it('cuts at a word boundary near the end, with an ellipsis', () => {
    expect(cutText('one two three four five six', 20)).toBe('one two three four…');
  });

  it('never splits a character or an emoji sequence when there is no space to cut at', () => {
    const family = '👨‍👩‍👧';
    const text = family.repeat(20);
    const cut = cutText(text, 31);
    expect(cut.length).toBeLessThanOrEqual(31);
    expect(cut.endsWith(`${family}…`)).toBe(true);
    expect(cut.slice(0, -1).length % family.length).toBe(0);
    expect(cutText('𝔸'.repeat(50), 10)).toBe(`${'𝔸'.repeat(4)}…`);
  });
});

describe('boundRecord', () => {
  it('returns a record within the bounds as it is', () => {
    const r = record({ id: '2403.08295' });
    expect(boundRecord(r)).toBe(r);
  });

  it('caps title, abstract, authors and notes, and drops a URL too long to work', () => {
    const bounded = boundRecord(record({
      id: '2403.08295',
      title: 'word '.repeat(1000),
      abstract: 'x'.repeat(6_000_000),
      authors: Array.from({ length: 100_000 }, (_, i) => `Author ${i}`),
      aiSummary: 'y '.repeat(5000),
      codeUrl: `https://github.com/${'a'.repeat(5000)}`,
    }));
    expect(bounded.title.length).toBeLessThanOrEqual(PAPER_BOUNDS.titleChars);
    expect(bounded.abstract.length).toBeLessThanOrEqual(PAPER_BOUNDS.abstractChars);
    expect(bounded.authors).toHaveLength(PAPER_BOUNDS.authors);
    expect(bounded.aiSummary!.length).toBeLessThanOrEqual(PAPER_BOUNDS.noteChars);
    expect(bounded.codeUrl).toBeUndefined();
  });
});

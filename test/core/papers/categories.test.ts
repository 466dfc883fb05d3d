import { describe, expect, it } from 'vitest';
import { ARXIV_CATEGORIES } from '../../../src/core/papers/arxiv-categories.js';
import { findCategory, unknownCategoryHint } from '../../../src/core/papers/categories.js';
import { tryParseArxivId } from '../../../src/core/papers/arxiv-id.js';

describe('arXiv categories', () => {
  it('holds each current category once, spelled as arXiv spells it', () => {
    const codes = ARXIV_CATEGORIES.map(([code]) => code);
    expect(codes).toHaveLength(155);
    expect(new Set(codes.map((c) => c.toLowerCase())).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[a-z-]+(\.[A-Za-z-]+)?$/);
    expect(codes).toEqual(expect.arrayContaining(['cs.CL', 'cs.LG', 'stat.ML', 'hep-th', 'quant-ph', 'cond-mat.str-el', 'eess.IV', 'econ.EM']));
  });

  it.each([['cs.cl', 'cs.CL'], [' CS.LG ', 'cs.LG'], ['Cond-Mat.Str-El', 'cond-mat.str-el'], ['HEP-TH', 'hep-th'], ['q-fin.tr', 'q-fin.TR']])('reads %j as %s', (typed, code) => {
    expect(findCategory(typed)).toBe(code);
  });

  it.each(['a', 'cs', 'cs.XY', 'constructor', '__proto__', 'toString', 'cmp-lg', 'cs.CL,cs.LG', ''])('%j is not one', (typed) => {
    expect(findCategory(typed)).toBeUndefined();
  });

  it("names the archive's categories when the archive exists, examples otherwise", () => {
    expect(unknownCategoryHint('stat.XX')).toBe("arXiv's stat categories are stat.AP, stat.CO, stat.ME, stat.ML, stat.OT, stat.TH");
    expect(unknownCategoryHint('zz')).toContain('cs.CL, cs.LG');
  });
});

describe('paper URLs on hosts we know only', () => {
  it('an inherited property name in the path or host is no paper path', () => {
    expect(tryParseArxivId('https://arxiv.org/constructor/2403.08295')).toBeUndefined();
    expect(tryParseArxivId('https://arxiv.org/__proto__/2403.08295')).toBeUndefined();
    expect(tryParseArxivId('https://arxiv.org/abs/2403.08295')).toEqual({ id: '2403.08295' });
  });
});

describe('styles and languages by our own names only', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('%s is neither a style nor a language', async (word) => {
    const { findStyle, findLanguage } = await import('../../../src/core/texts/languages.js');
    expect(findStyle(word)).toBeUndefined();
    expect(findLanguage(word)).toBeUndefined();
  });
});

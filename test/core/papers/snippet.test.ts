import { afterAll, describe, expect, it } from 'vitest';
import { SearchIndex } from '../../../src/core/papers/search-index/index.js';
import { parseSearchQuery } from '../../../src/core/papers/search-query.js';
import { queryTermMatcher, snippetOf } from '../../../src/core/papers/snippet.js';
import { openDatabase } from '../../../src/db/database.js';

const database = openDatabase(':memory:');
const index = new SearchIndex(database);
afterAll(() => database.close());

const of = (text: string, query: string) =>
  snippetOf(text, queryTermMatcher(parseSearchQuery(query), (t) => index.terms(t)), (t, emit) => index.tokens(t, emit));

// An arXiv abstract as the API gives it: hard line breaks, a long run before the words searched for.
const abstract = `Large language models are trained on web-scale corpora of
text. We study how such models behave when the training data is filtered in
many ways, and we find that the filtering matters less than expected. Finally,
we introduce Mixture-of-Depths, which lets transformers allocate compute
dynamically across tokens, and we show gains on reasoning benchmarks.`;

describe('snippets of the abstract', () => {
  it('shows the sixteen tokens with most of the words searched for, cut with … on both sides', () => {
    const s = of(abstract, 'transformers allocate compute');
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('transformers allocate compute');
    expect(index.terms(s.replaceAll('…', ''))).toHaveLength(16);
  });

  it('matches words as the index stems them, and prefixes', () => {
    expect(of(abstract, 'filter')).toContain('filtered');
    expect(of(abstract, 'reason*')).toContain('reasoning');
    expect(of(abstract, '"language models"')).toMatch(/^Large language models/);
  });

  it('is empty when the text has none of the words (the caller shows the start instead)', () => {
    expect(of(abstract, 'kagome')).toBe('');
    expect(of('', 'kagome')).toBe('');
  });

  it('keeps a short text whole, in any script', () => {
    expect(of('Трансформеры для перевода.', 'трансформеры')).toBe('Трансформеры для перевода');
  });
});

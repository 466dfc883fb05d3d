import { describe, expect, it } from 'vitest';
import { MERGED_PAPERS, nextMerge } from '../../../../src/core/papers/search-index/segment-merge.js';

const sizes = (list: number[]) => new Map(list.map((size, i) => [i + 1, size]));

describe('which segments merge', () => {
  it('merges four or more of one size class, oldest first, as many as fit in one merged segment', () => {
    // A catch-up of a million papers: ten segments of 100,000 and the planted few.
    const caughtUp = sizes([30, ...Array.from({ length: 10 }, () => 100_000)]);
    expect(nextMerge(caughtUp)).toEqual([2, 3, 4, 5, 6]);
    expect(5 * 100_000).toBeLessThanOrEqual(MERGED_PAPERS);
  });

  it('leaves fewer than four alone, and never merges segments already large', () => {
    expect(nextMerge(sizes([100_000, 100_000, 100_000, 50]))).toEqual([]);
    expect(nextMerge(sizes([500_000, 400_000, 300_000, 260_000, 10]))).toEqual([]);
  });

  it('merges the small segments that searches leave with each other, not with large ones', () => {
    expect(nextMerge(sizes([400_000, 120, 300, 1, 800]))).toEqual([2, 3, 4, 5]);
  });
});

import type { PaperRecord } from '../../src/core/papers/record.js';

/** A small, realistic paper record; override what a test cares about. */
export function record(overrides: Partial<PaperRecord> & { id: string }): PaperRecord {
  return {
    title: 'A Study of Things',
    authors: ['Ada Lovelace', 'Amélie Héliou'],
    abstract: 'We study things. Results improve on prior work.',
    publishedAt: '2024-03-13T17:59:00Z',
    categories: ['cs.CL'],
    ...overrides,
  };
}

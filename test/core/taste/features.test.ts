import { describe, expect, it } from 'vitest';
import { featurize, featurizeNamed, FEATURES_PER_PAPER, IdfTable } from '../../../src/core/taste/features.js';
import { TopScores } from '../../../src/core/taste/top-scores.js';

let seed = 3;
const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
const VOCABULARY = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}x`);
const text = (words: number) => Array.from({ length: words }, () => VOCABULARY[Math.floor(random() ** 2 * VOCABULARY.length)]).join(' ');
const paper = (words: number) => ({ title: text(10), abstract: text(words), authors: ['Ada Lovelace', 'Alan Turing'], categories: ['cs.LG'] });

describe('taste features', () => {
  const idf = IdfTable.fromPapers(Array.from({ length: 200 }, () => paper(120)));

  it('keeps the strongest features, strongest first and ties in the order they were met, as a stable sort would', () => {
    for (let n = 0; n < 30; n++) {
      const p = paper(150);
      const all = featurizeNamed(p, idf, 10_000);
      expect(all.ids.length).toBeGreaterThan(FEATURES_PER_PAPER);
      const kept = featurizeNamed(p, idf);
      // The reference: every feature, stable-sorted by weight, cut to the limit.
      const reference = Array.from(all.ids, (id, i) => ({ id, value: all.values[i]!, name: all.names[i]! }))
        .sort((a, b) => b.value - a.value)
        .slice(0, FEATURES_PER_PAPER);
      expect(Array.from(kept.ids)).toEqual(reference.map((r) => r.id));
      expect(kept.names).toEqual(reference.map((r) => r.name));
      const norm = Math.sqrt(kept.values.reduce((a, v) => a + v * v, 0));
      expect(norm).toBeCloseTo(1, 5);
      expect(Array.from(featurize(p, idf).ids)).toEqual(Array.from(kept.ids));
    }
  });

  it('keeps every feature of a short paper, in the order they were met', () => {
    const p = { title: 'graph', abstract: 'graph neural networks', authors: [], categories: ['cs.LG'] };
    expect(featurizeNamed(p, idf).names).toEqual(['graph', 'neural', 'graph neural', 'networks', 'neural networks', 'c:cs.LG']);
  });

  it('TopScores gives the first few of a stable sort by score, ties included', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ id: `p${i}`, score: Math.floor(random() * 40) / 4 }));
    for (const limit of [0, 1, 10, 499, 600]) {
      const top = new TopScores(limit);
      for (const item of items) top.offer(item.id, item.score);
      expect(top.ids()).toEqual([...items].sort((a, b) => b.score - a.score).slice(0, limit).map((i) => i.id));
    }
  });
});

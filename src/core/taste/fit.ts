/**
 * Fitting one scope's taste: its signals become weighted examples (votes and "not for me" count fully,
 * silence weakly; the two classes balanced), a logistic model is fitted, and what it learned is
 * summarised for /taste and for reasons.
 * @module
 */
import type { StoredTaste, TasteSummary } from './model-store.js';
import { fitLogistic, type Example, type LinearModel } from './model.js';
import type { PaperVectors } from './paper-vectors.js';
import { featureLabel } from './reasons.js';
import type { Signal } from './signals.js';

/** Weight of a delivered paper nobody voted on, against 1 for a vote or a "not for me". */
export const WEAK_WEIGHT = 0.3;
/** Weight of a stored paper never delivered, used as a negative while a scope has few. */
const BACKGROUND_WEIGHT = 0.1;
/** Weak negatives learned from at most (the newest). */
const MAX_WEAK = 10_000;
/** Voted papers a model remembers for reasons (the newest). */
export const VOTED_KEPT = 300;

export type FitResult = Omit<StoredTaste, 'scope' | 'resetAt'>;

export async function fitTaste(
  signals: readonly Signal[],
  vectors: PaperVectors,
  options: { now: number; background: () => string[]; pause: () => Promise<void> },
): Promise<FitResult> {
  const ups = signals.filter((s) => s.label === 'up');
  const downs = signals.filter((s) => s.label === 'down');
  const weak = signals.filter((s) => s.label === 'weak').slice(0, MAX_WEAK);
  const empty: FitResult = { fittedAt: options.now, positives: ups.length, strongNegatives: downs.length, weakNegatives: weak.length, model: null, summary: null };
  if (ups.length === 0) return empty;

  const known = new Set(signals.map((s) => s.paperId));
  const background = downs.length + weak.length < Math.max(20, ups.length) ? options.background().filter((id) => !known.has(id)) : [];
  // Cached: the next fit (after the next vote) reads most of the same papers, and reasons compare with the voted.
  const upVectors = await vectors.get(ups.map((s) => s.paperId), { pause: options.pause });
  const negatives = [...downs.map((s) => ({ id: s.paperId, weight: 1 })), ...weak.map((s) => ({ id: s.paperId, weight: WEAK_WEIGHT })), ...background.map((id) => ({ id, weight: BACKGROUND_WEIGHT }))];
  const negVectors = await vectors.get(negatives.map((n) => n.id), { pause: options.pause });

  const examples: Example[] = [];
  for (const s of ups) {
    const vector = upVectors.get(s.paperId);
    if (vector) examples.push({ vector, label: 1, weight: 1 });
  }
  const positiveWeight = examples.length;
  let negativeWeight = 0;
  for (const n of negatives) {
    const vector = negVectors.get(n.id);
    if (!vector) continue;
    examples.push({ vector, label: 0, weight: n.weight });
    negativeWeight += n.weight;
  }
  if (positiveWeight === 0 || negativeWeight === 0) return empty;
  // Balanced classes, total weight the number of examples (so the step sizes mean the same at any size).
  const total = examples.length;
  for (const e of examples) e.weight *= e.label === 1 ? total / (2 * positiveWeight) : total / (2 * negativeWeight);

  const model = await fitLogistic(examples, { pause: options.pause });
  return { ...empty, model, summary: summarise(model, vectors, ups.map((s) => s.paperId)) };
}

/** The heaviest features among the voted papers' own: what /taste shows. */
function summarise(model: LinearModel, vectors: PaperVectors, voted: string[]): TasteSummary {
  const named = vectors.named(voted.slice(0, VOTED_KEPT));
  const weights = new Map<string, number>();
  for (const vector of named.values()) {
    vector.names.forEach((name, i) => {
      if (name && !weights.has(name)) weights.set(name, model.weightOf(vector.ids[i]!));
    });
  }
  const ranked = [...weights].filter(([, w]) => w > 0).sort((a, b) => b[1] - a[1]);
  const round = ([name, w]: [string, number]): [string, number] => [featureLabel(name), Math.round(w * 100) / 100];
  return {
    terms: ranked.filter(([n]) => !n.startsWith('a:') && !n.startsWith('c:')).slice(0, 12).map(round),
    authors: ranked.filter(([n]) => n.startsWith('a:')).slice(0, 8).map(round),
    voted: voted.slice(0, VOTED_KEPT),
  };
}

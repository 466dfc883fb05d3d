/**
 * The digest's order: the taste score and Hugging Face upvotes, each standardised over the day's
 * candidates, mixed by the channel's `taste=` setting.
 * @module
 */
import type { TasteMode } from '../subscriptions/settings.js';

/** How much of the order the taste score decides. */
export const TASTE_SHARE: Record<TasteMode, number> = { off: 0, on: 0.7, strong: 0.9 };

/** Each value's distance from the mean, in standard deviations (all 0 when they are equal). */
export function standardise(values: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return [];
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
  return values.map((v) => (sd > 1e-12 ? (v - mean) / sd : 0));
}

/** Indexes of the candidates in blended order (ties keep the given order). */
export function blendOrder(taste: readonly number[], upvotes: readonly number[], share: number): number[] {
  const t = standardise(taste);
  const u = standardise(upvotes.map((v) => Math.log1p(Math.max(0, v))));
  const score = t.map((v, i) => share * v + (1 - share) * u[i]!);
  return score.map((_, i) => i).sort((a, b) => score[b]! - score[a]! || a - b);
}

/** A top pick stands this far (in standard deviations) above the day's average taste score. */
export const PICK_MIN_Z = 0.5;

/**
 * The taste model: L2-regularised logistic regression over sparse feature vectors, with a weight per
 * example (class balance, weak or strong negatives), fitted by stochastic gradient descent. Written
 * here rather than taken from npm: the small packages there (ml-logistic-regression and the like) take
 * dense matrices and no example weights, and a 2^18-wide dense matrix is out of the question.
 * @module
 */
import { FEATURE_SPACE, type SparseVector } from './features.js';

export interface Example {
  vector: SparseVector;
  /** 1 for a paper the team wants, 0 for one it does not. */
  label: 0 | 1;
  weight: number;
}

export interface FitOptions {
  /** L2 strength per example. */
  lambda?: number;
  epochs?: number;
  seed?: number;
  /** Called between epochs, so a long fit can let other work run. */
  pause?: () => Promise<void>;
}

/** A fitted linear model, its weights kept sparse (only features seen in training have one). */
export class LinearModel {
  private dense: Float32Array | undefined;

  constructor(readonly bias: number, readonly ids: Int32Array, readonly weights: Float32Array) {}

  /** The decision value (log-odds) for a paper. */
  score(vector: SparseVector): number {
    const w = this.denseWeights();
    let s = this.bias;
    for (let i = 0; i < vector.ids.length; i++) s += w[vector.ids[i]!]! * vector.values[i]!;
    return s;
  }

  /** Each feature's part of the score, largest first. */
  contributions(vector: SparseVector): { index: number; value: number }[] {
    const w = this.denseWeights();
    return Array.from(vector.ids, (id, index) => ({ index, value: w[id]! * vector.values[index]! })).sort((a, b) => b.value - a.value);
  }

  weightOf(id: number): number {
    return this.denseWeights()[id]!;
  }

  private denseWeights(): Float32Array {
    if (!this.dense) {
      this.dense = new Float32Array(FEATURE_SPACE);
      for (let i = 0; i < this.ids.length; i++) this.dense[this.ids[i]!] = this.weights[i]!;
    }
    return this.dense;
  }

  /** Int32 ids then Float32 weights, little-endian, for the taste_models row. */
  toBuffer(): Buffer {
    const buffer = Buffer.alloc(this.ids.length * 8);
    buffer.set(new Uint8Array(this.ids.buffer, this.ids.byteOffset, this.ids.byteLength), 0);
    buffer.set(new Uint8Array(this.weights.buffer, this.weights.byteOffset, this.weights.byteLength), this.ids.length * 4);
    return buffer;
  }

  static fromBuffer(bias: number, buffer: Buffer): LinearModel {
    const n = buffer.length / 8;
    const copy = new Uint8Array(buffer); // aligned, whatever the driver's buffer offset
    return new LinearModel(bias, new Int32Array(copy.buffer, 0, n), new Float32Array(copy.buffer, n * 4, n));
  }
}

function shuffled(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n).map((_, i) => i);
  let state = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}

/**
 * Fits by SGD with Bottou's schedule (step 1 / (lambda (t0 + t))) and the weights kept as scale times
 * vector, so the L2 shrink of every step costs one multiplication instead of a pass over 2^18 weights.
 */
export async function fitLogistic(examples: readonly Example[], options: FitOptions = {}): Promise<LinearModel> {
  const lambda = options.lambda ?? 1e-4;
  // Passes enough for about 100,000 steps, at least 3 and at most 12: big sets converge in fewer passes.
  const epochs = options.epochs ?? Math.max(3, Math.min(12, Math.ceil(100_000 / Math.max(1, examples.length))));
  const w = new Float64Array(FEATURE_SPACE);
  const seen = new Uint8Array(FEATURE_SPACE);
  let scale = 1;
  let bias = 0;
  // t0 so that the first step is about 1 (unit-length inputs).
  const t0 = 1 / lambda;
  let t = 0;
  for (const e of examples) for (const id of e.vector.ids) seen[id] = 1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffled(examples.length, (options.seed ?? 1) + epoch);
    for (const index of order) {
      const { vector, label, weight } = examples[index]!;
      const eta = 1 / (lambda * (t0 + t++));
      let margin = bias;
      for (let i = 0; i < vector.ids.length; i++) margin += w[vector.ids[i]!]! * vector.values[i]! * scale;
      const y = label === 1 ? 1 : -1;
      // d/dmargin of weight * log(1 + exp(-y margin))
      const z = y * margin;
      const g = weight * (z > 30 ? -y * Math.exp(-z) : -y / (1 + Math.exp(z)));
      scale *= 1 - eta * lambda;
      if (scale < 1e-9) {
        for (let i = 0; i < FEATURE_SPACE; i++) w[i]! *= scale;
        scale = 1;
      }
      const step = (eta * g) / scale;
      for (let i = 0; i < vector.ids.length; i++) w[vector.ids[i]!]! -= step * vector.values[i]!;
      bias -= eta * g * 0.1;
    }
    if (options.pause) await options.pause();
  }
  let nonzero = 0;
  for (let i = 0; i < FEATURE_SPACE; i++) if (seen[i] && w[i] !== 0) nonzero++;
  const ids = new Int32Array(nonzero);
  const weights = new Float32Array(nonzero);
  for (let i = 0, k = 0; i < FEATURE_SPACE; i++) {
    if (!seen[i] || w[i] === 0) continue;
    ids[k] = i;
    weights[k++] = w[i]! * scale;
  }
  return new LinearModel(bias, ids, weights);
}

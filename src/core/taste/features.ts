/**
 * A paper as a taste feature vector: hashed tf-idf over title and abstract words and word pairs
 * (1- and 2-grams, title words counted twice), its authors and its categories. Hashing bounds memory
 * (2^18 dimensions whatever the vocabulary), and each paper keeps only its strongest features, so a
 * vector is small and scoring one is a short loop.
 * @module
 */

export const FEATURE_BITS = 18;
/** Hashed text features: ids 0 to DIMENSIONS - 1. */
export const DIMENSIONS = 1 << FEATURE_BITS;
/** With embeddings, a paper's embedding follows as ids DIMENSIONS + 0, 1, …, at most this many. */
export const EMBEDDING_DIMENSIONS = 4096;
/** Every feature id a model may weigh. */
export const FEATURE_SPACE = DIMENSIONS + EMBEDDING_DIMENSIONS;
const MASK = DIMENSIONS - 1;
/** Features kept per paper (its highest tf-idf values). */
export const FEATURES_PER_PAPER = 64;

/** What a paper needs for its features. */
export interface PaperText {
  title: string;
  abstract: string;
  authors: readonly string[];
  categories: readonly string[];
}

/** A unit-length sparse vector: feature ids and their values. */
export interface SparseVector {
  ids: Int32Array;
  values: Float32Array;
}

/** The same, with the feature each id came from ("diffusion", "video generation", "a:Jane Doe", "c:cs.CL"). */
export interface NamedVector extends SparseVector {
  names: string[];
}

const STOPWORDS = new Set(
  ('a about above after again against all also an and any are as at be because been before being below between both but by can could ' +
    'did do does doing down during each few for from further had has have having he her here hers him his how i if in into is it its ' +
    'itself just more most my no nor not now of off on once only or other our ours out over own same she should so some such than that ' +
    'the their theirs them then there these they this those through to too under until up very was we were what when where which while ' +
    'who whom why will with would you your yours via however thus hence within without across among upon whether either neither yet ' +
    'et al e g i e etc may might must shall one two three new using use used based propose proposed paper show shows shown results ' +
    'approach method methods work present study demonstrate achieve achieves well many much often existing including further first ' +
    'second large several different various significantly significant number set different make makes given').split(' '),
);

/** 32-bit FNV-1a of a string. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A word pair's hash, from its words' hashes (no string is built for it). */
function pairHash(first: number, second: number): number {
  return (Math.imul(first ^ 0x5bd1e995, 0x9e3779b1) ^ second) >>> 0;
}

/** Lower-case words worth counting: no stopwords, no lone letters, no plain numbers. */
export function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1 && !STOPWORDS.has(w) && !isNumber(w));
}

function isNumber(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * Raw feature counts of a paper, accumulated into shared scratch arrays (one allocation for all
 * papers: featurizing thousands of papers makes no per-paper maps).
 */
class Counter {
  readonly counts = new Float32Array(DIMENSIONS);
  touched = new Int32Array(1024);
  size = 0;
  names: Map<number, string> | undefined;

  add(id: number, weight: number, name?: () => string): void {
    if (this.counts[id] === 0) {
      if (this.size === this.touched.length) {
        const grown = new Int32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.size++] = id;
      if (this.names && name) this.names.set(id, name());
    }
    this.counts[id]! += weight;
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.counts[this.touched[i]!] = 0;
    this.size = 0;
    this.names = undefined;
  }
}

const counter = new Counter();

const STOP_HASHES = new Set([...STOPWORDS].map(hashString));
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function countText(text: string, weight: number): void {
  if (counter.names) return countNamedText(text, weight);
  // One pass over the characters, hashing words as it reads them: no word strings are made. It splits and
  // lower-cases as `words` does, so ids match the named path's.
  let h = 0x811c9dc5;
  let length = 0;
  let digits = true;
  let previous = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 32;
    let lower = -1;
    if (code >= 97 && code <= 122) lower = code;
    else if (code >= 65 && code <= 90) lower = code + 32;
    else if (code >= 48 && code <= 57) lower = code;
    else if (code > 127) {
      const char = String.fromCharCode(code);
      if (LETTER_OR_DIGIT.test(char)) lower = char.toLowerCase().charCodeAt(0);
    }
    if (lower >= 0) {
      if (lower < 48 || lower > 57) digits = false;
      h = Math.imul(h ^ lower, 0x01000193);
      length++;
      continue;
    }
    if (length > 0) {
      const hash = h >>> 0;
      if (length > 1 && !digits && !STOP_HASHES.has(hash)) {
        counter.add(hash & MASK, weight);
        if (previous >= 0) counter.add(pairHash(previous, hash) & MASK, weight);
        previous = hash;
      }
      h = 0x811c9dc5;
      length = 0;
      digits = true;
    }
  }
}

function countNamedText(text: string, weight: number): void {
  const list = words(text);
  const hashes = list.map(hashString);
  for (let i = 0; i < list.length; i++) {
    counter.add(hashes[i]! & MASK, weight, () => list[i]!);
    if (i > 0) counter.add(pairHash(hashes[i - 1]!, hashes[i]!) & MASK, weight, () => `${list[i - 1]} ${list[i]}`);
  }
}

/** Counts a paper's features into the shared counter; the caller reads and clears it. */
function count(paper: PaperText, withNames: boolean): Counter {
  counter.clear();
  if (withNames) counter.names = new Map();
  countText(paper.title, 2);
  countText(paper.abstract, 1);
  for (const author of paper.authors) {
    const name = `a:${author.trim()}`;
    counter.add(hashString(name.toLowerCase()) & MASK, 1, () => name);
  }
  for (const category of paper.categories) {
    const name = `c:${category}`;
    counter.add(hashString(name) & MASK, 1, () => name);
  }
  return counter;
}

/** Inverse document frequencies, learned from a sample of stored papers (public text, no votes). */
export class IdfTable {
  readonly idf: Float32Array;

  private constructor(idf: Float32Array, readonly documents: number) {
    this.idf = idf;
  }

  /** Every feature weighs the same (an empty store). */
  static uniform(): IdfTable {
    return new IdfTable(new Float32Array(DIMENSIONS).fill(1), 0);
  }

  static fromPapers(papers: Iterable<PaperText>): IdfTable {
    const df = new Float32Array(DIMENSIONS);
    let n = 0;
    for (const paper of papers) {
      const c = count(paper, false);
      for (let i = 0; i < c.size; i++) df[c.touched[i]!]! += 1;
      c.clear();
      n++;
    }
    // Smoothed, as scikit-learn's TfidfVectorizer: a feature in every document still weighs 1.
    const idf = new Float32Array(DIMENSIONS);
    for (let i = 0; i < DIMENSIONS; i++) idf[i] = Math.log((n + 1) / (df[i]! + 1)) + 1;
    return new IdfTable(idf, n);
  }
}

/** Scratch for `vectorOf`: weights of the counted features and the kept ones' positions. */
let weights = new Float64Array(1024);
let kept = new Int32Array(FEATURES_PER_PAPER);

/**
 * Positions 0..n-1 of the `limit` largest `weights`, largest first, ties by position: what a stable sort
 * by weight would put first, found by insertion into a short sorted list instead of sorting all n.
 */
function topPositions(n: number, limit: number): Int32Array {
  if (kept.length < limit) kept = new Int32Array(limit);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (size === limit && w <= weights[kept[size - 1]!]!) continue;
    // After every kept position of a weight >= w (equal ones came first, so they stay ahead).
    let at = size < limit ? size : limit - 1;
    while (at > 0 && weights[kept[at - 1]!]! < w) {
      kept[at] = kept[at - 1]!;
      at--;
    }
    kept[at] = i;
    if (size < limit) size++;
  }
  return kept.subarray(0, size);
}

function vectorOf(c: Counter, idf: IdfTable, limit: number): { ids: Int32Array; values: Float32Array } {
  const n = c.size;
  if (weights.length < n) weights = new Float64Array(Math.max(n, weights.length * 2));
  for (let i = 0; i < n; i++) {
    const id = c.touched[i]!;
    weights[i] = (1 + Math.log(c.counts[id]!)) * idf.idf[id]!;
  }
  const take = Math.min(n, limit);
  const order = n > limit ? topPositions(n, limit) : undefined;
  const ids = new Int32Array(take);
  const values = new Float32Array(take);
  let norm = 0;
  for (let k = 0; k < take; k++) {
    const position = order ? order[k]! : k;
    ids[k] = c.touched[position]!;
    values[k] = weights[position]!;
    norm += values[k]! * values[k]!;
  }
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < take; k++) values[k]! /= norm;
  return { ids, values };
}

/**
 * A text vector joined with the paper's embedding, each half weighing the same (the result is unit
 * length again); without an embedding, the text half alone, so every paper's words weigh alike.
 */
export function withEmbedding(text: SparseVector, embedding: Float32Array | undefined): SparseVector {
  const size = embedding ? Math.min(embedding.length, EMBEDDING_DIMENSIONS) : 0;
  const ids = new Int32Array(text.ids.length + size);
  const values = new Float32Array(ids.length);
  ids.set(text.ids);
  for (let i = 0; i < text.values.length; i++) values[i] = text.values[i]! * Math.SQRT1_2;
  let norm = 0;
  for (let j = 0; j < size; j++) norm += embedding![j]! * embedding![j]!;
  const scale = norm > 0 ? Math.SQRT1_2 / Math.sqrt(norm) : 0;
  for (let j = 0; j < size; j++) {
    ids[text.ids.length + j] = DIMENSIONS + j;
    values[text.ids.length + j] = embedding![j]! * scale;
  }
  return { ids, values };
}

/** The text half of a joined vector, unit length again: what reasons compare. */
export function textPart(vector: SparseVector): SparseVector {
  let n = 0;
  while (n < vector.ids.length && vector.ids[n]! < DIMENSIONS) n++;
  const values = Float32Array.from(vector.values.subarray(0, n), (v) => v * Math.SQRT2);
  return { ids: vector.ids.slice(0, n), values };
}

/** The paper's unit-length tf-idf vector, its strongest `limit` features. */
export function featurize(paper: PaperText, idf: IdfTable, limit = FEATURES_PER_PAPER): SparseVector {
  const c = count(paper, false);
  const { ids, values } = vectorOf(c, idf, limit);
  c.clear();
  return { ids, values };
}

/** The same vector, with each feature's name (for reasons and for what /taste shows). */
export function featurizeNamed(paper: PaperText, idf: IdfTable, limit = FEATURES_PER_PAPER): NamedVector {
  const c = count(paper, true);
  const names = c.names!;
  const { ids, values } = vectorOf(c, idf, limit);
  const result = { ids, values, names: Array.from(ids, (id) => names.get(id) ?? '') };
  c.clear();
  return result;
}

/** Cosine similarity of two unit vectors. */
export function cosine(a: SparseVector, b: SparseVector): number {
  return new DenseVector(a).dot(b);
}

/** A vector spread over all dimensions, to compare with many others quickly. Shares one scratch array: use one at a time. */
export class DenseVector {
  private static scratch: Float32Array | undefined;
  private static last: SparseVector | undefined;
  private readonly values: Float32Array;

  constructor(source: SparseVector) {
    DenseVector.scratch ??= new Float32Array(FEATURE_SPACE);
    this.values = DenseVector.scratch;
    // Only the previous vector's entries are set: clearing those is cheaper than clearing 2^18.
    const last = DenseVector.last;
    if (last) for (let i = 0; i < last.ids.length; i++) this.values[last.ids[i]!] = 0;
    for (let i = 0; i < source.ids.length; i++) this.values[source.ids[i]!] = source.values[i]!;
    DenseVector.last = source;
  }

  dot(other: SparseVector): number {
    let sum = 0;
    for (let i = 0; i < other.ids.length; i++) sum += this.values[other.ids[i]!]! * other.values[i]!;
    return sum;
  }
}

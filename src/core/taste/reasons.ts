/**
 * One short line on why a paper was picked for a team: the voted papers it is most like, or else the
 * learned features that lift it most. Built from the scope's own votes and model only.
 * @module
 */
import { DenseVector, type NamedVector, type SparseVector } from './features.js';
import type { LinearModel } from './model.js';

/** How alike (cosine of tf-idf vectors) a voted paper must be to be named as a reason. */
export const LIKE_THRESHOLD = 0.12;
const TITLE_LENGTH = 48;

export interface VotedPaper {
  id: string;
  title: string;
  vector: SparseVector;
}

const clip = (title: string) => (title.length > TITLE_LENGTH ? `${title.slice(0, TITLE_LENGTH - 1).trimEnd()}…` : title);

/** "diffusion", "Jane Doe" (an author), "cs.CV" (a category). */
export function featureLabel(name: string): string {
  return name.startsWith('a:') || name.startsWith('c:') ? name.slice(2) : name;
}

/** The voted papers alike enough to `vector`, most alike first. */
export function alikeVoted(vector: SparseVector, voted: readonly VotedPaper[]): VotedPaper[] {
  const dense = new DenseVector(vector);
  return voted
    .map((paper) => ({ paper, similarity: dense.dot(paper.vector) }))
    .filter((v) => v.similarity >= LIKE_THRESHOLD)
    .sort((a, b) => b.similarity - a.similarity)
    .map((v) => v.paper);
}

/** The features of `vector` that lift its score most, as words. */
export function liftingTerms(vector: NamedVector, model: LinearModel, count = 3): string[] {
  const terms: string[] = [];
  for (const { index, value } of model.contributions(vector)) {
    if (value <= 0 || terms.length === count) break;
    const label = featureLabel(vector.names[index] ?? '');
    if (label && !terms.some((t) => t.includes(label) || label.includes(t))) terms.push(label);
  }
  return terms;
}

/** The reason line: `like 3 papers you voted on: “A”, “B”`, or `weighs: x, y, z`, or undefined. */
export function reasonFor(vector: NamedVector, model: LinearModel, voted: readonly VotedPaper[]): string | undefined {
  const alike = alikeVoted(vector, voted);
  if (alike.length > 0) {
    const titles = alike.slice(0, 2).map((p) => `“${clip(p.title)}”`).join(', ');
    return `like ${alike.length === 1 ? 'a paper' : `${alike.length} papers`} you voted on: ${titles}`;
  }
  const terms = liftingTerms(vector, model);
  return terms.length > 0 ? `you tend to vote for ${terms.join(', ')}` : undefined;
}

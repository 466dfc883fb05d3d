/**
 * Reading arXiv category codes people type: any case (`cs.cl`) becomes arXiv's spelling (`cs.CL`);
 * a code arXiv does not have is refused with the codes of its archive, when that archive exists.
 * @module
 */
import { ARXIV_CATEGORIES } from './arxiv-categories.js';

const BY_FOLDED: ReadonlyMap<string, string> = new Map(ARXIV_CATEGORIES.map(([code]) => [code.toLowerCase(), code]));
const archiveOf = (code: string) => code.split('.')[0]!;

/** arXiv's spelling of a category code, or undefined when arXiv has no such category. */
export function findCategory(input: string): string | undefined {
  return BY_FOLDED.get(input.trim().toLowerCase());
}

/** Why `input` is not a category, with what would work: the archive's codes, or examples. */
export function unknownCategoryHint(input: string): string {
  const archive = archiveOf(input.trim().toLowerCase());
  const siblings = ARXIV_CATEGORIES.map(([code]) => code).filter((code) => archiveOf(code).toLowerCase() === archive);
  return siblings.length > 1
    ? `arXiv's ${archiveOf(siblings[0]!)} categories are ${siblings.join(', ')}`
    : 'use arXiv category codes like cs.CL, cs.LG, stat.ML, hep-th (arxiv.org/category_taxonomy lists them)';
}

/**
 * Which papers a digest carries: filtered by the channel's settings, ranked by Hugging Face upvotes
 * (ties broken by the team's votes for the same authors, then list order); the digest posts the first size=.
 * @module
 */
import type { Paper } from '../papers/paper.js';
import type { DigestSettings } from '../subscriptions/settings.js';

export type SelectionSettings = Pick<DigestSettings, 'minUpvotes' | 'includeKeywords' | 'excludeKeywords'>;

function mentions(paper: Paper, keyword: string): boolean {
  const text = `${paper.title}\n${paper.abstract}\n${(paper.aiKeywords ?? []).join('\n')}`.toLowerCase();
  // Whole words (or phrases) only: "rl" must not match "world".
  const escaped = keyword.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(text);
}

/** Every paper that passes the filters, best first (the digest posts the first `size`). */
export function rankPapers(papers: readonly Paper[], settings: SelectionSettings, authorVotes: ReadonlyMap<string, number> = new Map()): Paper[] {
  const authorScore = (p: Paper) => p.authors.reduce((sum, a) => sum + (authorVotes.get(a) ?? 0), 0);
  return papers
    .map((paper, position) => ({ paper, position, upvotes: paper.hfUpvotes ?? 0, team: authorScore(paper) }))
    .filter(({ upvotes }) => upvotes >= settings.minUpvotes)
    .filter(({ paper }) => settings.includeKeywords.length === 0 || settings.includeKeywords.some((k) => mentions(paper, k)))
    .filter(({ paper }) => !settings.excludeKeywords.some((k) => mentions(paper, k)))
    .sort((a, b) => b.upvotes - a.upvotes || b.team - a.team || a.position - b.position)
    .map((c) => c.paper);
}

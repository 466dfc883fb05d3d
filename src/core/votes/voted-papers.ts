/**
 * The most-voted papers of a period with their votes: what /top shows and the weekly roundup posts.
 * @module
 */
import type { Paper } from '../papers/paper.js';
import type { PaperStore } from '../papers/store.js';
import type { TopQuery, VoteService } from './service.js';

export interface VotedPaper {
  paper: Paper;
  votes: number;
}

export function votedPapers(votes: Pick<VoteService, 'top'>, papers: Pick<PaperStore, 'getMany'>, query: TopQuery): VotedPaper[] {
  const entries = votes.top(query);
  const stored = papers.getMany(entries.map((e) => e.paperId));
  return entries.flatMap((e) => {
    const paper = stored.get(e.paperId);
    return paper ? [{ paper, votes: e.votes }] : [];
  });
}

/** "3 team votes · ▲ 25 on HF". */
export function votesLine({ paper, votes }: VotedPaper, noun = 'vote'): string {
  const upvotes = paper.hfUpvotes !== null ? ` · ▲ ${paper.hfUpvotes} on HF` : '';
  return `${votes} ${noun}${votes === 1 ? '' : 's'}${upvotes}`;
}

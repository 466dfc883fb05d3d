/**
 * Where team taste meets the daily digest, in one call: the filtered candidates (upvote order) go in, the
 * digest's papers (cut to size) and the 🎯 reasons of its top picks come out.
 * @module
 */
import type { Paper } from '../papers/paper.js';
import type { DigestSettings } from '../subscriptions/settings.js';
import type { ChannelTarget } from '../subscriptions/store.js';
import type { TasteService } from './service.js';

export interface DigestPicks {
  papers: Paper[];
  /** Paper id -> why it was picked, for the papers marked 🎯. */
  picks: Map<string, string>;
}

export async function tasteOrder(
  taste: Pick<TasteService, 'rank'> | undefined,
  target: ChannelTarget,
  candidates: readonly Paper[],
  settings: Pick<DigestSettings, 'size' | 'taste'>,
): Promise<DigestPicks> {
  const ranked = taste ? await taste.rank(target, candidates, settings.taste) : { papers: [...candidates], picks: new Map<string, string>() };
  const papers = ranked.papers.slice(0, settings.size);
  const kept = new Set(papers.map((p) => p.id));
  return { papers, picks: new Map([...ranked.picks].filter(([id]) => kept.has(id))) };
}

/** The line a top pick's message starts with. */
export function pickLine(reason: string): string {
  return `🎯 ${reason.charAt(0).toUpperCase()}${reason.slice(1)}`;
}

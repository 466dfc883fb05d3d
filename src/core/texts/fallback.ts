/**
 * The texts Paperboy shows when no model wrote one: Hugging Face's AI summary when the paper has one,
 * else the first sentences of the abstract, cut where a sentence ends. Both are in English.
 * @module
 */
import type { SummaryStyle } from './languages.js';
import type { Paper } from '../papers/paper.js';
import { collapseWhitespace, neutralizeMentions } from '../../strings.js';

/** The language of every fallback text: arXiv abstracts and HF summaries are in English. */
export const FALLBACK_LANGUAGE = 'en';

/** How much of the abstract stands in for each style. */
const ABSTRACT_LEAD: Readonly<Record<SummaryStyle, { sentences: number; maxChars: number }>> = {
  tldr: { sentences: 1, maxChars: 350 },
  bullets: { sentences: 3, maxChars: 700 },
  pulse: { sentences: 3, maxChars: 700 },
  insights: { sentences: 3, maxChars: 700 },
};

// Abbreviations that end with a period without ending the sentence.
const NOT_AN_END = /(?:\b(?:e\.g|i\.e|et al|etc|vs|cf|Fig|Figs|Eq|Eqs|Sec|Tab|approx|resp|No|Dr|Mr|Ms|Prof|St)|\b[A-Z])\.$/;

/** Splits prose into sentences: after `.`, `!` or `?` followed by a space, unless an abbreviation ends there. */
export function sentences(text: string): string[] {
  const flat = collapseWhitespace(text);
  const out: string[] = [];
  let start = 0;
  for (const m of flat.matchAll(/[.!?]["')\]]*(?= )/g)) {
    const end = m.index + m[0].length;
    if (NOT_AN_END.test(flat.slice(start, end))) continue;
    out.push(flat.slice(start, end).trim());
    start = end + 1;
  }
  if (start < flat.length) out.push(flat.slice(start).trim());
  return out.filter(Boolean);
}

/**
 * The first `max` sentences of `text` that fit in `maxChars`. A first sentence longer than that is
 * cut at a word and ends with "…", so the cut shows.
 */
export function firstSentences(text: string, max: number, maxChars: number): string {
  const all = sentences(text);
  let lead = '';
  for (const sentence of all.slice(0, max)) {
    const next = lead ? `${lead} ${sentence}` : sentence;
    if (next.length > maxChars) break;
    lead = next;
  }
  if (lead || all.length === 0) return lead;
  const cut = all[0]!.slice(0, maxChars - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), maxChars / 2)).replace(/[\s,;:]+$/, '')}…`;
}

/** The fallback summary of `paper` for `style`, and where it came from. */
export function fallbackSummary(paper: Paper, style: SummaryStyle): { text: string; source: 'hf' | 'abstract' } {
  const hf = paper.aiSummary?.trim();
  if (hf) return { text: neutralizeMentions(hf), source: 'hf' };
  const { sentences: count, maxChars } = ABSTRACT_LEAD[style];
  const lead = firstSentences(paper.abstract, count, maxChars);
  return { text: neutralizeMentions(lead || paper.title), source: 'abstract' };
}

/** The untranslated title and abstract, in the shape of a translation. */
export function originalText(paper: Paper): string {
  return neutralizeMentions(`${collapseWhitespace(paper.title)}\n\n${collapseWhitespace(paper.abstract)}`);
}

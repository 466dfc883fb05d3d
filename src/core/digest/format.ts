/**
 * How a digest reads: the header line, the thread title and each paper's message.
 * @module
 */
import { paperCard } from '../papers/card.js';
import type { Paper } from '../papers/paper.js';
import { card, text, type Reply } from '../reply.js';
import { pickLine } from '../taste/digest-hook.js';

/** "Thu 14 Mar 2024" for 2024-03-14. */
export function dayLabel(date: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
    .formatToParts(new Date(`${date}T00:00:00Z`));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('year')}`;
}

export function headerReply(date: string, count: number, note?: string): Reply {
  const line = `📰 Daily Papers · ${dayLabel(date)} · ${count} paper${count === 1 ? '' : 's'}`;
  return text(note ? `${line}\n${note}` : line);
}

export function threadTitle(date: string): string {
  return `Daily Papers · ${dayLabel(date)}`;
}

export function emptyNotice(date: string, source: 'hf' | 'arxiv'): Reply {
  return text(`📭 No new papers ${source === 'hf' ? 'on Hugging Face Daily Papers' : 'in your arXiv categories'} for ${dayLabel(date)}.`);
}

/** One paper of the digest; a top pick of the team's taste starts with its 🎯 reason. */
export function paperReply(paper: Paper, position: number, body: string, pick?: string): Reply {
  const c = paperCard(paper, { body: pick ? `${pickLine(pick)}\n${body}` : body, compact: true });
  return card({ ...c, footer: `#${position} · ${c.footer ?? ''}` });
}

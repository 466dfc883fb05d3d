/**
 * How a digest reads: the header line (what it covers, how many papers, how many more and where),
 * the thread title and each paper's message.
 * @module
 */
import { paperCard } from '../papers/card.js';
import type { Paper } from '../papers/paper.js';
import { card, text, type Reply } from '../reply.js';
import type { RunInfo } from './ledger.js';

/** "Thu 14 Mar 2024" for 2024-03-14. */
export function dayLabel(date: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
    .formatToParts(new Date(`${date}T00:00:00Z`));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('year')}`;
}

/** "Thu 14 Mar 2024", "Thu 14 & Fri 15 Mar 2024", "Fri 15, Sat 16 & Mon 18 Mar 2024", or a range past four dates. */
export function datesLabel(dates: readonly string[]): string {
  const sorted = [...new Set(dates)].sort();
  if (sorted.length <= 1) return sorted[0] ? dayLabel(sorted[0]) : '';
  if (sorted.length > 4) return `${dayLabel(sorted[0]!)} – ${dayLabel(sorted.at(-1)!)}`;
  const labels = sorted.map(dayLabel);
  const sameMonth = sorted.every((d) => d.slice(0, 7) === sorted[0]!.slice(0, 7));
  const sameYear = sorted.every((d) => d.slice(0, 4) === sorted[0]!.slice(0, 4));
  // Drop what the last label repeats: "Thu 14" & "Fri 15 Mar 2024".
  const short = labels.map((l, i) => (i === labels.length - 1 ? l : sameMonth ? l.split(' ').slice(0, 2).join(' ') : sameYear ? l.split(' ').slice(0, 3).join(' ') : l));
  return `${short.slice(0, -1).join(', ')} & ${short.at(-1)}`;
}

export interface HeaderFacts {
  /** The run's own date (the channel's local date, or the /digest date): named when no list date is. */
  date: string;
  run: Pick<RunInfo, 'source' | 'dates'>;
  count: number;
  /** Papers that passed the filters beyond size=. */
  more: number;
  categories: readonly string[];
  note?: string;
}

/** What a digest covers: its list dates, or its own date for arXiv. */
export function coversLabel(facts: Pick<HeaderFacts, 'date' | 'run'>): string {
  return facts.run.source === 'hf' && facts.run.dates.length > 0 ? datesLabel(facts.run.dates) : dayLabel(facts.date);
}

export function headerReply(facts: HeaderFacts): Reply {
  const { run, count, more, categories } = facts;
  const covers = coversLabel(facts);
  const title = run.source === 'arxiv' ? `📰 New on arXiv · ${categories.join(', ')}` : '📰 Daily Papers';
  // One line for what it is; the "more" stays on it, so a note is always the second line.
  const moreText = more > 0 ? ` · ${more} more at ${moreUrl(run, categories)}` : '';
  const lines = [`${title} · ${covers} · ${count} paper${count === 1 ? '' : 's'}${moreText}`];
  if (run.source === 'arxiv-fallback') lines.push(`Hugging Face could not be reached: these are the newest arXiv papers in ${categories.join(', ')}.`);
  if (facts.note) lines.push(facts.note);
  return text(lines.join('\n'));
}

function moreUrl(run: Pick<RunInfo, 'source' | 'dates'>, categories: readonly string[]): string {
  if (run.source !== 'hf') return `https://arxiv.org/list/${categories[0] ?? 'cs.AI'}/new`;
  const last = [...run.dates].sort().at(-1);
  return last ? `https://huggingface.co/papers/date/${last}` : 'https://huggingface.co/papers';
}

export function threadTitle(covers: string): string {
  return `Daily Papers · ${covers}`;
}

export function emptyNotice(date: string, source: 'hf' | 'arxiv', scheduled = false): Reply {
  const where = source === 'hf' ? 'on Hugging Face Daily Papers' : 'in your arXiv categories';
  return text(scheduled ? `📭 No new papers ${where} since the last digest (${dayLabel(date)}).` : `📭 No new papers ${where} for ${dayLabel(date)}.`);
}

export function paperReply(paper: Paper, position: number, body: string): Reply {
  const c = paperCard(paper, { body, compact: true });
  return card({ ...c, footer: `#${position} · ${c.footer ?? ''}` });
}

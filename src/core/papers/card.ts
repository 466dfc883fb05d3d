/**
 * How a paper looks as a card: used by /paper and by each paper message of a digest.
 * @module
 */
import type { Card, Field, Link } from '../reply.js';
import { arxivAbsUrl, arxivPdfUrl, hfPaperUrl, hfThumbnailUrl, isoDay, shortAuthors, type Paper } from './paper.js';

export interface PaperCardOptions {
  /** The text to show; the abstract when not given. */
  body?: string;
  /** Distinct team members who voted for it, when known. */
  teamVotes?: number;
  /** Leave out the metadata fields (a digest message stays short). */
  compact?: boolean;
}

export function paperCard(paper: Paper, options: PaperCardOptions = {}): Card {
  const fields: Field[] = [];
  const published = isoDay(paper.publishedAt);
  if (!options.compact) {
    if (published) fields.push({ name: 'Published', value: published, inline: true });
    const updated = isoDay(paper.updatedAt);
    if (updated && updated !== published) fields.push({ name: `Updated${paper.version ? ` (v${paper.version})` : ''}`, value: updated, inline: true });
    if (paper.categories.length > 0) fields.push({ name: 'Categories', value: paper.categories.slice(0, 6).join(', '), inline: true });
  }
  const votes = [
    paper.hfUpvotes !== null ? `▲ ${paper.hfUpvotes} on Hugging Face` : undefined,
    options.teamVotes !== undefined ? `${options.teamVotes} team vote${options.teamVotes === 1 ? '' : 's'}` : undefined,
  ].filter((v): v is string => v !== undefined);
  if (votes.length > 0) fields.push({ name: 'Votes', value: votes.join(' · '), inline: true });

  const links: Link[] = [{ label: 'PDF', url: arxivPdfUrl(paper.id, paper.version) }];
  const onHf = paper.hfUpvotes !== null || paper.aiSummary !== null;
  if (onHf) links.push({ label: 'Hugging Face', url: hfPaperUrl(paper.id) });
  if (paper.codeUrl) links.push({ label: 'Code', url: paper.codeUrl });
  if (paper.projectUrl) links.push({ label: 'Project page', url: paper.projectUrl });

  return {
    title: paper.title,
    url: arxivAbsUrl(paper.id),
    authors: shortAuthors(paper.authors),
    body: options.body ?? paper.aiSummary ?? paper.abstract,
    fields,
    links,
    ...(onHf ? { image: hfThumbnailUrl(paper.id) } : {}),
    footer: `arXiv:${paper.id}${paper.version ? `v${paper.version}` : ''}${paper.hfUpvotes !== null ? ` · ▲ ${paper.hfUpvotes}` : ''}`,
  };
}

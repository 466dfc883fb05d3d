import { paperCard } from '../core/paper-card.js';
import { card } from '../core/reply.js';
import { ARXIV_ID_EXAMPLE, parseArxivId } from '../sources/arxiv-id.js';
import type { Command } from './command.js';

export default {
  name: 'paper',
  description: 'Look up a paper by arXiv id or URL',
  usage: '<id or url>',
  options: [{ name: 'id', type: 'string', required: true, description: `arXiv id or URL, e.g. ${ARXIV_ID_EXAMPLE}` }],
  slow: true,
  async execute({ args, core }) {
    const ref = parseArxivId(args.id ?? '');
    const paper = await core.lookup(ref);
    return card(paperCard(paper));
  },
} satisfies Command;

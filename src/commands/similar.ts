import { ARXIV_ID_EXAMPLE, parseArxivId } from '../core/papers/arxiv-id.js';
import { arxivAbsUrl } from '../core/papers/paper.js';
import { list } from '../core/reply.js';
import { defineCommand } from './command.js';

export default defineCommand({
  name: 'similar',
  description: 'Stored papers like this one',
  usage: '<id or url>',
  options: [{ name: 'id', type: 'string', required: true, description: `arXiv id or URL, e.g. ${ARXIV_ID_EXAMPLE}` }],
  slow: true,
  async execute({ args, core }) {
    const paper = await core.papers.lookup(parseArxivId(args.id));
    const similar = await core.taste.similar(paper, 5);
    return list(
      `🔗 Like “${paper.title.length > 80 ? `${paper.title.slice(0, 79)}…` : paper.title}”`,
      similar.map((s) => ({
        title: s.paper.title,
        url: arxivAbsUrl(s.paper.id),
        detail: `${s.paper.id} · ${Math.round(s.similarity * 100)}% alike${s.shared.length > 0 ? ` · shares ${s.shared.join(', ')}` : ''}`,
      })),
      { empty: 'No stored paper is like this one yet.' },
    );
  },
});

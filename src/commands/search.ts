import { isoDay } from '../core/papers/paper.js';
import { arxivAbsUrl } from '../core/papers/paper.js';
import { list } from '../core/reply.js';
import { SEARCH_EXAMPLE } from '../core/papers/search-query.js';
import { defineCommand } from './command.js';

export default defineCommand({
  name: 'search',
  description: 'Search every paper Paperboy has seen',
  usage: '<words> [author:name] [since:YYYY-MM-DD] [cat:cs.CL] [sort:new]',
  options: [{ name: 'query', type: 'string', required: true, description: `e.g. ${SEARCH_EXAMPLE}` }],
  async execute({ args, core }) {
    const query = args.query;
    const hits = await core.search.find(query, { limit: 5 });
    const shown = query.length > 60 ? `${query.slice(0, 60)}…` : query;
    return list(
      `Search: ${shown}`,
      hits.map(({ paper, snippet }) => ({
        title: paper.title,
        url: arxivAbsUrl(paper.id),
        detail: [paper.id, isoDay(paper.publishedAt)?.slice(0, 4), paper.hfUpvotes !== null ? `▲ ${paper.hfUpvotes}` : undefined]
          .filter(Boolean)
          .join(' · '),
        text: snippet,
      })),
      { empty: `No papers match "${shown}". Try fewer or other words, or /paper <id> to fetch one.` },
    );
  },
});

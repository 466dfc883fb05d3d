import { arxivAbsUrl } from '../core/papers/paper.js';
import { list } from '../core/reply.js';
import { TOP_PERIODS, TOP_SCOPES, type TopPeriod, type TopScope } from '../core/votes/service.js';
import { settingsFor } from '../core/subscriptions/store.js';
import { defineCommand } from './command.js';

const PERIOD_LABEL: Record<TopPeriod, string> = { day: 'today', week: 'this week', month: 'this month', all: 'of all time' };
const SCOPE_LABEL: Record<TopScope, string> = { channel: 'this channel', workspace: 'this team', global: 'everywhere' };

export default defineCommand({
  name: 'top',
  description: "The team's most-voted papers",
  usage: '[day|week|month|all] [channel|workspace|global]',
  options: [
    { name: 'period', type: 'string', description: 'day, week, month or all (default week)', choices: TOP_PERIODS },
    { name: 'scope', type: 'string', description: 'channel, workspace or global (default workspace)', choices: TOP_SCOPES },
  ],
  async execute({ args, core, invoker }) {
    const period = args.period ?? 'week';
    const scope = args.scope ?? 'workspace';
    const target = { platform: invoker.platform, workspace: invoker.workspace, channel: invoker.channel };
    const entries = core.votes.top({ period, scope, target, limit: 10 });
    const papers = core.papers.getMany(entries.map((e) => e.paperId));
    const emojis = settingsFor(core.subscriptions.find(target)).voteEmojis.join(' ');
    return list(
      `🏆 Top papers ${PERIOD_LABEL[period]} · ${SCOPE_LABEL[scope]}`,
      entries.flatMap((e) => {
        const paper = papers.get(e.paperId);
        if (!paper) return [];
        const upvotes = paper.hfUpvotes !== null ? ` · ▲ ${paper.hfUpvotes} on HF` : '';
        return [{ title: paper.title, url: arxivAbsUrl(paper.id), detail: `${e.votes} vote${e.votes === 1 ? '' : 's'}${upvotes} · ${paper.id}` }];
      }),
      { empty: `No votes ${PERIOD_LABEL[period]} in ${SCOPE_LABEL[scope]} yet. React with ${emojis} on a paper in the daily thread.` },
    );
  },
});

import { arxivAbsUrl } from '../core/papers/paper.js';
import { list } from '../core/reply.js';
import { TOP_PERIODS, TOP_SCOPES, type TopPeriod, type TopScope } from '../core/votes/service.js';
import { settingsFor } from '../core/subscriptions/store.js';
import { votedPapers, votesLine } from '../core/votes/voted-papers.js';
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
    const voted = votedPapers(core.votes, core.papers, { period, scope, target, limit: 10 });
    const emojis = settingsFor(core.subscriptions.find(target)).voteEmojis.join(' ');
    return list(
      `🏆 Top papers ${PERIOD_LABEL[period]} · ${SCOPE_LABEL[scope]}`,
      voted.map((v) => ({ title: v.paper.title, url: arxivAbsUrl(v.paper.id), detail: `${votesLine(v)} · ${v.paper.id}` })),
      { empty: `No votes ${PERIOD_LABEL[period]} in ${SCOPE_LABEL[scope]} yet. React with ${emojis} on a paper in the daily thread.` },
    );
  },
});

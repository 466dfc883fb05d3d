import { arxivAbsUrl } from '../core/papers/paper.js';
import { list } from '../core/reply.js';
import { settingsFor } from '../core/subscriptions/store.js';
import { FORYOU_PERIODS, MIN_VOTES, type ForYouPeriod } from '../core/taste/service.js';
import { defineCommand } from './command.js';

const PERIOD_LABEL: Record<ForYouPeriod, string> = { day: 'today', week: 'this week', month: 'this month' };

export default defineCommand({
  name: 'foryou',
  description: "Stored papers this channel has not had, ranked by the team's taste",
  usage: '[day|week|month]',
  options: [{ name: 'period', type: 'string', description: 'day, week or month (default week)', choices: FORYOU_PERIODS }],
  async execute({ args, core, invoker }) {
    const period: ForYouPeriod = args.period ?? 'week';
    const target = { platform: invoker.platform, workspace: invoker.workspace, channel: invoker.channel };
    const { picks, status } = await core.taste.forYou(target, period, 10);
    const emojis = settingsFor(core.subscriptions.find(target)).voteEmojis.join(' ');
    const cold = !status.enough;
    return list(
      cold ? `📈 Most upvoted ${PERIOD_LABEL[period]} that this channel has not had` : `🎯 For this channel, ${PERIOD_LABEL[period]}`,
      picks.map(({ paper, reason }) => ({
        title: paper.title,
        url: arxivAbsUrl(paper.id),
        detail: `${paper.id}${paper.hfUpvotes !== null ? ` · ▲ ${paper.hfUpvotes} on HF` : ''}`,
        ...(reason ? { text: `🎯 ${reason}` } : {}),
      })),
      {
        empty: `No stored papers ${PERIOD_LABEL[period]} that this channel has not had. Try /foryou month.`,
        ...(cold ? { footer: `Not enough votes to learn this channel's taste yet (${status.votes} of ${MIN_VOTES}): ranked by Hugging Face upvotes. React with ${emojis} on papers in the daily thread.` } : {}),
      },
    );
  },
});

import { dayLabel } from '../core/digest/format.js';
import { text } from '../core/reply.js';
import { settingsFor } from '../core/subscriptions/store.js';
import { assertDate } from '../core/papers/daily-lists.js';
import { BadInputError } from '../errors.js';
import { defineCommand } from './command.js';

export default defineCommand({
  name: 'digest',
  description: "Post a day's papers to this channel now",
  usage: '[YYYY-MM-DD]',
  options: [{ name: 'date', type: 'string', description: 'e.g. 2024-03-14 (default: the latest day with papers)' }],
  requiresManage: true,
  slow: true,
  async execute({ args, core, invoker, chat }) {
    if (!chat) throw new BadInputError('/digest posts to a chat channel; run it from Discord, Slack or the terminal bot.');
    const target = { platform: invoker.platform, workspace: invoker.workspace, channel: invoker.channel };
    const settings = settingsFor(core.subscriptions.find(target));
    // One budget for every Hugging Face list this /digest fetches, the latest date's and the posted one's.
    const budget = core.digests.budget();
    let date = args.date;
    if (date) {
      assertDate(date);
      // Hugging Face lists go by UTC date: a later one has no papers anywhere yet.
      const today = new Date(core.now()).toISOString().slice(0, 10);
      if (date > today) throw new BadInputError(`${date} is still to come: there are papers up to today, ${today} (UTC). Nothing was posted.`);
    } else date = await core.digests.latestDate(settings, budget);
    if (!date) return text('No papers found for the last week. Try /digest 2024-03-14 with a date.', { ephemeral: true });

    const outcome = await core.digests.deliver(chat, target, date, settings, budget);
    const day = dayLabel(date);
    switch (outcome.status) {
      case 'delivered':
        return text(`Posted the papers of ${day}: ${outcome.papers} paper${outcome.papers === 1 ? '' : 's'}.`, { ephemeral: true });
      case 'already-delivered':
        return text(`The papers of ${day} are already here (${outcome.papers}); nothing new to post.`, { ephemeral: true });
      case 'empty':
        return text(`No papers for ${day} match this channel's settings.`, { ephemeral: true });
      case 'interrupted':
        return text(`Stopped while posting ${day}; the rest follows on the next run.`, { ephemeral: true });
      case 'failed':
        return text(`Could not post here: ${outcome.reason ?? 'the platform refused'}.`, { ephemeral: true });
    }
  },
});

import { arxivAbsUrl } from '../core/papers/paper.js';
import { list } from '../core/reply.js';
import { BadInputError } from '../errors.js';
import { TOP_PERIODS, TOP_SCOPES, type TopPeriod, type TopScope } from '../core/votes/service.js';
import { settingsFor } from '../core/subscriptions/store.js';
import type { Command } from './command.js';

const PERIOD_LABEL: Record<TopPeriod, string> = { day: 'today', week: 'this week', month: 'this month', all: 'of all time' };
const SCOPE_LABEL: Record<TopScope, string> = { channel: 'this channel', workspace: 'this team', global: 'everywhere' };

function pick<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, name: string): T {
  if (!value) return fallback;
  const v = value.trim().toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new BadInputError(`${name} must be one of ${allowed.join(', ')}, e.g. /top week workspace.`);
}

export default {
  name: 'top',
  description: "The team's most-voted papers",
  usage: '[day|week|month|all] [channel|workspace|global]',
  options: [
    { name: 'period', type: 'string', description: 'day, week, month or all (default week)', choices: TOP_PERIODS },
    { name: 'scope', type: 'string', description: 'channel, workspace or global (default workspace)', choices: TOP_SCOPES },
  ],
  async execute({ args, core, invoker }) {
    // Either order works: "/top global month".
    const words = [args.period, args.scope].filter((w): w is string => Boolean(w)).flatMap((w) => w.trim().split(/\s+/));
    const periodWord = words.find((w) => (TOP_PERIODS as readonly string[]).includes(w.toLowerCase()));
    const scopeWord = words.find((w) => (TOP_SCOPES as readonly string[]).includes(w.toLowerCase()));
    const unknown = words.find((w) => w !== periodWord && w !== scopeWord);
    if (unknown) pick(unknown, TOP_PERIODS, 'week', 'period');
    const period = pick(periodWord, TOP_PERIODS, 'week', 'period');
    const scope = pick(scopeWord, TOP_SCOPES, 'workspace', 'scope');
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
} satisfies Command;

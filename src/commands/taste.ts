import { card, problem, text, type Field } from '../core/reply.js';
import { scopeOf, type TasteScopeKind } from '../core/taste/scope.js';
import { MIN_VOTES } from '../core/taste/service.js';
import { BadInputError } from '../errors.js';
import { defineCommand } from './command.js';

const SCOPE_LABEL: Record<TasteScopeKind, string> = { channel: 'this channel', workspace: 'this team (all its channels)' };

function readWords(input: string | undefined): { reset: boolean; kind: TasteScopeKind } {
  const words = (input ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean);
  const unknown = words.find((w) => !['reset', 'channel', 'workspace', 'team'].includes(w));
  if (unknown !== undefined) throw new BadInputError(`"${unknown.slice(0, 30)}" is not a /taste option: use /taste, /taste workspace, or /taste reset.`);
  return { reset: words.includes('reset'), kind: words.includes('workspace') || words.includes('team') ? 'workspace' : 'channel' };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export default defineCommand({
  name: 'taste',
  description: "What Paperboy learned from this channel's votes; `reset` forgets it (managers)",
  usage: '[workspace] [reset]',
  options: [{ name: 'action', type: 'string', description: 'workspace for the whole team; reset to forget (managers only)' }],
  async execute({ args, core, invoker }) {
    const { reset, kind } = readWords(args.action);
    const target = { platform: invoker.platform, workspace: invoker.workspace, channel: invoker.channel };
    const scope = scopeOf(kind, target);
    if (reset) {
      if (!invoker.canManage) return problem('Only people who can manage this channel can reset its taste.');
      core.taste.reset(scope);
      return text(`Forgot the taste of ${SCOPE_LABEL[kind]}. It learns again from papers delivered from now on; the votes stay, and /top still counts them.`);
    }
    const { stored, votes, enough } = core.taste.status(scope);
    const learned = stored
      ? `${plural(stored.positives, 'voted paper')}, ${plural(stored.strongNegatives, '“not for me”')}, ${plural(stored.weakNegatives, 'paper')} left without a vote`
      : 'nothing yet';
    const fields: Field[] = [{ name: 'Learned from', value: learned }];
    const terms = stored?.summary?.terms ?? [];
    const authors = stored?.summary?.authors ?? [];
    if (terms.length > 0) fields.push({ name: 'Top terms', value: terms.map(([t]) => t).join(', ') });
    if (authors.length > 0) fields.push({ name: 'Authors', value: authors.map(([a]) => a).join(', ') });
    if (stored?.fittedAt) fields.push({ name: 'Updated', value: `${new Date(stored.fittedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`, inline: true });
    if (stored && stored.resetAt > 0) fields.push({ name: 'Reset', value: `${new Date(stored.resetAt).toISOString().slice(0, 10)}: learns only from papers delivered since`, inline: true });
    return card({
      title: `Taste of ${SCOPE_LABEL[kind]}`,
      body: enough
        ? `Orders the daily papers (with Hugging Face upvotes; /subscribe taste=off|on|strong) and /foryou.`
        : `Needs ${MIN_VOTES} votes to order anything (has ${votes}): until then the digest and /foryou lean on Hugging Face upvotes.`,
      fields,
      footer: 'Learned only from votes in ' + (kind === 'channel' ? 'this channel.' : "this team's channels."),
    }, { ephemeral: true });
  },
});

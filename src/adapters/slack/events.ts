/**
 * Slack events into core calls: slash commands (acked at once, answered through response_url) and
 * reactions (to the core's vote path). Every failure is logged and, for commands, answered with a
 * short ephemeral message; nothing here throws into Bolt.
 * @module
 */
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { ChatPort, ReactionEvent } from '../../core/chat-port.js';
import type { Inbound, Invoker } from '../../core/inbound.js';
import { problem, type Reply } from '../../core/reply.js';
import type { Logger } from '../../logger.js';
import { charactersForShortcodes, emojiFromSlackName } from './emoji.js';
import type { SlackPeople } from './permissions.js';
import { renderSlackMessage } from './render.js';

export interface SlackEventDeps {
  inbound: Inbound;
  chat: ChatPort;
  people: SlackPeople;
  logger: Logger;
}

/** The reply to one slash command; never throws. */
export async function answerSlashCommand(command: SlashCommand, deps: SlackEventDeps): Promise<Reply> {
  const name = command.command.replace(/^\//, '');
  try {
    const invoker: Invoker = {
      platform: 'slack',
      workspace: command.team_id,
      channel: command.channel_id,
      user: command.user_id,
      canManage: await deps.people.canManage(command.user_id),
    };
    return await deps.inbound.command({ name, input: { text: charactersForShortcodes(command.text ?? '') }, invoker, chat: deps.chat });
  } catch (err) {
    // Only the permission lookup above can throw; commands answer their own failures.
    deps.logger.warn({ err, command: name }, 'slack: could not read who asked');
    return problem('Slack did not say who you are just now; try again in a moment.', 'upstream_unavailable');
  }
}

/** Sends a reply through the command's response_url: ephemeral when the reply says so. */
export async function respondWith(respond: RespondFn, reply: Reply): Promise<void> {
  const responseType = reply.ephemeral ? 'ephemeral' : 'in_channel';
  const message = renderSlackMessage(reply);
  await respond({ response_type: responseType, text: message.text, blocks: message.blocks });
}

interface ReactionPayload {
  user: string;
  reaction: string;
  item: { type: string; channel?: string; ts?: string };
}

/** A Slack reaction as the core's ReactionEvent, or undefined for reactions not on a message. */
export async function toReactionEvent(
  teamId: string,
  payload: ReactionPayload,
  added: boolean,
  people: SlackPeople,
): Promise<ReactionEvent | undefined> {
  const { item } = payload;
  if (item.type !== 'message' || !item.channel || !item.ts) return undefined;
  return {
    platform: 'slack',
    workspace: teamId,
    channel: item.channel,
    messageId: item.ts,
    user: payload.user,
    emoji: emojiFromSlackName(payload.reaction),
    userIsBot: await people.isBot(payload.user),
    added,
  };
}

/** Registers the slash command and reaction listeners on a Bolt app. */
export function registerSlackListeners(app: App, deps: SlackEventDeps): void {
  const { logger } = deps;

  // One listener for every command: the registry decides what exists, so new commands need no code here.
  app.command(/^\/.+/, async ({ command, ack, respond }) => {
    await ack();
    const started = performance.now();
    const reply = await answerSlashCommand(command, deps);
    try {
      await respondWith(respond, reply);
    } catch (err) {
      logger.warn({ err, command: command.command }, 'slack: could not answer through response_url');
    }
    logger.debug({ command: command.command, ms: Math.round(performance.now() - started) }, 'slack command answered');
  });

  for (const added of [true, false]) {
    app.event(added ? 'reaction_added' : 'reaction_removed', async ({ event, body }) => {
      try {
        const reaction = await toReactionEvent(body.team_id, event, added, deps.people);
        if (!reaction) return;
        const outcome = await deps.inbound.reaction(reaction);
        logger.debug({ outcome, emoji: reaction.emoji, message: reaction.messageId }, 'slack reaction');
      } catch (err) {
        logger.error({ err }, 'slack: reaction failed');
      }
    });
  }

  app.error(async (err) => {
    logger.error({ err }, 'slack: unhandled error in a listener');
  });
}

/**
 * Reactions added and removed, straight from the gateway's MESSAGE_REACTION_ADD and _REMOVE to the
 * core's vote path. Read from the raw dispatch rather than discord.js's reaction events, which drop
 * reactions in channels it has not cached (a digest thread archived before a restart) even with partials.
 * @module
 */
import type { ReactionEvent } from '../../core/chat-port.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const idOf = (v: unknown): string | undefined => (typeof v === 'string' && /^\d{1,25}$/.test(v) ? v : undefined);

/**
 * The reaction event for a dispatch's `d`, or undefined when it is not one Paperboy counts (outside a
 * server, malformed). Custom emojis are `custom:<id>`, unicode ones the character itself.
 */
export function reactionEvent(data: unknown, added: boolean, botUserId: string | undefined): ReactionEvent | undefined {
  if (!isRecord(data) || !isRecord(data.emoji)) return undefined;
  const workspace = idOf(data.guild_id);
  const channel = idOf(data.channel_id);
  const messageId = idOf(data.message_id);
  const user = idOf(data.user_id);
  if (!workspace || !channel || !messageId || !user) return undefined;
  const customId = idOf(data.emoji.id);
  const name = typeof data.emoji.name === 'string' ? data.emoji.name : undefined;
  const emoji = customId ? `custom:${customId}` : name;
  if (!emoji) return undefined;
  const member = isRecord(data.member) && isRecord(data.member.user) ? data.member.user : undefined;
  const userIsBot = user === botUserId || member?.bot === true;
  return new DiscordReaction(workspace, channel, messageId, user, emoji, userIsBot, added);
}

/** A class rather than an object literal, for the reason given at Pending in core/votes/service.ts: these wait in the vote queue. */
class DiscordReaction implements ReactionEvent {
  readonly platform = 'discord';
  constructor(
    readonly workspace: string,
    readonly channel: string,
    readonly messageId: string,
    readonly user: string,
    readonly emoji: string,
    readonly userIsBot: boolean,
    readonly added: boolean,
  ) {}
}

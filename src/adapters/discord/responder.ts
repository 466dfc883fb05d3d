/**
 * Answers one slash command within Discord's rules: a first response within 3 seconds (a deferral
 * when the work is slow, or turns out slow), then the reply as an edit of that deferral and any
 * further messages as follow-ups. A reply whose privacy differs from the deferral's replaces it.
 * @module
 */
import { MessageFlags, type ChatInputCommandInteraction, type InteractionReplyOptions } from 'discord.js';
import type { Reply } from '../../core/reply.js';
import { renderReply, type DiscordMessage } from './render.js';

/** Defer by then if no answer is ready: Discord drops interactions unanswered after 3 s. */
export const DEFER_AFTER_MS = 2000;

function toOptions(message: DiscordMessage, ephemeral: boolean): InteractionReplyOptions {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    ...(message.embeds ? { embeds: message.embeds } : {}),
    allowedMentions: { parse: [] },
    ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** The answer to one interaction, in as many messages as the reply needs. */
export class InteractionResponder {
  private deferring: Promise<void> | undefined;
  private readonly safetyNet: NodeJS.Timeout;

  constructor(private readonly interaction: ChatInputCommandInteraction, deferAfterMs = DEFER_AFTER_MS) {
    this.safetyNet = setTimeout(() => void this.defer(false), deferAfterMs);
    this.safetyNet.unref();
  }

  /** Acknowledges now ("Paperboy is thinking…"); the reply follows. Once only. */
  defer(ephemeral: boolean): Promise<void> {
    clearTimeout(this.safetyNet);
    this.deferring ??= this.interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}).then(() => undefined);
    return this.deferring;
  }

  async send(reply: Reply): Promise<void> {
    clearTimeout(this.safetyNet);
    // A deferral in flight must land first; if it failed, the reply below tries on its own.
    await this.deferring?.catch(() => undefined);
    const ephemeral = reply.ephemeral === true;
    const [first, ...more] = renderReply(reply).map((m) => toOptions(m, ephemeral));
    const i = this.interaction;
    if (first) {
      if (i.deferred && !i.replied && Boolean(i.ephemeral) === ephemeral) {
        const { flags: _flags, ...edit } = first;
        await i.editReply(edit);
      } else if (i.deferred && !i.replied) {
        await i.deleteReply();
        await i.followUp(first);
      } else if (i.deferred || i.replied) await i.followUp(first);
      else await i.reply(first);
    }
    for (const message of more) await i.followUp(message);
  }

  /** Stops the safety-net deferral (the interaction was answered some other way). */
  dispose(): void {
    clearTimeout(this.safetyNet);
  }
}

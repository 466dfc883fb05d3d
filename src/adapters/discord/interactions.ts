/**
 * Slash commands and their autocomplete: options read and checked, the command run through the
 * core's runCommand, the reply rendered for Discord. Every failure becomes a short ephemeral answer.
 * @module
 */
import { PermissionFlagsBits, type AutocompleteInteraction, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import type { ChatPort } from '../../core/chat-port.js';
import type { Inbound, Invoker } from '../../core/inbound.js';
import { problem } from '../../core/reply.js';
import type { Logger } from '../../logger.js';
import { InteractionResponder } from './responder.js';

/** What answering an interaction needs. */
export interface InteractionDeps {
  inbound: Inbound;
  chat: ChatPort;
  logger: Logger;
  /** When a command that should be quick gets deferred anyway (default 2 s). */
  deferAfterMs?: number;
}

/** Answers a slash command or its autocomplete; other interactions are not Paperboy's. Never throws for a command's failure. */
export async function handleInteraction(interaction: Interaction, deps: InteractionDeps): Promise<void> {
  if (interaction.isAutocomplete()) await answerAutocomplete(interaction, deps);
  else if (interaction.isChatInputCommand()) await answerCommand(interaction, deps);
}

/** Manage Server, or Administrator (which implies it), in this member's permissions. */
export function canManage(interaction: ChatInputCommandInteraction): boolean {
  return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
}

async function answerCommand(interaction: ChatInputCommandInteraction, deps: InteractionDeps): Promise<void> {
  const { inbound, chat, logger } = deps;
  const responder = new InteractionResponder(interaction, deps.deferAfterMs);
  try {
    const command = inbound.commandInfo(interaction.commandName);
    if (!command) return await responder.send(problem(`Unknown command /${interaction.commandName}. Registered commands may be out of date: run paperboy register-commands.`));
    if (!interaction.inGuild()) return await responder.send(problem('Paperboy works in servers: use its commands in a server channel.'));
    const invoker: Invoker = { platform: 'discord', workspace: interaction.guildId, channel: interaction.channelId, user: interaction.user.id, canManage: canManage(interaction) };
    const refused = command.requiresManage && !invoker.canManage;
    // Admin commands answer privately ("posted"), the others in the channel: defer the same way.
    if (command.slow && !refused) await responder.defer(command.requiresManage);
    await responder.send(await inbound.command({ name: command.name, input: { options: interaction.options.data }, invoker, chat }));
  } catch (err) {
    logger.warn({ err, command: interaction.commandName }, 'Discord interaction failed');
    await responder.send(problem('Discord did not take the answer just now; try again in a moment.', 'upstream_unavailable')).catch((sendErr: unknown) => {
      logger.warn({ err: sendErr, command: interaction.commandName }, 'could not answer a Discord interaction');
    });
  } finally {
    responder.dispose();
  }
}

async function answerAutocomplete(interaction: AutocompleteInteraction, deps: InteractionDeps): Promise<void> {
  try {
    const focused = interaction.options.getFocused(true);
    await interaction.respond(deps.inbound.suggest(interaction.commandName, focused.name, focused.value));
  } catch (err) {
    deps.logger.debug({ err, command: interaction.commandName }, 'autocomplete not answered');
  }
}

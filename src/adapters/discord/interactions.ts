/**
 * Slash commands and their autocomplete: options read and checked, the command run through the
 * core's runCommand, the reply rendered for Discord. Every failure becomes a short ephemeral answer.
 * @module
 */
import { PermissionFlagsBits, type AutocompleteInteraction, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import type { Invoker } from '../../commands/command.js';
import { findCommand } from '../../commands/index.js';
import { replyForError, runCommand } from '../../commands/run.js';
import type { ChatPort } from '../../core/chat-port.js';
import type { Core } from '../../core/core.js';
import { problem } from '../../core/reply.js';
import type { Logger } from '../../logger.js';
import { wellFormedText } from '../../strings.js';
import { readOptions } from './options.js';
import { InteractionResponder } from './responder.js';
import { suggestionsFor } from './suggestions.js';

/** What answering an interaction needs. */
export interface InteractionDeps {
  core: Core;
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
  const { core, chat, logger } = deps;
  const responder = new InteractionResponder(interaction, deps.deferAfterMs);
  try {
    const command = findCommand(interaction.commandName);
    if (!command) return await responder.send(problem(`Unknown command /${wellFormedText(interaction.commandName)}. Registered commands may be out of date: run paperboy register-commands.`));
    if (!interaction.inGuild()) return await responder.send(problem('Paperboy works in servers: use its commands in a server channel.'));
    const invoker: Invoker = { platform: 'discord', workspace: interaction.guildId, channel: interaction.channelId, user: interaction.user.id, canManage: canManage(interaction) };
    const args = readOptions(command, interaction.options.data);
    const refused = command.requiresManage === true && !invoker.canManage;
    // Admin commands answer privately ("posted"), the others in the channel: defer the same way.
    if (command.slow && !refused) await responder.defer(command.requiresManage === true);
    await responder.send(await runCommand(command.name, args, { core, invoker, logger, chat }));
  } catch (err) {
    await responder.send(replyForError(err, logger)).catch((sendErr: unknown) => {
      logger.warn({ err: sendErr, command: interaction.commandName }, 'could not answer a Discord interaction');
    });
  } finally {
    responder.dispose();
  }
}

async function answerAutocomplete(interaction: AutocompleteInteraction, deps: InteractionDeps): Promise<void> {
  try {
    const focused = interaction.options.getFocused(true);
    const option = findCommand(interaction.commandName)?.options.find((o) => o.name === focused.name);
    await interaction.respond(option?.autocomplete ? suggestionsFor(option.autocomplete, wellFormedText(String(focused.value))) : []);
  } catch (err) {
    deps.logger.debug({ err, command: interaction.commandName }, 'autocomplete not answered');
  }
}

/**
 * Registers Paperboy's slash commands with Discord, generated from the same `commands` array the
 * other adapters use: descriptions within 100 characters, choices, autocomplete for languages and
 * styles, and Manage Server by default for commands that change a channel's delivery.
 * @module
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  DiscordAPIError,
  InteractionContextType,
  PermissionFlagsBits,
  REST,
  Routes,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Command, CommandOption } from '../../commands/command.js';
import { commands as allCommands } from '../../commands/index.js';
import type { Config } from '../../config.js';
import { BadInputError } from '../../errors.js';
import { toChatError } from './errors.js';
import { quote } from '../../core/reply-limits.js';
import { collapseWhitespace } from '../../strings.js';

const DESCRIPTION_LENGTH = 100;
const MAX_CHOICES = 25;

type CommandBody = RESTPostAPIChatInputApplicationCommandsJSONBody;
type OptionBody = NonNullable<CommandBody['options']>[number];

function description(text: string): string {
  const line = collapseWhitespace(text) || 'No description';
  return line.length <= DESCRIPTION_LENGTH ? line : `${line.slice(0, DESCRIPTION_LENGTH - 1).trimEnd()}…`;
}

function optionBody(option: CommandOption): OptionBody {
  const base = { name: option.name, description: description(option.description), required: option.required === true };
  // Discord forbids choices together with autocomplete: a fixed list wins.
  const choices = option.choices?.slice(0, MAX_CHOICES);
  if (option.type === 'integer') {
    return {
      ...base,
      type: ApplicationCommandOptionType.Integer,
      ...(choices ? { choices: choices.map((c) => ({ name: c, value: Number(c) })) } : {}),
    };
  }
  const type = ApplicationCommandOptionType.String;
  if (choices) return { ...base, type, choices: choices.map((c) => ({ name: c, value: c })) };
  if (option.autocomplete) return { ...base, type, autocomplete: true };
  return { ...base, type };
}

/** The body of `PUT /applications/{app}/commands`: one chat-input command per Paperboy command. */
export function commandRegistrations(list: readonly Command[] = allCommands): CommandBody[] {
  return list.map((command) => ({
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: description(command.description),
    // Discord requires required options first; the order within each group is kept.
    options: [...command.options.filter((o) => o.required), ...command.options.filter((o) => !o.required)].map(optionBody),
    default_member_permissions: command.requiresManage ? String(PermissionFlagsBits.ManageGuild) : null,
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  }));
}

/** Which bot to register for, and where. */
export interface RegisterOptions {
  config: Pick<Config, 'discord'>;
  /** Register in one server (instant) instead of globally (may take up to an hour to show). */
  guildId?: string;
}

/** Where the commands went, and which. */
export interface RegisterResult {
  scope: 'global' | 'guild';
  names: string[];
}

/**
 * Replaces the application's commands (globally, or in one server) with Paperboy's. Missing or refused
 * credentials are a BadInputError with one line; Discord being down an UpstreamError.
 */
export async function registerCommands(options: RegisterOptions): Promise<RegisterResult> {
  const discord = options.config.discord;
  if (!discord?.token || !discord.appId) {
    throw new BadInputError('register-commands needs DISCORD_TOKEN and DISCORD_APP_ID (the bot token and the application id from the Developer Portal).');
  }
  const { guildId } = options;
  if (guildId !== undefined && !/^\d{15,22}$/.test(guildId)) throw new BadInputError(`--guild needs a numeric server id, e.g. 290926798626357999 (got "${quote(guildId, 30)}").`);

  const rest = new REST({ api: discord.apiUrl }).setToken(discord.token);
  const route = guildId ? Routes.applicationGuildCommands(discord.appId, guildId) : Routes.applicationCommands(discord.appId);
  const body = commandRegistrations();
  try {
    await rest.put(route, { body });
  } catch (err) {
    if (err instanceof DiscordAPIError && err.status === 401) throw new BadInputError('Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the Developer Portal.');
    if (err instanceof DiscordAPIError && err.status === 403) {
      throw new BadInputError(guildId
        ? `Discord refused commands for server ${guildId} (403): invite the bot there with the applications.commands scope, and check DISCORD_APP_ID.`
        : 'Discord refused the commands (403): DISCORD_APP_ID must be the application of this bot token.');
    }
    throw toChatError(err, 'post', 'the command list');
  }
  return { scope: guildId ? 'guild' : 'global', names: body.map((c) => c.name) };
}

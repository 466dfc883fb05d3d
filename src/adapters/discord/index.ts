/**
 * The Discord adapter: logs in with discord.js, answers slash commands, feeds reactions to the vote
 * path, and gives the core a chat port for digests. Runs beside any other adapter.
 * @module
 */
import { Status, type Client } from 'discord.js';
import type { RunningAdapter } from '../../core/chat-port.js';
import type { Config } from '../../config.js';
import type { Inbound } from '../../core/inbound.js';
import { BadInputError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { ChannelDirectory } from './channels.js';
import { createDiscordClient } from './client.js';
import { attachEvents } from './events.js';
import { loginDiscord } from './login.js';
import { DiscordChat } from './port.js';
import { DiscordReadBack } from './read-back.js';

export { DiscordChat } from './port.js';

/** What the adapter needs to start. */
export interface StartDiscordOptions {
  config: Pick<Config, 'discord'>;
  inbound: Inbound;
  logger: Logger;
  /** How long login may take before it fails with one line (default 30 s). */
  loginTimeoutMs?: number;
  /** When a quick command gets deferred anyway (default 2 s). */
  deferAfterMs?: number;
}

/** A running Discord adapter: its chat port, and the client for tools that need it (benchmarks). */
export interface RunningDiscord extends RunningAdapter {
  chat: DiscordChat;
  client: Client;
}

/** Logs in and starts answering; rejects with one line to print when Discord cannot be reached or refuses the token. */
export async function startDiscord(options: StartDiscordOptions): Promise<RunningDiscord> {
  const discord = options.config.discord;
  if (!discord) throw new BadInputError('DISCORD_TOKEN is not set: Discord needs the bot token from the Developer Portal.');
  const { inbound, logger } = options;
  const client = createDiscordClient({ apiUrl: discord.apiUrl });
  const chat = new DiscordChat(client.rest, new ChannelDirectory(client), new DiscordReadBack({ rest: client.rest, botId: () => client.user?.id }));
  attachEvents(client, { inbound, chat, logger, deferAfterMs: options.deferAfterMs });
  await loginDiscord(client, { token: discord.token, apiUrl: discord.apiUrl, timeoutMs: options.loginTimeoutMs ?? 30_000 });
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'Discord adapter ready');
  return {
    chat,
    client,
    connected: () => client.ws.status === Status.Ready,
    async stop() {
      await client.destroy();
    },
  };
}

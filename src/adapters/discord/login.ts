/**
 * Logging in, with an end: resolves once the client is ready (every guild received), or throws a
 * DiscordStartError with one line. discord.js alone would retry an unreachable gateway forever and
 * report a refused token as a stack trace.
 * @module
 */
import { Events, type Client } from 'discord.js';
import { DiscordStartError, toStartError } from './errors.js';

/** The token, where Discord is, and how long to wait for it. */
export interface LoginOptions {
  token: string;
  apiUrl: string;
  /** How long the whole login may take (gateway/bot, connect, READY, every GUILD_CREATE). */
  timeoutMs: number;
}

/** Gateway close codes after which Discord will not take this connection back. */
const FATAL_CLOSE: Record<number, string> = {
  4004: 'Discord gateway refused DISCORD_TOKEN (4004 Authentication failed): copy the bot token again from the Developer Portal.',
  4010: 'Discord gateway refused the shard (4010 Invalid shard).',
  4011: 'Discord gateway requires sharding for this many servers (4011).',
  4012: 'Discord gateway refused the API version (4012).',
  4013: 'Discord gateway refused the intents (4013 Invalid intents).',
  4014: 'Discord gateway refused the intents (4014 Disallowed intents): enable them for the bot in the Developer Portal.',
};

/** Logs in and waits until every guild has arrived; a DiscordStartError (one line) otherwise, with the client destroyed. */
export async function loginDiscord(client: Client, options: LoginOptions): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onDisconnect: ((event: { code: number }) => void) | undefined;
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const where = client.ws.gateway ? `gateway at ${client.ws.gateway.replace(/\/$/, '')}` : `API at ${options.apiUrl}`;
      reject(new DiscordStartError('upstream_unavailable', `Discord ${where} did not answer within ${Math.round(options.timeoutMs / 1000)} s: check the network or DISCORD_API_URL.`));
    }, options.timeoutMs);
    onDisconnect = (event) => {
      const line = FATAL_CLOSE[event.code] ?? `Discord gateway closed the connection (code ${event.code}).`;
      reject(new DiscordStartError(event.code === 4004 ? 'bad_input' : 'upstream_unavailable', line));
    };
    client.once(Events.ShardDisconnect, onDisconnect);
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  const login = client.login(options.token).then(() => ready);
  // After a timeout the login may still fail later, while the client is destroyed: that is expected.
  login.catch(() => undefined);
  try {
    await Promise.race([login, failure]);
  } catch (err) {
    await client.destroy().catch(() => undefined);
    throw toStartError(err, options.apiUrl);
  } finally {
    clearTimeout(timer);
    if (onDisconnect) client.off(Events.ShardDisconnect, onDisconnect);
  }
}

/**
 * The discord.js client as Paperboy needs it: only the Guilds and GuildMessageReactions intents, partial
 * channels and users so events about uncached ones still arrive, and caches kept small so memory stays
 * flat however many messages, reactions and members go by.
 * @module
 */
import { Client, GatewayIntentBits, Options, Partials, type User } from 'discord.js';
import { InProcessShards } from './sharding.js';

/** Where the client finds Discord. */
export interface DiscordClientOptions {
  /** Base of the REST API, without the version: `https://discord.com/api` (a fake in tests). */
  apiUrl: string;
}

/** Is this the bot's own account? Its user and member stay cached: discord.js reads them often. */
const isSelf = (user: Pick<User, 'id' | 'client'>): boolean => user.id === user.client.user?.id;

/** A client not yet logged in, with Paperboy's intents, partials and cache limits. */
export function createDiscordClient(options: DiscordClientOptions): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessageReactions],
    // Reactions are read from the raw gateway dispatch (reactions.ts), which needs no cached message.
    // Partials.Message and Partials.Reaction would only make discord.js build a throwaway message and
    // reaction per event for its own reaction events, which Paperboy does not use.
    partials: [Partials.Channel, Partials.User],
    rest: { api: options.apiUrl },
    // The shards as discord.js runs them by default, minus a copy of every event (sharding.ts).
    ws: { buildStrategy: (manager) => new InProcessShards(manager) },
    // Paperboy reads nothing from these caches: messages and reactions go straight to the core, and
    // permissions come with each interaction. Guilds, channels and roles stay (discord.js needs them).
    makeCache: Options.cacheWithLimits({
      MessageManager: 0,
      DMMessageManager: 0,
      GuildMessageManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      UserManager: { maxSize: 0, keepOverLimit: (user) => isSelf(user) },
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => isSelf(member.user) },
      PresenceManager: 0,
      VoiceStateManager: 0,
      ThreadMemberManager: 0,
      GuildEmojiManager: 0,
      BaseGuildEmojiManager: 0,
      ApplicationEmojiManager: 0,
      GuildStickerManager: 0,
      GuildScheduledEventManager: 0,
      GuildInviteManager: 0,
      GuildBanManager: 0,
      StageInstanceManager: 0,
      AutoModerationRuleManager: 0,
      ApplicationCommandManager: 0,
      EntitlementManager: 0,
    }),
    // Archived threads leave the cache after a day; the default sweeps every hour.
    sweepers: { ...Options.DefaultSweeperSettings, threads: { interval: 3600, lifetime: 86_400 } },
  });
}

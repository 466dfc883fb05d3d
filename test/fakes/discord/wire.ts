/**
 * Discord API objects as the real service sends them, with the fields discord.js 14.28 reads. The
 * fake Discord builds every answer and dispatch from these, so a field discord.js needs is added once.
 * No test framework imports: the benchmark uses them too.
 * @module
 */

/** Channel types the fake knows (Discord's numbers). */
export const ChannelKind = { text: 0, announcement: 5, announcementThread: 10, publicThread: 11, forum: 15 } as const;

export interface FakeChannel {
  id: string;
  name: string;
  type: number;
  /** Set for threads. */
  parentId?: string;
  /** Permission overwrites (type 0 role, 1 member), as Discord lists them on the channel. */
  overwrites?: FakeOverwrite[];
}

export interface FakeOverwrite {
  id: string;
  type: 0 | 1;
  allow: string;
  deny: string;
}

export interface FakeRole {
  id: string;
  name: string;
  permissions: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  channels: FakeChannel[];
  /** The @everyone role's permissions (its id is the guild's); Discord's defaults when unset. */
  everyonePermissions?: string;
  /** Further roles, all held by the bot (as the role an invite with permissions creates). */
  botRoles?: FakeRole[];
}

/** What @everyone may do in a new server: view, send, embed, read history, threads, reactions and more. */
export const DEFAULT_EVERYONE_PERMISSIONS = '1071698660929';

/** The guild's roles as Discord lists them: @everyone first. */
export function apiRoles(guild: FakeGuild): Record<string, unknown>[] {
  const role = (id: string, name: string, permissions: string, position: number) => ({
    id, name, color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, icon: null, unicode_emoji: null,
    position, permissions, managed: false, mentionable: false, flags: 0,
  });
  return [
    role(guild.id, '@everyone', guild.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS, 0),
    ...(guild.botRoles ?? []).map((r, i) => role(r.id, r.name, r.permissions, i + 1)),
  ];
}

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
}

const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** A fresh snowflake: time-ordered and unique within the process, like Discord's. */
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

/** When a snowflake was made: Discord's message timestamps agree with their ids. */
export function timeOf(id: string): string {
  try {
    return new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH)).toISOString();
  } catch {
    return new Date().toISOString();
  }
}

export function apiUser(user: FakeUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.username,
    avatar: null,
    bot: user.bot ?? false,
    public_flags: 0,
    flags: 0,
  };
}

export function apiChannel(channel: FakeChannel, guildId: string, botId: string): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: channel.id,
    type: channel.type,
    guild_id: guildId,
    name: channel.name,
    position: 0,
    permission_overwrites: channel.overwrites ?? [],
    nsfw: false,
    rate_limit_per_user: 0,
    flags: 0,
  };
  if (channel.type === ChannelKind.publicThread || channel.type === ChannelKind.announcementThread) {
    return {
      ...base,
      parent_id: channel.parentId ?? null,
      owner_id: botId,
      last_message_id: null,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date().toISOString(),
        locked: false,
        create_timestamp: new Date().toISOString(),
      },
    };
  }
  if (channel.type === ChannelKind.forum) {
    return { ...base, parent_id: null, topic: null, available_tags: [], default_reaction_emoji: null, default_sort_order: null, default_forum_layout: 0 };
  }
  return { ...base, parent_id: null, topic: null, last_message_id: null };
}

/** A GUILD_CREATE payload: the guild, its channels, its roles and the bot as a member. */
export function apiGuild(guild: FakeGuild, bot: FakeUser): Record<string, unknown> {
  const channels = guild.channels.filter((c) => c.type !== ChannelKind.publicThread && c.type !== ChannelKind.announcementThread);
  const threads = guild.channels.filter((c) => !channels.includes(c));
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: '100000000000000001',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: apiRoles(guild),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [{ ...apiMember(bot, '0'), roles: (guild.botRoles ?? []).map((r) => r.id) }],
    channels: channels.map((c) => {
      const { guild_id: _ignored, ...rest } = apiChannel(c, guild.id, bot.id);
      return rest;
    }),
    threads: threads.map((c) => apiChannel(c, guild.id, bot.id)),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function apiMember(user: FakeUser, permissions: string): Record<string, unknown> {
  return {
    user: apiUser(user),
    nick: null,
    avatar: null,
    roles: [],
    joined_at: '2024-01-01T00:00:00.000000+00:00',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    permissions,
    communication_disabled_until: null,
  };
}

/** A message as the API returns it after a post or an interaction follow-up. */
export function apiMessage(fields: {
  id: string;
  channelId: string;
  guildId?: string;
  author: FakeUser;
  body: Record<string, unknown>;
  webhookId?: string;
  applicationId?: string;
}): Record<string, unknown> {
  const { body } = fields;
  return {
    id: fields.id,
    channel_id: fields.channelId,
    ...(fields.guildId ? { guild_id: fields.guildId } : {}),
    author: apiUser(fields.author),
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: timeOf(fields.id),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    reactions: [],
    pinned: false,
    type: 0,
    flags: typeof body.flags === 'number' ? body.flags : 0,
    components: [],
    ...(body.nonce !== undefined ? { nonce: body.nonce } : {}),
    ...(fields.webhookId ? { webhook_id: fields.webhookId, application_id: fields.applicationId } : {}),
  };
}

/** One option of a slash command as Discord sends it: 3 string, 4 integer. */
export interface FakeCommandOption {
  name: string;
  value: string | number;
  focused?: boolean;
}

/** The `d` of an INTERACTION_CREATE for a slash command (type 2) or its autocomplete (type 4). */
export function apiCommandInteraction(fields: {
  id: string;
  token: string;
  applicationId: string;
  guildId: string;
  channel: FakeChannel;
  user: FakeUser;
  permissions: string;
  commandName: string;
  options: FakeCommandOption[];
  autocomplete?: boolean;
}): Record<string, unknown> {
  return {
    id: fields.id,
    application_id: fields.applicationId,
    type: fields.autocomplete ? 4 : 2,
    token: fields.token,
    version: 1,
    guild_id: fields.guildId,
    guild: { id: fields.guildId, locale: 'en-US', features: [] },
    channel_id: fields.channel.id,
    channel: { id: fields.channel.id, type: fields.channel.type, name: fields.channel.name, guild_id: fields.guildId, permissions: '1071698660929', flags: 0 },
    member: apiMember(fields.user, fields.permissions),
    app_permissions: '1071698660929',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': fields.guildId },
    context: 0,
    attachment_size_limit: 10_485_760,
    data: {
      id: snowflake(),
      name: fields.commandName,
      type: 1,
      guild_id: fields.guildId,
      options: fields.options.map((o) => ({
        name: o.name,
        type: typeof o.value === 'number' ? 4 : 3,
        value: o.value,
        ...(o.focused ? { focused: true } : {}),
      })),
    },
  };
}

/** The `d` of MESSAGE_REACTION_ADD or MESSAGE_REACTION_REMOVE (removals carry no member). */
export function apiReaction(fields: {
  added: boolean;
  guildId: string;
  channelId: string;
  messageId: string;
  user: FakeUser;
  /** A unicode character, or `{ id, name }` for a custom emoji. */
  emoji: string | { id: string; name: string };
}): Record<string, unknown> {
  const emoji = typeof fields.emoji === 'string' ? { id: null, name: fields.emoji } : { id: fields.emoji.id, name: fields.emoji.name, animated: false };
  return {
    user_id: fields.user.id,
    channel_id: fields.channelId,
    message_id: fields.messageId,
    guild_id: fields.guildId,
    emoji,
    burst: false,
    type: 0,
    ...(fields.added ? { member: apiMember(fields.user, '0'), burst_colors: [] } : {}),
  };
}

/**
 * What kind of channel an id is (text, thread or forum) and its name for messages, from discord.js's
 * cache (filled by GUILD_CREATE and THREAD_CREATE) or, failing that, one REST lookup kept for later.
 * @module
 */
import { ChannelType, Routes, type APIChannel, type Client } from 'discord.js';

/** How Paperboy posts there: a message, a message in a thread, or a forum post. */
export type ChannelKind = 'text' | 'thread' | 'forum';

/** A channel as the port needs to know it. */
export interface ChannelInfo {
  kind: ChannelKind;
  /** `#papers` when known, for messages to admins. */
  label: string;
}

const LOOKUPS_KEPT = 1000;

/** The way Paperboy posts in a channel of this Discord type. */
export function kindOf(type: ChannelType | undefined): ChannelKind {
  switch (type) {
    case ChannelType.GuildForum:
    case ChannelType.GuildMedia:
      return 'forum';
    case ChannelType.PublicThread:
    case ChannelType.PrivateThread:
    case ChannelType.AnnouncementThread:
      return 'thread';
    default:
      return 'text';
  }
}

/** Channel kinds and names, from the client's cache first and REST second. */
export class ChannelDirectory {
  private readonly looked = new Map<string, ChannelInfo>();

  constructor(private readonly client: Client) {}

  async info(channelId: string): Promise<ChannelInfo> {
    const cached = this.client.channels.cache.get(channelId);
    if (cached) return { kind: kindOf(cached.type), label: 'name' in cached && cached.name ? `#${cached.name}` : `channel ${channelId}` };
    const known = this.looked.get(channelId);
    if (known) return known;
    try {
      const channel = (await this.client.rest.get(Routes.channel(channelId))) as APIChannel;
      const info: ChannelInfo = { kind: kindOf(channel.type), label: 'name' in channel && channel.name ? `#${channel.name}` : `channel ${channelId}` };
      if (this.looked.size >= LOOKUPS_KEPT) this.looked.delete(this.looked.keys().next().value ?? '');
      this.looked.set(channelId, info);
      return info;
    } catch {
      // The post itself will fail with the real reason (missing access, unknown channel).
      return { kind: 'text', label: `channel ${channelId}` };
    }
  }
}

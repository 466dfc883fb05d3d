/**
 * Finding a message the bot posted but never recorded (a crash in between), long after Discord's
 * nonce window has closed. Discord keeps no key on a message, and a read-back does not return the
 * nonce, so a message is recognised by what it shows: the same embed link (a paper card's arXiv URL),
 * else the same embed title, else the same first line of text, among the bot's own recent messages
 * (not interaction replies; for text, not one a thread was started on, as no unrecorded step has one).
 * A forum post is recognised by its name among the bot's active threads in the forum.
 * @module
 */
import { MessageType, Routes, type APIEmbed, type APIMessage, type APIThreadChannel, type REST } from 'discord.js';
import type { DiscordMessage } from './render.js';

/** Discord's largest page of channel history. */
const PAGE = 100;
/** Pages read at most: a thread holds one digest (51 bot messages and the replies), a channel more of everything. */
const THREAD_PAGES = 5;
const CHANNEL_PAGES = 3;
/** A resume comes within days of the crash: older history is not searched. */
const WINDOW_MS = 7 * 86_400_000;
const DISCORD_EPOCH = 1_420_070_400_000n;

/** What identifies a rendered message when it is read back. */
function identity(message: { content?: string; embeds?: readonly APIEmbed[] }): string {
  const embed = message.embeds?.[0];
  if (embed?.url) return `url:${embed.url}`;
  if (embed?.title) return `title:${embed.title}`;
  if (embed?.description) return `description:${embed.description}`;
  return `text:${(message.content ?? '').split('\n')[0]?.trim() ?? ''}`;
}

/** When Discord made a snowflake. */
function createdAt(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

export interface ReadBackOptions {
  rest: REST;
  /** The bot's user id, known once logged in. */
  botId(): string | undefined;
  now?: () => number;
}

/** Read-backs over REST, each a few GETs at most. */
export class DiscordReadBack {
  private readonly now: () => number;

  constructor(private readonly options: ReadBackOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The id of the bot's newest message in a channel or thread that shows what `wanted` shows, reading
   * `GET /channels/{id}/messages` newest first, 100 at a time, until found, the history ends, or the
   * page limit or the time window is reached.
   */
  async findMessage(channelId: string, wanted: Pick<DiscordMessage, 'content' | 'embeds'>, inThread: boolean): Promise<string | undefined> {
    const botId = this.options.botId();
    if (!botId) return undefined;
    const target = identity(wanted);
    // A line of text may repeat (an earlier day's header); one never recorded has no thread on it yet.
    const textOnly = target.startsWith('text:');
    const oldest = this.now() - WINDOW_MS;
    let before: string | undefined;
    for (let page = 0; page < (inThread ? THREAD_PAGES : CHANNEL_PAGES); page++) {
      const query = new URLSearchParams({ limit: String(PAGE), ...(before ? { before } : {}) });
      const messages = (await this.options.rest.get(Routes.channelMessages(channelId), { query })) as APIMessage[];
      const found = messages.find((m) => m.author.id === botId && m.type === MessageType.Default && !m.interaction_metadata && identity(m) === target && !(textOnly && m.thread));
      if (found) return found.id;
      const last = messages.at(-1);
      if (!last || messages.length < PAGE || createdAt(last.id) < oldest) return undefined;
      before = last.id;
    }
    return undefined;
  }

  /** The id of the bot's active post in a forum with this name (one GET of the server's active threads). */
  async findForumPost(guildId: string, forumId: string, name: string): Promise<string | undefined> {
    const botId = this.options.botId();
    if (!botId) return undefined;
    const active = (await this.options.rest.get(Routes.guildActiveThreads(guildId))) as { threads: APIThreadChannel[] };
    const post = active.threads
      .filter((t) => t.parent_id === forumId && t.owner_id === botId && t.name === name)
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))[0];
    return post?.id;
  }
}

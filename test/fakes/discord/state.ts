/**
 * What the fake Discord holds and records: guilds and channels, posted messages and their nonces,
 * threads, command registrations, and every response to every interaction.
 * @module
 */
import { ChannelKind, snowflake, type FakeChannel, type FakeGuild, type FakeUser } from './wire.js';

export interface RecordedDiscordRequest {
  method: string;
  /** Without the `/api/v10` prefix: `/channels/123/messages`. */
  route: string;
  query: Record<string, string>;
  authorization: string | undefined;
  /** The parsed JSON body, or undefined. */
  body: unknown;
  /** `performance.now()` on arrival. */
  at: number;
}

export interface PostedMessageRecord {
  id: string;
  channelId: string;
  guildId: string;
  body: Record<string, unknown>;
  /** The bot's id unless the message was added as someone else's (addUserMessage). */
  authorId?: string;
}

export type InteractionResponseKind = 'callback' | 'edit-original' | 'delete-original' | 'followup';

export interface InteractionResponse {
  kind: InteractionResponseKind;
  body: Record<string, unknown> | undefined;
  /** Milliseconds after the interaction was dispatched. */
  afterMs: number;
}

export interface InteractionRecord {
  id: string;
  token: string;
  dispatchedAt: number;
  responses: InteractionResponse[];
}

/** A refusal the next matching requests get: missing permission in a channel. */
export type DeniedAction = 'post' | 'thread' | 'forum-post' | 'view' | 'read-history';

/** How long Discord remembers a nonce for `enforce_nonce`: "a few minutes". */
export const NONCE_WINDOW_MS = 5 * 60_000;

export class FakeDiscordState {
  readonly requests: RecordedDiscordRequest[] = [];
  /** Every message created; a repeat with a known nonce is not added again. */
  readonly messages = new Map<string, PostedMessageRecord>();
  /** Nonces of posts answered with the earlier message instead of a new one. */
  readonly repeatedNonces: string[] = [];
  readonly channels = new Map<string, { channel: FakeChannel; guildId: string }>();
  readonly commandRegistrations: { guildId: string | undefined; body: unknown; response?: unknown }[] = [];
  readonly interactions = new Map<string, InteractionRecord>();
  private readonly users = new Map<string, FakeUser>();
  private readonly nonces = new Map<string, { messageId: string; at: number }>();
  private readonly denied = new Map<string, Set<DeniedAction>>();

  /**
   * @param now the fake's clock for the nonce window (a test moves it on to be "long after" a post)
   * @param nonceWindowMs how long a nonce makes a repeat return the first message
   */
  constructor(readonly bot: FakeUser, readonly guilds: FakeGuild[], readonly now: () => number = Date.now, readonly nonceWindowMs = NONCE_WINDOW_MS) {
    for (const guild of guilds) for (const channel of guild.channels) this.channels.set(channel.id, { channel, guildId: guild.id });
  }

  deny(channelId: string, action: DeniedAction): void {
    const set = this.denied.get(channelId) ?? new Set<DeniedAction>();
    set.add(action);
    this.denied.set(channelId, set);
  }

  allow(channelId: string): void {
    this.denied.delete(channelId);
  }

  isDenied(channelId: string, action: DeniedAction): boolean {
    return this.denied.get(channelId)?.has(action) ?? false;
  }

  /** The message an earlier post with this nonce created, when `enforce_nonce` applies and the window is open. */
  messageForNonce(authorId: string, nonce: string): PostedMessageRecord | undefined {
    const seen = this.nonces.get(`${authorId}:${nonce}`);
    if (!seen || this.now() - seen.at > this.nonceWindowMs) return undefined;
    return this.messages.get(seen.messageId);
  }

  rememberNonce(authorId: string, nonce: string, messageId: string): void {
    this.nonces.set(`${authorId}:${nonce}`, { messageId, at: this.now() });
  }

  /** A message by someone else (a human in the channel), so read-backs have more than the bot's posts to page through. */
  addUserMessage(channelId: string, author: FakeUser, content: string): PostedMessageRecord {
    const found = this.channels.get(channelId);
    const record: PostedMessageRecord = { id: snowflake(), channelId, guildId: found?.guildId ?? '', body: { content }, authorId: author.id };
    this.users.set(author.id, author);
    this.messages.set(record.id, record);
    return record;
  }

  /** Who wrote a message: the bot, or a user added with addUserMessage. */
  authorOf(message: PostedMessageRecord): FakeUser {
    return (message.authorId && this.users.get(message.authorId)) || this.bot;
  }

  addThread(thread: FakeChannel, guildId: string): void {
    this.channels.set(thread.id, { channel: thread, guildId });
  }

  /** Messages in a channel or thread, oldest first (those by users too). */
  messagesIn(channelId: string): PostedMessageRecord[] {
    return [...this.messages.values()].filter((m) => m.channelId === channelId);
  }

  threadsOf(parentId: string): FakeChannel[] {
    return [...this.channels.values()].map((c) => c.channel).filter((c) => c.parentId === parentId);
  }

  isThread(channel: FakeChannel): boolean {
    return channel.type === ChannelKind.publicThread || channel.type === ChannelKind.announcementThread;
  }
}

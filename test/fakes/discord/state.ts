/**
 * What the fake Discord holds and records: guilds and channels, posted messages and their nonces,
 * threads, command registrations, and every response to every interaction.
 * @module
 */
import { ChannelKind, type FakeChannel, type FakeGuild, type FakeUser } from './wire.js';

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
export type DeniedAction = 'post' | 'thread' | 'forum-post';

export class FakeDiscordState {
  readonly requests: RecordedDiscordRequest[] = [];
  /** Every message created; a repeat with a known nonce is not added again. */
  readonly messages = new Map<string, PostedMessageRecord>();
  /** Nonces of posts answered with the earlier message instead of a new one. */
  readonly repeatedNonces: string[] = [];
  readonly channels = new Map<string, { channel: FakeChannel; guildId: string }>();
  readonly commandRegistrations: { guildId: string | undefined; body: unknown; response?: unknown }[] = [];
  readonly interactions = new Map<string, InteractionRecord>();
  private readonly nonces = new Map<string, string>();
  private readonly denied = new Map<string, Set<DeniedAction>>();

  constructor(readonly bot: FakeUser, readonly guilds: FakeGuild[]) {
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

  /** The message an earlier post with this nonce created, when `enforce_nonce` applies. */
  messageForNonce(authorId: string, nonce: string): PostedMessageRecord | undefined {
    const id = this.nonces.get(`${authorId}:${nonce}`);
    return id === undefined ? undefined : this.messages.get(id);
  }

  rememberNonce(authorId: string, nonce: string, messageId: string): void {
    this.nonces.set(`${authorId}:${nonce}`, messageId);
  }

  addThread(thread: FakeChannel, guildId: string): void {
    this.channels.set(thread.id, { channel: thread, guildId });
  }

  /** Messages in a channel or thread, oldest first. */
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

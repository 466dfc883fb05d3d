/**
 * The chat port over Discord's REST API: messages in channels and threads, a thread started on a
 * message (its id is the message's), a forum post where the channel is a forum. Every post carries a
 * nonce from the core's idempotency key with `enforce_nonce`, so within Discord's nonce window (a few
 * minutes) a retry is answered with the message Discord already has. After that window, a resume
 * finds the message by reading the place back (read-back.ts): the core asks findPosted for a step it
 * may have posted unrecorded, and the post of that step first looks for what it would show there.
 * @module
 */
import { createHash } from 'node:crypto';
import { Routes, ThreadAutoArchiveDuration, type APIChannel, type APIMessage, type REST } from 'discord.js';
import type { ChatPort, IdempotencyKey, Place, PostedMessage } from '../../core/chat-port.js';
import type { Reply } from '../../core/reply.js';
import type { ChannelDirectory } from './channels.js';
import { fitPlain } from './discord-text.js';
import { isDiscordApiError, THREAD_ALREADY_CREATED, toChatError, type ChatAction } from './errors.js';
import type { DiscordReadBack } from './read-back.js';
import { mainMessageIndex, renderReply, type DiscordMessage } from './render.js';
import { collapseWhitespace } from '../../strings.js';

/** Discord takes nonces of at most 25 characters. */
const NONCE_LENGTH = 25;
const THREAD_NAME_LENGTH = 100;
/** Forum posts take no nonce: in-process retries are answered from here. */
const FORUM_POSTS_KEPT = 1000;
/** Steps findPosted was asked about and whose post has not come yet. */
const LOOKUPS_KEPT = 1000;

/** The nonce for one message of a post: the key hashed, so any key fits and equal keys meet. */
export function nonceFor(key: IdempotencyKey, part = 0): string {
  return createHash('sha256').update(part === 0 ? key : `${key}\u0000${part}`).digest('base64url').slice(0, NONCE_LENGTH);
}

/** Paperboy's ChatPort for Discord, over the client's REST manager (which handles rate limits). */
export class DiscordChat implements ChatPort {
  readonly platform = 'discord';
  private readonly forumPosts = new Map<IdempotencyKey, PostedMessage>();
  private readonly lookups = new Set<IdempotencyKey>();

  constructor(private readonly rest: REST, private readonly channels: ChannelDirectory, private readonly readBack: DiscordReadBack) {}

  async post(place: Place, reply: Reply, key: IdempotencyKey): Promise<PostedMessage> {
    const channel = await this.channels.info(place.channel);
    const messages = renderReply(reply);
    const lookUp = this.lookups.delete(key);
    if (channel.kind === 'forum') return this.postInForum(place, channel.label, reply, messages, key, lookUp);
    const action: ChatAction = channel.kind === 'thread' ? 'post-in-thread' : 'post';
    const main = mainMessageIndex(messages);
    if (lookUp) {
      const found = await this.lookFor(() => this.readBack.findMessage(place.channel, messages[main] ?? {}, channel.kind === 'thread'), channel.label);
      if (found) return { id: found, place };
    }
    const ids = await this.send(place.channel, messages, key, action, channel.label);
    return { id: ids[main] ?? ids[0] ?? '', place };
  }

  /**
   * Discord keeps no key on a message, and what a step's message shows is known only when it is
   * posted: so this marks the step, and its post reads the place back first (one GET, usually) and
   * answers with the message found there instead of posting again. Always resolves to undefined.
   */
  async findPosted(_place: Place, key: IdempotencyKey): Promise<PostedMessage | undefined> {
    if (this.lookups.size >= LOOKUPS_KEPT) this.lookups.delete(this.lookups.values().next().value ?? '');
    this.lookups.add(key);
    return undefined;
  }

  async startThread(message: PostedMessage, title: string, _key: IdempotencyKey): Promise<Place> {
    const { workspace, channel: channelId } = message.place;
    const channel = await this.channels.info(channelId);
    // A forum post is already a thread (its id is its first message's), and a thread cannot hold one.
    if (channel.kind === 'forum') return { workspace, channel: message.id };
    if (channel.kind === 'thread') return { workspace, channel: channelId };
    try {
      await this.rest.post(Routes.threads(channelId, message.id), {
        body: { name: threadName(title), auto_archive_duration: ThreadAutoArchiveDuration.OneDay },
      });
    } catch (err) {
      // Thread creation has no nonce, but a message has at most one thread: a retry finds it there.
      if (!isDiscordApiError(err, THREAD_ALREADY_CREATED)) throw toChatError(err, 'create-thread', channel.label);
    }
    return { workspace, channel: message.id };
  }

  private async send(channelId: string, messages: DiscordMessage[], key: IdempotencyKey, action: ChatAction, label: string, firstPart = 0): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, message] of messages.entries()) {
      const body = { ...message, nonce: nonceFor(key, firstPart + i), enforce_nonce: true };
      try {
        const created = (await this.rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
        ids.push(created.id);
      } catch (err) {
        throw toChatError(err, action, label);
      }
    }
    return ids;
  }

  private async lookFor(find: () => Promise<string | undefined>, label: string): Promise<string | undefined> {
    try {
      return await find();
    } catch (err) {
      throw toChatError(err, 'read-back', label);
    }
  }

  /** A forum post named after the reply, holding its first message; further parts go into the post. */
  private async postInForum(place: Place, label: string, reply: Reply, messages: DiscordMessage[], key: IdempotencyKey, lookUp: boolean): Promise<PostedMessage> {
    const earlier = this.forumPosts.get(key);
    if (earlier) return earlier;
    const name = threadName(replyTitle(reply));
    if (lookUp) {
      const found = await this.lookFor(() => this.readBack.findForumPost(place.workspace, place.channel, name), label);
      if (found) return this.rememberForumPost(key, { id: found, place });
    }
    const [first, ...rest] = messages;
    let created: APIChannel;
    try {
      created = (await this.rest.post(Routes.threads(place.channel), {
        body: { name, auto_archive_duration: ThreadAutoArchiveDuration.OneDay, message: first },
      })) as APIChannel;
    } catch (err) {
      throw toChatError(err, 'create-forum-post', label);
    }
    await this.send(created.id, rest, key, 'post-in-thread', label, 1);
    return this.rememberForumPost(key, { id: created.id, place });
  }

  private rememberForumPost(key: IdempotencyKey, posted: PostedMessage): PostedMessage {
    if (this.forumPosts.size >= FORUM_POSTS_KEPT) this.forumPosts.delete(this.forumPosts.keys().next().value ?? '');
    this.forumPosts.set(key, posted);
    return posted;
  }
}

function threadName(title: string): string {
  return fitPlain(collapseWhitespace(title), THREAD_NAME_LENGTH) || 'Papers';
}

/** What a forum post is called: the card's title, the list's title, or a text's first line. */
function replyTitle(reply: Reply): string {
  switch (reply.kind) {
    case 'card':
      return reply.card.title;
    case 'list':
      return reply.title;
    case 'text':
      return reply.text.split('\n').find((line) => line.trim()) ?? '';
  }
}

/**
 * The core's ChatPort on Slack. Posts carry the core's idempotency key in message metadata, so after
 * a crash between "posted" and "recorded" the core finds the message again (findPosted reads the
 * thread back) instead of posting it twice. A thread is a reply chain under a message's ts.
 * @module
 */
import { createHash } from 'node:crypto';
import { webApi } from '@slack/bolt';
import type { ChatPort, IdempotencyKey, Place, PostedMessage } from '../../core/chat-port.js';
import type { Reply } from '../../core/reply.js';
import { BadPayloadError, UpstreamError } from '../../errors.js';
import type { ChannelPacer } from './channel-pacer.js';
import { renderSlackMessage, type SlackMessage } from './render.js';
import type { SlackApi } from './slack-api.js';

/** The metadata `event_type` of every message Paperboy posts through the port. */
export const POST_EVENT_TYPE = 'paperboy_post';

/** How many pages (200 messages each) findPosted reads in a thread, and in a channel's history. */
const THREAD_PAGES = 10;
const HISTORY_PAGES = 3;
/** A resume comes soon after the crash: channel history older than this is not searched. */
const HISTORY_WINDOW_S = 7 * 86_400;
/** How many threads and own messages the port remembers. */
const REMEMBERED = 500;

/** The key as stored in metadata: as given when short, hashed when long. */
export function metadataKey(key: IdempotencyKey): string {
  return key.length <= 200 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

interface MetadataCarrier {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

function carriesKey(message: MetadataCarrier, key: string): boolean {
  const payload = message.metadata?.event_payload;
  // A message with a `part` is a continuation of another (posted when long replies were split), never the message itself.
  return message.metadata?.event_type === POST_EVENT_TYPE && payload?.key === key && payload.part === undefined;
}

/** Slack's error string behind one of our errors, when there is one. */
function slackError(err: unknown): string | undefined {
  const cause = err instanceof UpstreamError ? err.cause : err;
  return cause instanceof webApi.WebAPIPlatformError ? cause.data.error : undefined;
}

export interface SlackPortOptions {
  api: SlackApi;
  pacer: ChannelPacer;
}

/** Posts, threads, edits and read-backs for the core, paced per channel. */
export class SlackChatPort implements ChatPort {
  readonly platform = 'slack';
  /** Messages this process posted (`channel/ts`). */
  private readonly ownMessages = new Set<string>();
  /**
   * Threads this process started under its own messages, with every key it posted into them. While
   * nothing sent there ended in doubt, findPosted can answer from memory instead of reading Slack.
   */
  private readonly knownThreads = new Map<string, Map<string, PostedMessage>>();

  constructor(private readonly options: SlackPortOptions) {}

  async post(place: Place, reply: Reply, key: IdempotencyKey): Promise<PostedMessage> {
    return this.send(place, renderSlackMessage(reply), metadataKey(key));
  }

  async startThread(message: PostedMessage, _title: string, _key: IdempotencyKey): Promise<Place> {
    // Slack needs no call: the first reply with thread_ts starts the thread. Threads do not nest.
    if (message.place.thread) return { ...message.place };
    const place = { ...message.place, thread: message.id };
    if (this.ownMessages.has(`${place.channel}/${message.id}`)) {
      this.knownThreads.set(threadId(place), new Map());
      forgetOldest(this.knownThreads);
    }
    return place;
  }

  async findPosted(place: Place, key: IdempotencyKey): Promise<PostedMessage | undefined> {
    const stored = metadataKey(key);
    const known = place.thread ? this.knownThreads.get(threadId(place)) : undefined;
    if (known) return known.get(stored);
    let cursor: string | undefined;
    for (let page = 0; page < (place.thread ? THREAD_PAGES : HISTORY_PAGES); page++) {
      let result: { messages?: MetadataCarrier[]; response_metadata?: { next_cursor?: string } };
      try {
        result = await this.readPage(place, cursor);
      } catch (err) {
        if (slackError(err) === 'thread_not_found') return undefined;
        throw err;
      }
      const found = (result.messages ?? []).find((m) => carriesKey(m, stored));
      if (found?.ts) return { id: found.ts, place: { ...place } };
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  private readPage(place: Place, cursor: string | undefined) {
    const { api } = this.options;
    const target = { channel: place.channel, idempotent: true };
    const common = { channel: place.channel, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
    const thread = place.thread;
    const oldest = String(Math.floor(Date.now() / 1000) - HISTORY_WINDOW_S);
    return thread
      ? api.call('conversations.replies', target, (client) => client.conversations.replies({ ...common, ts: thread }))
      : api.call('conversations.history', target, (client) => client.conversations.history({ ...common, oldest }));
  }

  private async send(place: Place, message: SlackMessage, key: string): Promise<PostedMessage> {
    const { api, pacer } = this.options;
    await pacer.turn(place.channel);
    const known = place.thread ? this.knownThreads.get(threadId(place)) : undefined;
    let ts: string | undefined;
    try {
      const result = await api.call('chat.postMessage', { channel: place.channel }, (client) =>
        client.chat.postMessage({
          channel: place.channel,
          ...(place.thread ? { thread_ts: place.thread } : {}),
          text: message.text,
          blocks: message.blocks,
          metadata: { event_type: POST_EVENT_TYPE, event_payload: { key } },
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      ts = result.ts;
    } catch (err) {
      // Slack may have the message though we never heard back: from now on, read the thread.
      if (place.thread) this.knownThreads.delete(threadId(place));
      throw err;
    }
    if (!ts) throw new BadPayloadError('slack', 'chat.postMessage answered without a message ts');
    const posted = { id: ts, place: { ...place } };
    this.ownMessages.add(`${place.channel}/${ts}`);
    forgetOldest(this.ownMessages);
    known?.set(key, posted);
    return posted;
  }
}

function threadId(place: Place): string {
  return `${place.channel}/${place.thread ?? ''}`;
}

/** Forgets the oldest entry once a store holds more than REMEMBERED. */
function forgetOldest(store: Set<string> | Map<string, unknown>): void {
  if (store.size <= REMEMBERED) return;
  const oldest = store.keys().next().value;
  if (oldest !== undefined) store.delete(oldest);
}

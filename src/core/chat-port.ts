/**
 * The one interface through which the core reaches a chat platform, and the events platforms feed
 * back in. The core declares it; each adapter implements it. Required members are the few every
 * platform has; extras are optional, so the core asks "can you?" rather than "are you Slack?".
 * @module
 */
import type { Reply } from './reply.js';

/** Where a message goes: a channel, or a thread in it. */
export interface Place {
  workspace: string;
  /** The channel id (for Discord, a thread is a channel of its own: its id goes here). */
  channel: string;
  /** The thread within the channel, where a platform addresses threads that way (Slack's thread_ts). */
  thread?: string;
}

export interface PostedMessage {
  /** The platform's message id (a Discord snowflake, a Slack ts). */
  id: string;
  place: Place;
}

/**
 * A stable key for one step of a delivery (`digest:…:paper:2403.08295`). The same step always gets
 * the same key, so an adapter can make a retry harmless: Discord's `nonce` with `enforce_nonce`, Slack's
 * message metadata read back from the thread. Keys may be long; adapters hash them to fit.
 */
export type IdempotencyKey = string;

export interface ChatPort {
  readonly platform: string;
  /** Posts a message; resolves when the platform has it. */
  post(place: Place, reply: Reply, key: IdempotencyKey): Promise<PostedMessage>;
  /** Starts a thread on a posted message and returns where its replies go. */
  startThread(message: PostedMessage, title: string, key: IdempotencyKey): Promise<Place>;
  /**
   * Finds a message already posted with this key, for a resume after a crash between posting and
   * recording. An adapter that can only recognise the message by what it shows may answer undefined
   * here and, in the post of the same key that follows, answer with the message it finds instead.
   */
  findPosted?(place: Place, key: IdempotencyKey): Promise<PostedMessage | undefined>;
}

/** A reaction added or removed, as an adapter reports it. */
export interface ReactionEvent {
  platform: string;
  workspace: string;
  channel: string;
  messageId: string;
  user: string;
  /**
   * A unicode emoji as a character (`👍`), or a workspace's own emoji as `custom:<ref>`, the ref being
   * what the platform identifies it by (a Discord emoji's id `custom:123`, a Slack name `custom:partyparrot`).
   */
  emoji: string;
  userIsBot: boolean;
  added: boolean;
}

/** Thrown by an adapter when the platform refuses for lack of a permission: the run stops and says why. */
export class ChatPermissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChatPermissionError';
  }
}

/** A platform adapter once started: its port for outgoing posts, and how to stop it cleanly. */
export interface RunningAdapter {
  chat: ChatPort;
  stop(): Promise<void>;
  /** Is the platform connection up right now (gateway ready, socket open)? Read by the heartbeat. */
  connected?(): boolean;
}

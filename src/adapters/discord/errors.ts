/**
 * Discord's failures in Paperboy's terms: a missing permission becomes a ChatPermissionError that says
 * which permission to give, anything else an UpstreamError; start-up failures become one line.
 * @module
 */
import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, HTTPError } from 'discord.js';
import { ChatPermissionError } from '../../core/chat-port.js';
import { PaperboyError, UpstreamError, type ErrorCode } from '../../errors.js';

/** Discord's JSON error codes that mean "the bot may not do this here". */
const PERMISSION_CODES = new Set([50001, 50013]);
/** Unknown Channel: deleted, or the bot was removed from the server. */
const UNKNOWN_CHANNEL = 10003;
/** A thread already exists on this message: a retry of our own thread start. */
export const THREAD_ALREADY_CREATED = 160004;

/** What the bot was doing, to name the permission it lacks. */
export type ChatAction = 'post' | 'post-in-thread' | 'create-thread' | 'create-forum-post' | 'edit' | 'read-back';

const NEEDED: Record<ChatAction, string> = {
  post: 'give it View Channel, Send Messages and Embed Links',
  'post-in-thread': 'give it Send Messages in Threads and Embed Links',
  'create-thread': 'give it Create Public Threads',
  'create-forum-post': 'give it View Channel, Send Messages and Embed Links in the forum',
  edit: 'give it View Channel and Read Message History',
  'read-back': 'give it View Channel and Read Message History',
};

const VERB: Record<ChatAction, string> = {
  post: 'post in',
  'post-in-thread': 'post in the thread',
  'create-thread': 'create threads in',
  'create-forum-post': 'create posts in',
  edit: 'edit its messages in',
  'read-back': 'read back its messages in',
};

/** An error Discord answered with (optionally with this JSON error code). */
export function isDiscordApiError(err: unknown, code?: number): err is DiscordAPIError {
  return err instanceof DiscordAPIError && (code === undefined || err.code === code);
}

/**
 * The error to throw to the core for a failed call: ChatPermissionError with a short reason such as
 * "Paperboy cannot create threads in #papers: give it Create Public Threads", else UpstreamError.
 */
export function toChatError(err: unknown, action: ChatAction, channelName: string): Error {
  if (err instanceof DiscordAPIError) {
    if (err.status === 403 || PERMISSION_CODES.has(Number(err.code))) {
      return new ChatPermissionError(`Paperboy cannot ${VERB[action]} ${channelName}: ${NEEDED[action]}`);
    }
    if (err.code === UNKNOWN_CHANNEL) {
      return new ChatPermissionError(`Paperboy cannot see ${channelName}: it was deleted, or Paperboy was removed from the server`);
    }
    return new UpstreamError('discord', `${err.status} ${firstLine(err.message)}`, { status: err.status, cause: err });
  }
  if (err instanceof HTTPError) return new UpstreamError('discord', `${err.status} ${err.message}`, { status: err.status, cause: err });
  if (err instanceof ChatPermissionError || err instanceof PaperboyError) return err;
  return new UpstreamError('discord', networkReason(err), { cause: err });
}

/** Login failed: the one line to print. Bad tokens are `bad_input` (exit 2), the rest `upstream_unavailable` (exit 3). */
export class DiscordStartError extends PaperboyError {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'DiscordStartError';
  }
}

/** The start-up failure as one line with what to do about it. */
export function toStartError(err: unknown, apiUrl: string): DiscordStartError {
  if (err instanceof DiscordStartError) return err;
  if (err instanceof DiscordjsError && err.code === DiscordjsErrorCodes.TokenInvalid) {
    return new DiscordStartError('bad_input', 'Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the Developer Portal (Bot → Reset Token).', { cause: err });
  }
  if (err instanceof DiscordAPIError || err instanceof HTTPError) {
    return new DiscordStartError('upstream_unavailable', `Discord API at ${apiUrl} answered ${err.status}: ${firstLine(err.message)}`, { cause: err });
  }
  return new DiscordStartError('upstream_unavailable', `Cannot reach the Discord API at ${apiUrl} (${networkReason(err)}): check the network or DISCORD_API_URL.`, { cause: err });
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 200) ?? '';
}

/** `ECONNREFUSED`, `timed out`, or the message: what went wrong on the wire, briefly. */
export function networkReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 200);
  if (err.name === 'AbortError') return 'timed out';
  const cause = err.cause;
  if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
  if ('code' in err && typeof err.code === 'string') return err.code;
  return firstLine(err.message);
}

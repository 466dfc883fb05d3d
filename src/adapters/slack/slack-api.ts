/**
 * The Slack Web API as the adapter uses it: one WebClient, 429 answered by waiting Retry-After, safe
 * reads retried after network errors, and Slack's error strings turned into our errors (a missing
 * permission becomes a ChatPermissionError that says what to do).
 * @module
 */
import { webApi } from '@slack/bolt';
import { ChatPermissionError } from '../../core/chat-port.js';
import { UpstreamError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { boltLogger } from './bolt-logger.js';

export interface SlackApiOptions {
  token: string;
  /** The Web API base, e.g. `https://slack.com/api` (a trailing slash is added). */
  apiUrl: string;
  logger: Logger;
  timeoutMs?: number;
  /** How often a read (never a post) is tried again after a network error. */
  readRetries?: number;
  /** How often a call is tried again after 429; each waits Slack's Retry-After. */
  rateLimitRetries?: number;
  /** The longest Retry-After we wait; a longer one fails the call at once. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Where a call was aimed, so an error can name it. */
export interface CallTarget {
  channel?: string;
  /** Only reads are retried after a network error: a repeated post could appear twice. */
  idempotent?: boolean;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * WebClient options from the shared retry policy (Config.http) for the clients whose calls SlackApi does
 * not run (Bolt's own, and Socket Mode's connection opening): the same time limit, number of retries
 * and backoff (from 0.5 s, doubling, at most 8 s, jittered) as every other upstream call.
 */
export function webClientPolicy(http: { timeoutMs: number; retries: number }): { timeout: number; retryConfig: webApi.RetryOptions } {
  return { timeout: http.timeoutMs, retryConfig: { retries: http.retries, factor: 2, minTimeout: 500, maxTimeout: 8000, randomize: true } };
}

/** The Web API base URL as Bolt and WebClient want it: with a trailing slash. */
export function slackApiBase(apiUrl: string): string {
  return apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
}

/** A short reason and what to do (one sentence, no final period), for Slack errors that mean Paperboy lacks a permission. */
export function permissionProblem(error: string, channel: string | undefined, needed?: string): string | undefined {
  const where = channel ? `channel ${channel}` : 'that channel';
  switch (error) {
    case 'not_in_channel':
      return `Paperboy is not in ${where}: invite @Paperboy there (/invite @Paperboy), then try again`;
    case 'channel_not_found':
      return `Paperboy cannot see ${where}: for a private channel, invite @Paperboy (/invite @Paperboy); otherwise check that it still exists`;
    case 'missing_scope':
      return `The Slack app lacks the ${needed ?? 'needed'} scope: add it under OAuth & Permissions (or recreate the app from slack/manifest.yml) and reinstall it`;
    case 'is_archived':
      return `${where[0]?.toUpperCase()}${where.slice(1)} is archived: unarchive it, or subscribe another channel`;
    case 'restricted_action':
    case 'restricted_action_read_only_channel':
    case 'restricted_action_thread_only_channel':
    case 'restricted_action_non_threadable_channel':
    case 'cannot_reply_to_message':
      return `Slack does not let Paperboy post in ${where} (${error}): ask a workspace admin to allow it`;
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
    case 'not_allowed_token_type':
      return `Slack refused the bot token (${error}): set SLACK_BOT_TOKEN to the app's Bot User OAuth Token (xoxb-…) and restart`;
    default:
      return undefined;
  }
}

/** One bot token's Web API client with Paperboy's retry and error rules. */
export class SlackApi {
  readonly client: webApi.WebClient;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SlackApiOptions) {
    this.sleep = options.sleep ?? sleepFor;
    this.client = new webApi.WebClient(options.token, {
      slackApiUrl: slackApiBase(options.apiUrl),
      logger: boltLogger(options.logger),
      timeout: options.timeoutMs ?? 15_000,
      // Retries are ours: WebClient's would repeat posts after a network error, and sleep through 429 unseen.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  }

  /** Runs one Web API call with our retry rules; failures come out as ChatPermissionError or UpstreamError. */
  async call<T>(method: string, target: CallTarget, run: (client: webApi.WebClient) => Promise<T>): Promise<T> {
    const rateLimitRetries = this.options.rateLimitRetries ?? 3;
    const readRetries = target.idempotent ? (this.options.readRetries ?? 2) : 0;
    let limited = 0;
    let failed = 0;
    for (;;) {
      try {
        return await run(this.client);
      } catch (err) {
        if (err instanceof webApi.WebAPIRateLimitedError) {
          const waitMs = err.retryAfter * 1000;
          const cap = this.options.maxRetryAfterMs ?? 60_000;
          if (limited >= rateLimitRetries || waitMs > cap) {
            throw new UpstreamError('slack', `${method} rate limited (Retry-After ${err.retryAfter} s)`, { status: 429, retryAfterMs: waitMs, cause: err });
          }
          limited++;
          this.options.logger.info({ method, retryAfterMs: waitMs }, 'slack rate limited; waiting');
          await this.sleep(waitMs);
          continue;
        }
        if (err instanceof webApi.WebAPIRequestError && failed < readRetries) {
          failed++;
          await this.sleep(250 * 2 ** failed);
          continue;
        }
        throw translateError(method, target.channel, err);
      }
    }
  }
}

/** Slack's error for one call as our error. */
export function translateError(method: string, channel: string | undefined, err: unknown): Error {
  if (err instanceof webApi.WebAPIPlatformError) {
    const needed = 'needed' in err.data && typeof err.data.needed === 'string' ? err.data.needed : undefined;
    const problem = permissionProblem(err.data.error, channel, needed);
    if (problem) return new ChatPermissionError(problem);
    return new UpstreamError('slack', `${method} failed: ${err.data.error}`, { cause: err });
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    return new UpstreamError('slack', `${method} answered HTTP ${err.statusCode}`, { status: err.statusCode, cause: err });
  }
  if (err instanceof webApi.WebAPIRequestError) {
    return new UpstreamError('slack', `${method} could not reach Slack (${err.original.message})`, { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}

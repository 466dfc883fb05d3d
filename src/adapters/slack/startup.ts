/**
 * Start-up checks: who the bot token belongs to (auth.test, called by us so a failure never crashes
 * Bolt), and the one line that explains why Slack could not start.
 * @module
 */
import { webApi } from '@slack/bolt';
import { ChatPermissionError } from '../../core/chat-port.js';
import { UpstreamError } from '../../errors.js';
import type { SlackApi } from './slack-api.js';

/** Slack could not start; the message is the one line to print. */
export class SlackStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackStartError';
  }
}

export interface BotIdentity {
  userId: string;
  botId: string;
  userName: string;
  teamId: string;
  team: string;
}

const NOT_STARTED = 'Slack is not started.';

/** auth.test for the bot token; rejects with a SlackStartError that says what to fix. */
export async function whoAmI(api: SlackApi, apiUrl: string): Promise<BotIdentity> {
  let result: Awaited<ReturnType<webApi.WebClient['auth']['test']>>;
  try {
    result = await api.call('auth.test', { idempotent: true }, (client) => client.auth.test());
  } catch (err) {
    if (err instanceof ChatPermissionError) {
      throw new SlackStartError(`${err.message.replace(/ and restart$/, '')}. ${NOT_STARTED}`);
    }
    throw new SlackStartError(explainStartFailure(err, { mode: 'http', apiUrl, port: 0 }));
  }
  if (!result.user_id || !result.team_id) {
    throw new SlackStartError(`SLACK_BOT_TOKEN is not a bot token (auth.test named no bot user): use the Bot User OAuth Token (xoxb-…). ${NOT_STARTED}`);
  }
  return {
    userId: result.user_id,
    // Bolt skips its own auth.test only when both ids are known; a user token has no bot id.
    botId: result.bot_id ?? 'unknown',
    userName: result.user ?? result.user_id,
    teamId: result.team_id,
    team: result.team ?? result.team_id,
  };
}

function rootCause(err: unknown): unknown {
  return err instanceof UpstreamError && err.cause !== undefined ? err.cause : err;
}

/** One line: what failed while starting, and what to do about it. */
export function explainStartFailure(err: unknown, where: { mode: 'socket' | 'http'; apiUrl: string; port: number }): string {
  const cause = rootCause(err);
  if (cause instanceof webApi.WebAPIPlatformError) {
    const code = cause.data.error;
    if (where.mode === 'socket' && ['invalid_auth', 'not_authed', 'not_allowed_token_type', 'token_revoked'].includes(code)) {
      return `Slack refused SLACK_APP_TOKEN (${code}): create an app-level token (xapp-…) with connections:write under Basic Information → App-Level Tokens, and turn on Socket Mode. ${NOT_STARTED}`;
    }
    return `Slack answered ${code} while starting. ${NOT_STARTED}`;
  }
  if (cause instanceof webApi.WebAPIRequestError) {
    return `Slack API unreachable at ${where.apiUrl} (${cause.original.message}): check SLACK_API_URL and the network. ${NOT_STARTED}`;
  }
  if (cause instanceof webApi.WebAPIHTTPError) {
    return `Slack API at ${where.apiUrl} answered HTTP ${cause.statusCode}: check SLACK_API_URL. ${NOT_STARTED}`;
  }
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return `PORT ${where.port} is already in use: set PORT to a free port for Slack's HTTP mode. ${NOT_STARTED}`;
  if (code === 'EACCES') return `PORT ${where.port} needs privileges: use a port above 1024. ${NOT_STARTED}`;
  const message = cause instanceof Error ? cause.message : String(cause);
  return `Slack could not start (${message.split('\n')[0]}). ${NOT_STARTED}`;
}

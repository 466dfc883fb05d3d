/**
 * The Slack adapter: a Bolt app in Socket Mode (SLACK_APP_TOKEN set: no public URL needed) or HTTP
 * mode (SLACK_SIGNING_SECRET: requests at /slack/events on PORT). We call auth.test ourselves before
 * Bolt starts, so a bad token or an unreachable API ends in one clear line instead of a crash.
 * @module
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { App as PaperboyApp } from '../../app.js';
import type { Config } from '../../config.js';
import type { RunningAdapter } from '../../core/chat-port.js';
import type { Inbound } from '../../core/inbound.js';
import type { Logger } from '../../logger.js';
import { boltLogger } from './bolt-logger.js';
import { ChannelPacer } from './channel-pacer.js';
import { registerSlackListeners } from './events.js';
import { SlackPeople } from './permissions.js';
import { SlackChatPort } from './port.js';
import { SlackApi, slackApiBase, webClientPolicy } from './slack-api.js';
import { explainStartFailure, SlackStartError, whoAmI } from './startup.js';

export { SlackStartError } from './startup.js';

export interface SlackStartOptions {
  config: Config;
  inbound: Inbound;
  logger: Logger;
  /** User ids that may manage Paperboy besides workspace admins and owners. */
  adminUsers?: readonly string[];
  /** Least time between two posts in one channel; Slack allows about one a second. */
  paceMs?: number;
  /** HTTP mode's address; `config.slack.port` on all interfaces by default (port 0 picks a free one). */
  listen?: { port: number; host?: string };
  /** How long Socket Mode may take to connect before start-up gives up. */
  connectTimeoutMs?: number;
}

export interface RunningSlack extends RunningAdapter {
  mode: 'socket' | 'http';
  /** Our bot's user id and workspace, from auth.test. */
  botUserId: string;
  teamId: string;
  /** HTTP mode: where Slack's requests are received (`http://host:port/slack/events`). */
  eventsUrl?: string;
}

/**
 * Starts the Bolt app. Rejects with a SlackStartError whose message is the one line to print when
 * Slack is not configured, refuses a token, cannot be reached, or the port is taken.
 */
export async function startSlack(options: SlackStartOptions): Promise<RunningSlack> {
  const { config, inbound, logger } = options;
  const slack = config.slack;
  if (!slack) throw new SlackStartError('Slack is not configured: set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (or SLACK_SIGNING_SECRET).');
  const mode = slack.appToken ? 'socket' : 'http';

  const api = new SlackApi({
    token: slack.botToken,
    apiUrl: slack.apiUrl,
    logger,
    timeoutMs: config.http.timeoutMs,
    readRetries: config.http.retries,
    rateLimitRetries: config.http.retries,
    maxRetryAfterMs: config.http.maxRetryAfterMs,
  });
  const identity = await whoAmI(api, slack.apiUrl);

  const clientOptions = { slackApiUrl: slackApiBase(slack.apiUrl), ...webClientPolicy(config.http) };
  const log = boltLogger(logger);
  const receiver: HTTPReceiver | SocketModeReceiver = slack.appToken
    ? new SocketModeReceiver({ appToken: slack.appToken, logger: log, installerOptions: { clientOptions } })
    : new HTTPReceiver({ signingSecret: slack.signingSecret ?? '', endpoints: '/slack/events', logger: log });
  const app = new App({
    receiver,
    token: slack.botToken,
    // Known ids mean Bolt never calls auth.test itself (an unreachable API would crash it at construction).
    botId: identity.botId,
    botUserId: identity.userId,
    tokenVerificationEnabled: false,
    // Bolt's per-conversation store is unused here and costs an Error (with its stack) per event.
    convoStore: false,
    logger: log,
    clientOptions,
  });

  const chat = new SlackChatPort({ api, pacer: new ChannelPacer({ intervalMs: options.paceMs ?? 1000 }) });
  const people = new SlackPeople({ api, logger, botUserId: identity.userId, adminUsers: options.adminUsers ?? slack.adminUsers });
  registerSlackListeners(app, { inbound, chat, people, logger });

  let eventsUrl: string | undefined;
  try {
    if (receiver instanceof HTTPReceiver) {
      const listen = options.listen ?? { port: slack.port };
      const server: Server = await receiver.start({ port: listen.port, ...(listen.host ? { host: listen.host } : {}) });
      const address = server.address() as AddressInfo;
      eventsUrl = `http://${listen.host ?? 'localhost'}:${address.port}/slack/events`;
    } else {
      await withTimeout(receiver.start(), options.connectTimeoutMs ?? 30_000, 'Socket Mode did not connect');
    }
  } catch (err) {
    await stopQuietly(receiver);
    throw new SlackStartError(explainStartFailure(err, { mode, apiUrl: slack.apiUrl, port: options.listen?.port ?? slack.port }));
  }

  logger.info({ mode, team: identity.team, bot: identity.userName, eventsUrl }, `slack: connected to ${identity.team} as @${identity.userName} (${mode === 'socket' ? 'Socket Mode' : `HTTP mode, ${eventsUrl}`})`);
  return {
    chat,
    mode,
    botUserId: identity.userId,
    teamId: identity.teamId,
    ...(eventsUrl ? { eventsUrl } : {}),
    stop: () => stopQuietly(receiver),
    connected: () => (receiver instanceof SocketModeReceiver ? receiver.client.websocket?.isActive() === true : true),
  };
}

/**
 * For `paperboy start`: the Slack adapter when it is configured and starts, else nothing. A failure
 * is one error line in the log and leaves the other adapters running.
 */
export async function startConfiguredSlack(app: PaperboyApp, options: Partial<SlackStartOptions> = {}): Promise<RunningAdapter[]> {
  if (!app.config.slack) return [];
  try {
    return [await startSlack({ config: app.config, inbound: app.inbound, logger: app.logger, ...options })];
  } catch (err) {
    app.logger.error(err instanceof SlackStartError ? err.message : `Slack did not start: ${String(err)}`);
    return [];
  }
}

async function stopQuietly(receiver: HTTPReceiver | SocketModeReceiver): Promise<void> {
  try {
    if (receiver instanceof SocketModeReceiver) await receiver.client.disconnect();
    else await receiver.stop();
  } catch {
    // Stopping something that never started is fine.
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

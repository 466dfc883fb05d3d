/**
 * A fake Discord on 127.0.0.1 that speaks the real protocol: the REST routes the bot uses under
 * `/api/v10` and a gateway at `/gateway` on the same port. The real discord.js client logs in to it
 * with `rest: { api: fake.apiUrl }`. Tests push slash commands and reactions through the gateway and
 * read what the bot did from the recorded requests and state. No test framework imports: the
 * benchmark uses it too.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './gateway.js';
import { answerRest, type RestContext } from './rest.js';
import { FakeDiscordState, type InteractionRecord } from './state.js';
import { apiChannel, apiCommandInteraction, apiReaction, ChannelKind, snowflake, type FakeChannel, type FakeCommandOption, type FakeGuild, type FakeUser } from './wire.js';

export { ChannelKind, type FakeGuild, type FakeUser } from './wire.js';
export type { InteractionRecord, RecordedDiscordRequest } from './state.js';
import type { RecordedDiscordRequest } from './state.js';

export interface FakeDiscordOptions {
  token?: string;
  appId?: string;
  guilds?: FakeGuild[];
  heartbeatIntervalMs?: number;
  /** The token the gateway accepts, when it should differ from the REST API's (a token revoked in between). */
  gatewayToken?: string;
  /** Session starts left today, as `/gateway/bot` reports them (999). */
  sessionStartsRemaining?: number;
  /** The fake's clock for the nonce window (default Date.now): a test moves it to be minutes later. */
  now?: () => number;
  /** How long a nonce answers a repeat with the first message (default 5 minutes). */
  nonceWindowMs?: number;
}

/** A slash command as a user sends it. */
export interface CommandPush {
  name: string;
  options?: FakeCommandOption[];
  guildId?: string;
  channelId?: string;
  user?: FakeUser;
  /** The member's permission bits in the channel (default: none of Manage Server or Administrator). */
  permissions?: bigint;
  autocomplete?: boolean;
}

/** A reaction as a user adds or removes it. */
export interface ReactionPush {
  added: boolean;
  messageId: string;
  channelId: string;
  guildId?: string;
  user?: FakeUser;
  emoji: string | { id: string; name: string };
}

export const FAKE_TOKEN = 'fake-bot-token';
export const FAKE_APP_ID = '300000000000000001';
export const FAKE_GUILD_ID = '400000000000000001';
export const FAKE_CHANNEL_ID = '500000000000000001';
export const FAKE_FORUM_ID = '500000000000000002';
export const FAKE_USER: FakeUser = { id: '600000000000000001', username: 'reader' };

/** Everyone's ordinary permissions: view, send, read history, add reactions, use commands. */
export const MEMBER_PERMISSIONS = (1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 6n) | (1n << 31n);
export const MANAGE_GUILD = 1n << 5n;

export function defaultGuilds(): FakeGuild[] {
  return [
    {
      id: FAKE_GUILD_ID,
      name: 'Reading group',
      channels: [
        { id: FAKE_CHANNEL_ID, name: 'papers', type: ChannelKind.text },
        { id: FAKE_FORUM_ID, name: 'paper-forum', type: ChannelKind.forum },
      ],
    },
  ];
}

export class FakeDiscord {
  readonly state: FakeDiscordState;
  readonly gateway: FakeGateway;
  readonly token: string;
  readonly appId: string;
  readonly bot: FakeUser = { id: '200000000000000001', username: 'Paperboy', bot: true };
  private port = 0;
  private readonly server = createServer((req, res) => this.handle(req, res));
  private readonly restContext: RestContext;
  private readonly dropRules = new Set<(request: RecordedDiscordRequest) => boolean>();
  private readonly rateLimits: { match: (request: RecordedDiscordRequest) => boolean; retryAfterMs: number }[] = [];

  constructor(options: FakeDiscordOptions = {}) {
    this.token = options.token ?? FAKE_TOKEN;
    this.appId = options.appId ?? FAKE_APP_ID;
    const guilds = options.guilds ?? defaultGuilds();
    this.state = new FakeDiscordState(this.bot, guilds, options.now, options.nonceWindowMs);
    this.gateway = new FakeGateway({
      token: options.gatewayToken ?? this.token,
      appId: this.appId,
      bot: this.bot,
      guilds,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      url: () => this.gatewayUrl,
    });
    this.gateway.attach(this.server);
    this.restContext = {
      state: this.state,
      token: this.token,
      appId: this.appId,
      gatewayUrl: () => this.gatewayUrl,
      sessionStartsRemaining: options.sessionStartsRemaining,
      // Discord tells the bot about every new thread; discord.js caches it from this.
      onThreadCreated: (thread, guildId) =>
        this.gateway.dispatch('THREAD_CREATE', { ...apiChannel(thread, guildId, this.bot.id), newly_created: true }),
    };
  }

  /** `http://127.0.0.1:PORT/api`: DISCORD_API_URL for the bot. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  get requests() {
    return this.state.requests;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Pushes a slash command (or its autocomplete) through the gateway; the record fills as the bot answers. */
  pushCommand(push: CommandPush): InteractionRecord {
    const id = snowflake();
    const token = `itoken-${id}`;
    const channelId = push.channelId ?? FAKE_CHANNEL_ID;
    const channel: FakeChannel = this.state.channels.get(channelId)?.channel ?? { id: channelId, name: 'unknown', type: ChannelKind.text };
    const record: InteractionRecord = { id, token, dispatchedAt: performance.now(), responses: [] };
    this.state.interactions.set(id, record);
    this.gateway.dispatch(
      'INTERACTION_CREATE',
      apiCommandInteraction({
        id,
        token,
        applicationId: this.appId,
        guildId: push.guildId ?? FAKE_GUILD_ID,
        channel,
        user: push.user ?? FAKE_USER,
        permissions: String(push.permissions ?? MEMBER_PERMISSIONS),
        commandName: push.name,
        options: push.options ?? [],
        autocomplete: push.autocomplete,
      }),
    );
    return record;
  }

  pushReaction(push: ReactionPush): void {
    this.gateway.dispatch(push.added ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', this.reactionData(push));
  }

  reactionData(push: ReactionPush): Record<string, unknown> {
    return apiReaction({
      added: push.added,
      guildId: push.guildId ?? FAKE_GUILD_ID,
      channelId: push.channelId,
      messageId: push.messageId,
      user: push.user ?? FAKE_USER,
      emoji: push.emoji,
    });
  }

  /**
   * Requests matching `match` are carried out, then their connection is cut before the answer: the
   * bot cannot know whether Discord has the message (a crash between posting and recording). Returns
   * the function that ends it.
   */
  dropResponsesWhere(match: (request: RecordedDiscordRequest) => boolean): () => void {
    this.dropRules.add(match);
    return () => this.dropRules.delete(match);
  }

  /** The next request matching `match` gets a 429 asking to wait `retryAfterMs`, as Discord's rate limits do. */
  rateLimitNext(match: (request: RecordedDiscordRequest) => boolean, retryAfterMs: number): void {
    this.rateLimits.push({ match, retryAfterMs });
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const route = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const query = Object.fromEntries(url.searchParams);
      const authorization = req.headers.authorization;
      const recorded: RecordedDiscordRequest = { method: req.method ?? 'GET', route, query, authorization, body, at: performance.now() };
      this.state.requests.push(recorded);
      const limit = this.rateLimits.findIndex((r) => r.match(recorded));
      if (limit !== -1) {
        const seconds = (this.rateLimits.splice(limit, 1)[0]?.retryAfterMs ?? 0) / 1000;
        res.writeHead(429, {
          'content-type': 'application/json', 'retry-after': String(Math.ceil(seconds)), 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': String(seconds), 'x-ratelimit-bucket': 'fake-bucket', 'x-ratelimit-scope': 'user',
        }).end(JSON.stringify({ message: 'You are being rate limited.', retry_after: seconds, global: false }));
        return;
      }
      const reply = url.pathname.startsWith('/api/v10/')
        ? answerRest(this.restContext, req.method ?? 'GET', route, body, query, authorization)
        : { status: 404, body: { message: '404: Not Found', code: 0 } };
      if ([...this.dropRules].some((match) => match(recorded))) {
        res.socket?.destroy();
        return;
      }
      if (reply.body === undefined) {
        res.writeHead(reply.status).end();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  }

}

/** Starts a fake Discord on a free loopback port. */
export function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(options).listen();
}

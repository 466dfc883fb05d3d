/**
 * A fake Slack Web API on 127.0.0.1: auth.test, chat.postMessage, chat.update, conversations.replies
 * and .history (with message metadata), users.info, apps.connections.open, and response_url
 * endpoints. It records every call, keeps the messages it was sent, checks Block Kit limits the way
 * Slack refuses them, and can be told to fail, rate limit or drop the next call to a method.
 * No test framework imports: the benchmark uses it too.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BOT_SCOPES } from '../../../src/adapters/slack/manifest.js';

export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
  token: string | undefined;
  at: number;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  user: string;
  bot_id: string;
}

export interface FakeUser {
  id: string;
  name?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_bot?: boolean;
}

/** How the next call to a method goes wrong. */
export type Failure =
  | { error: string; needed?: string }
  | { status: 429; retryAfter: number }
  | { status: number }
  /** The call takes effect, then the connection is cut before the answer: a crash after "posted". */
  | { drop: true };

/** A channel the fake knows, and whether the bot is in it. */
export interface FakeChannelInfo {
  id: string;
  name: string;
  isMember: boolean;
  isPrivate?: boolean;
}

export interface FakeSlackOptions {
  /** The bot token's granted scopes, sent back in `x-oauth-scopes` (the manifest's by default). */
  scopes?: string[];
  /** Channels for conversations.info (and not_in_channel from conversations.history). */
  channels?: FakeChannelInfo[];
  botToken?: string;
  appToken?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  team?: string;
  users?: FakeUser[];
}

export interface FakeSlack {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** The Web API base to configure: `http://127.0.0.1:PORT/api`. */
  apiUrl: string;
  botToken: string;
  appToken: string;
  botUserId: string;
  teamId: string;
  calls: SlackCall[];
  messages: FakeMessage[];
  /** Bodies posted to response_url endpoints, in order. */
  responses: { id: string; body: Record<string, unknown> }[];
  /** A fresh response_url on this server. */
  responseUrl(id?: string): string;
  callsTo(method: string): SlackCall[];
  /** The next `times` calls to `method` fail this way, after `after` calls that go through. */
  failNext(method: string, failure: Failure, times?: number, options?: { after?: number }): void;
  /** chat.postMessage to this channel fails with this Slack error from now on. */
  refuseChannel(channel: string, error: string): void;
  /** What apps.connections.open hands out. */
  setSocketUrl(url: string): void;
  close(): Promise<void>;
}

const JSON_FIELDS = new Set(['blocks', 'metadata', 'attachments']);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseParams(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) params[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  return params;
}

/** The reason Slack would refuse these blocks, or undefined. */
export function blockProblem(blocks: unknown): string | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return 'blocks is not an array';
  if (blocks.length > 50) return `${blocks.length} blocks (max 50)`;
  let chars = 0;
  for (const block of blocks as Record<string, unknown>[]) {
    const texts: string[] = [];
    const text = block.text as { text?: string } | undefined;
    if (text?.text !== undefined) texts.push(text.text);
    for (const f of (block.fields as { text: string }[] | undefined) ?? []) texts.push(f.text);
    for (const e of (block.elements as { text?: string }[] | undefined) ?? []) if (e.text !== undefined) texts.push(e.text);
    if (block.type === 'header' && (text?.text?.length ?? 0) > 150) return 'header text over 150';
    if (block.type === 'section' && (text?.text?.length ?? 0) > 3000) return 'section text over 3000';
    if (block.type === 'section' && ((block.fields as unknown[] | undefined)?.length ?? 0) > 10) return 'more than 10 fields';
    chars += texts.reduce((n, t) => n + t.length, 0);
  }
  if (chars > 13_200) return `blocks hold ${chars} characters`;
  return undefined;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botToken = options.botToken ?? 'xoxb-test-token';
  const appToken = options.appToken ?? 'xapp-test-token';
  const botUserId = options.botUserId ?? 'UPAPERBOY';
  const botId = options.botId ?? 'BPAPERBOY';
  const teamId = options.teamId ?? 'T0TEAM';
  const users = new Map<string, FakeUser>((options.users ?? []).map((u) => [u.id, u]));
  const scopes = options.scopes ?? [...BOT_SCOPES];
  const channels = new Map((options.channels ?? []).map((c) => [c.id, c]));
  users.set(botUserId, { id: botUserId, name: 'paperboy', is_bot: true });
  const calls: SlackCall[] = [];
  const messages: FakeMessage[] = [];
  const responses: FakeSlack['responses'] = [];
  const failures = new Map<string, (Failure | undefined)[]>();
  const refused = new Map<string, string>();
  let socketUrl = 'ws://127.0.0.1:1/link';
  let counter = 0;
  let responseIds = 0;

  const nextTs = () => {
    counter++;
    return `${Math.floor(Date.now() / 1000)}.${String(counter).padStart(6, '0')}`;
  };
  const shown = (m: FakeMessage, withMetadata: boolean) => {
    const { metadata, ...rest } = m;
    return withMetadata && metadata ? { ...rest, metadata } : rest;
  };

  function answer(method: string, params: Record<string, unknown>, token: string | undefined): Record<string, unknown> {
    if (method === 'apps.connections.open') return token === appToken ? { ok: true, url: socketUrl } : { ok: false, error: 'invalid_auth' };
    if (token !== botToken) return { ok: false, error: 'invalid_auth' };
    const channel = String(params.channel ?? '');
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake Team', user: 'paperboy', team_id: teamId, user_id: botUserId, bot_id: botId };
      case 'chat.postMessage': {
        const problem = refused.get(channel);
        if (problem) return { ok: false, error: problem };
        const blocksProblem = blockProblem(params.blocks);
        if (blocksProblem) return { ok: false, error: 'invalid_blocks', errors: [blocksProblem] };
        if (typeof params.text === 'string' && params.text.length > 40_000) return { ok: false, error: 'msg_too_long' };
        const threadTs = typeof params.thread_ts === 'string' ? params.thread_ts : undefined;
        if (threadTs && !messages.some((m) => m.channel === channel && m.ts === threadTs)) return { ok: false, error: 'thread_not_found' };
        const message: FakeMessage = {
          channel,
          ts: nextTs(),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          text: String(params.text ?? ''),
          ...(params.blocks ? { blocks: params.blocks as unknown[] } : {}),
          ...(params.metadata ? { metadata: params.metadata as FakeMessage['metadata'] } : {}),
          user: botUserId,
          bot_id: botId,
        };
        messages.push(message);
        return { ok: true, channel, ts: message.ts, message: shown(message, false) };
      }
      case 'chat.update': {
        const message = messages.find((m) => m.channel === channel && m.ts === params.ts);
        if (!message) return { ok: false, error: 'message_not_found' };
        const blocksProblem = blockProblem(params.blocks);
        if (blocksProblem) return { ok: false, error: 'invalid_blocks', errors: [blocksProblem] };
        message.text = String(params.text ?? '');
        if (params.blocks) message.blocks = params.blocks as unknown[];
        return { ok: true, channel, ts: message.ts };
      }
      case 'conversations.replies': {
        const ts = String(params.ts ?? '');
        const parent = messages.find((m) => m.channel === channel && m.ts === ts);
        if (!parent) return { ok: false, error: 'thread_not_found' };
        const thread = [parent, ...messages.filter((m) => m.channel === channel && m.thread_ts === ts)];
        return page(thread, params);
      }
      case 'conversations.info': {
        const info = channels.get(channel);
        if (!info && !/^[CG][A-Z0-9]+$/.test(channel)) return { ok: false, error: 'channel_not_found' };
        const needed = info?.isPrivate ? 'groups:read' : 'channels:read';
        if (!scopes.includes(needed)) return { ok: false, error: 'missing_scope', needed, provided: scopes.join(',') };
        if (!info) return { ok: false, error: 'channel_not_found' };
        return {
          ok: true,
          channel: { id: info.id, name: info.name, is_channel: !info.isPrivate, is_group: false, is_private: info.isPrivate ?? false, is_archived: false, is_member: info.isMember, created: 1_700_000_000 },
        };
      }
      case 'conversations.history': {
        if (channels.get(channel)?.isMember === false) return { ok: false, error: 'not_in_channel' };
        const oldest = Number(params.oldest ?? 0);
        const top = messages.filter((m) => m.channel === channel && !m.thread_ts && Number(m.ts) >= oldest).reverse();
        return page(top, params);
      }
      case 'users.info': {
        const user = users.get(String(params.user ?? ''));
        return user ? { ok: true, user: { is_admin: false, is_owner: false, is_primary_owner: false, is_bot: false, deleted: false, ...user } } : { ok: false, error: 'user_not_found' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  function page(list: FakeMessage[], params: Record<string, unknown>): Record<string, unknown> {
    const withMetadata = params.include_all_metadata === 'true' || params.include_all_metadata === true;
    const limit = Number(params.limit ?? 100) || 100;
    const start = Number(params.cursor ?? 0) || 0;
    const slice = list.slice(start, start + limit).map((m) => shown(m, withMetadata));
    const more = start + limit < list.length;
    return { ok: true, messages: slice, has_more: more, response_metadata: { next_cursor: more ? String(start + limit) : '' } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const params = parseParams(body, req.headers['content-type']);
    if (url.pathname.startsWith('/respond/')) {
      responses.push({ id: url.pathname.slice('/respond/'.length), body: params });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof params.token === 'string' ? params.token : undefined;
    calls.push({ method, params, token, at: performance.now() });

    const failure = failures.get(method)?.shift();
    if (failure && 'drop' in failure) {
      answer(method, params, token);
      req.socket.destroy();
      return;
    }
    if (failure && 'retryAfter' in failure) {
      res.writeHead(429, { 'retry-after': String(failure.retryAfter), 'content-type': 'application/json' }).end('{"ok":false,"error":"ratelimited"}');
      return;
    }
    if (failure && 'status' in failure) {
      res.writeHead(failure.status, { 'content-type': 'text/plain' }).end('fake failure');
      return;
    }
    const result = failure && 'error' in failure ? { ok: false, ...failure } : answer(method, params, token);
    // Slack names a token's granted scopes in every Web API answer to that token.
    const granted = token === botToken ? { 'x-oauth-scopes': scopes.join(',') } : {};
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...granted }).end(JSON.stringify(result));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(`fake slack error: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    apiUrl: `${url}/api`,
    botToken,
    appToken,
    botUserId,
    teamId,
    calls,
    messages,
    responses,
    responseUrl: (id = String(++responseIds)) => `${url}/respond/${id}`,
    callsTo: (method) => calls.filter((c) => c.method === method),
    failNext(method, failure, times = 1, { after = 0 } = {}) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < after; i++) queue.push(undefined);
      for (let i = 0; i < times; i++) queue.push(failure);
      failures.set(method, queue);
    },
    refuseChannel(channel, error) {
      refused.set(channel, error);
    },
    setSocketUrl(next) {
      socketUrl = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The REST routes of the fake Discord that Paperboy's bot uses, answering as the real API does:
 * JSON bodies, `{ message, code }` errors, 401 without the bot token, 403 50013 where a permission is
 * denied, `enforce_nonce` repeats answered with the first message while the nonce window is open,
 * and channel history read back newest first (without the nonce, which Discord does not keep).
 * @module
 */
import type { FakeDiscordState } from './state.js';
import { commandsProblem, messageProblem, threadNameProblem } from './validate.js';
import { apiChannel, apiMember, apiMessage, apiRoles, apiUser, ChannelKind, snowflake, type FakeChannel } from './wire.js';

export interface RestReply {
  status: number;
  body?: unknown;
}

export interface RestContext {
  state: FakeDiscordState;
  token: string;
  appId: string;
  gatewayUrl(): string;
  /** Told when a thread appears, so the gateway can dispatch THREAD_CREATE as Discord does. */
  onThreadCreated(thread: FakeChannel, guildId: string): void;
  /** Session starts left today (`/gateway/bot`); 999 by default. */
  sessionStartsRemaining?: number;
}

type Json = Record<string, unknown>;
type Handler = (ctx: RestContext, params: string[], body: unknown, query: Record<string, string>, auth: string | undefined) => RestReply;

const ok = (body: unknown, status = 200): RestReply => ({ status, body });
const error = (status: number, code: number, message: string, detail?: string): RestReply => ({
  status,
  body: { message, code, ...(detail ? { errors: { _errors: [{ code: 'BASE_TYPE_INVALID', message: detail }] } } : {}) },
});
const invalidForm = (detail: string) => error(400, 50035, 'Invalid Form Body', detail);
const missingPermissions = () => error(403, 50013, 'Missing Permissions');
const unknownChannel = () => error(404, 10003, 'Unknown Channel');
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const routes: { method: string; pattern: RegExp; auth: boolean; handle: Handler }[] = [
  {
    method: 'GET',
    pattern: /^\/gateway\/bot$/,
    auth: true,
    handle: (ctx) =>
      ok({ url: ctx.gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: ctx.sessionStartsRemaining ?? 999, reset_after: 14_400_000, max_concurrency: 1 } }),
  },
  { method: 'GET', pattern: /^\/users\/@me$/, auth: true, handle: (ctx) => ok(apiUser(ctx.state.bot)) },
  {
    method: 'GET',
    pattern: /^\/oauth2\/applications\/@me$/,
    auth: true,
    handle: (ctx) => ok({ id: ctx.appId, name: 'Paperboy', icon: null, description: '', bot_public: true, bot_require_code_grant: false, flags: 0, bot: apiUser(ctx.state.bot) }),
  },
  { method: 'GET', pattern: /^\/applications\/(\d+)\/commands$/, auth: true, handle: (c, p) => getCommands(c, p[0], undefined) },
  { method: 'GET', pattern: /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, auth: true, handle: (c, p) => getCommands(c, p[0], p[1]) },
  {
    method: 'GET',
    pattern: /^\/guilds\/(\d+)$/,
    auth: true,
    handle: (ctx, [id]) => {
      const guild = ctx.state.guilds.find((g) => g.id === id);
      return guild ? ok({ id: guild.id, name: guild.name, owner_id: '100000000000000001', roles: apiRoles(guild), features: [] }) : error(404, 10004, 'Unknown Guild');
    },
  },
  {
    method: 'GET',
    pattern: /^\/guilds\/(\d+)\/members\/(\d+)$/,
    auth: true,
    handle: (ctx, [guildId, userId]) => {
      const guild = ctx.state.guilds.find((g) => g.id === guildId);
      if (!guild) return error(404, 10004, 'Unknown Guild');
      if (userId !== ctx.state.bot.id) return error(404, 10007, 'Unknown Member');
      const { permissions: _none, ...member } = apiMember(ctx.state.bot, '0');
      return ok({ ...member, roles: (guild.botRoles ?? []).map((r) => r.id) });
    },
  },
  {
    method: 'GET',
    pattern: /^\/channels\/(\d+)$/,
    auth: true,
    handle: (ctx, [id]) => {
      const found = ctx.state.channels.get(id ?? '');
      return found ? ok(apiChannel(found.channel, found.guildId, ctx.state.bot.id)) : unknownChannel();
    },
  },
  { method: 'GET', pattern: /^\/channels\/(\d+)\/messages$/, auth: true, handle: readMessages },
  { method: 'GET', pattern: /^\/guilds\/(\d+)\/threads\/active$/, auth: true, handle: activeThreads },
  { method: 'POST', pattern: /^\/channels\/(\d+)\/messages$/, auth: true, handle: postMessage },
  { method: 'PATCH', pattern: /^\/channels\/(\d+)\/messages\/(\d+)$/, auth: true, handle: editMessage },
  { method: 'POST', pattern: /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/, auth: true, handle: threadFromMessage },
  { method: 'POST', pattern: /^\/channels\/(\d+)\/threads$/, auth: true, handle: forumPost },
  { method: 'POST', pattern: /^\/interactions\/(\d+)\/([^/]+)\/callback$/, auth: false, handle: interactionCallback },
  { method: 'PATCH', pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, auth: false, handle: (c, p, b) => webhookMessage(c, p, b, 'edit-original') },
  { method: 'DELETE', pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, auth: false, handle: (c, p, b) => webhookMessage(c, p, b, 'delete-original') },
  { method: 'POST', pattern: /^\/webhooks\/(\d+)\/([^/]+)$/, auth: false, handle: (c, p, b) => webhookMessage(c, p, b, 'followup') },
  { method: 'PUT', pattern: /^\/applications\/(\d+)\/commands$/, auth: true, handle: (c, p, b) => putCommands(c, p[0], undefined, b) },
  { method: 'PUT', pattern: /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, auth: true, handle: (c, p, b) => putCommands(c, p[0], p[1], b) },
];

/** Answers one request to `/api/v10{route}`. */
export function answerRest(ctx: RestContext, method: string, route: string, body: unknown, query: Record<string, string>, auth: string | undefined): RestReply {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(route);
    if (!m) continue;
    if (r.auth && auth !== `Bot ${ctx.token}`) return error(401, 0, '401: Unauthorized');
    return r.handle(ctx, m.slice(1).map((s) => decodeURIComponent(s)), body, query, auth);
  }
  return error(404, 0, '404: Not Found');
}

function postMessage(ctx: RestContext, [channelId = '']: string[], body: unknown): RestReply {
  const found = ctx.state.channels.get(channelId);
  if (!found) return unknownChannel();
  if (found.channel.type === ChannelKind.forum) return error(400, 50008, 'Cannot send messages in a non-text channel');
  const denied = ctx.state.isThread(found.channel) ? ctx.state.isDenied(found.channel.parentId ?? '', 'post') || ctx.state.isDenied(channelId, 'post') : ctx.state.isDenied(channelId, 'post');
  if (denied) return missingPermissions();
  const problem = messageProblem(body);
  if (problem) return invalidForm(problem);
  const message = body as Json;
  const nonce = message.nonce === undefined ? undefined : String(message.nonce);
  if (nonce !== undefined && message.enforce_nonce === true) {
    const earlier = ctx.state.messageForNonce(ctx.state.bot.id, nonce);
    if (earlier) {
      ctx.state.repeatedNonces.push(nonce);
      return ok(apiMessage({ id: earlier.id, channelId: earlier.channelId, guildId: earlier.guildId, author: ctx.state.bot, body: earlier.body }));
    }
  }
  const id = snowflake();
  ctx.state.messages.set(id, { id, channelId, guildId: found.guildId, body: message });
  if (nonce !== undefined) ctx.state.rememberNonce(ctx.state.bot.id, nonce, id);
  return ok(apiMessage({ id, channelId, guildId: found.guildId, author: ctx.state.bot, body: message }));
}

const SNOWFLAKE = /^\d{1,20}$/;

/**
 * `GET /channels/{id}/messages`: at most `limit` (1 to 100, default 50) messages, newest first, before
 * or after a message id. Without View Channel, 403; without Read Message History, Discord answers with
 * no messages at all rather than an error.
 */
function readMessages(ctx: RestContext, [channelId = '']: string[], _body: unknown, query: Record<string, string>): RestReply {
  const found = ctx.state.channels.get(channelId);
  if (!found) return unknownChannel();
  const parent = found.channel.parentId ?? '';
  const denied = (action: 'view' | 'read-history') => ctx.state.isDenied(channelId, action) || (ctx.state.isThread(found.channel) && ctx.state.isDenied(parent, action));
  if (denied('view')) return error(403, 50001, 'Missing Access');
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalidForm('limit: int value should be between 1 and 100');
  for (const name of ['before', 'after', 'around'] as const) {
    if (query[name] !== undefined && !SNOWFLAKE.test(query[name])) return invalidForm(`${name}: value "${query[name]}" is not snowflake`);
  }
  if (denied('read-history')) return ok([]);
  const all = ctx.state.messagesIn(channelId).sort((a, b) => compareIds(a.id, b.id));
  let page: typeof all;
  if (query.after !== undefined) {
    const after = query.after;
    page = all.filter((m) => compareIds(m.id, after) > 0).slice(0, limit);
  } else {
    const before = query.before;
    const older = before === undefined ? all : all.filter((m) => compareIds(m.id, before) < 0);
    page = older.slice(-limit);
  }
  return ok(
    page.reverse().map((m) => {
      const { nonce: _dropped, ...body } = m.body;
      const thread = m.channelId !== m.id ? ctx.state.channels.get(m.id) : undefined;
      const message = apiMessage({ id: m.id, channelId: m.channelId, guildId: m.guildId, author: ctx.state.authorOf(m), body });
      // A message a thread was started on carries that thread.
      return thread ? { ...message, thread: apiChannel(thread.channel, thread.guildId, ctx.state.bot.id) } : message;
    }),
  );
}

/** `GET /guilds/{id}/threads/active`: the guild's threads that are not archived, forum posts included. */
function activeThreads(ctx: RestContext, [guildId = '']: string[]): RestReply {
  if (!ctx.state.guilds.some((g) => g.id === guildId)) return error(404, 10004, 'Unknown Guild');
  const threads = [...ctx.state.channels.values()].filter((c) => c.guildId === guildId && ctx.state.isThread(c.channel));
  return ok({ threads: threads.map((c) => apiChannel(c.channel, guildId, ctx.state.bot.id)), members: [] });
}

function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function editMessage(ctx: RestContext, [channelId = '', messageId = '']: string[], body: unknown): RestReply {
  const existing = ctx.state.messages.get(messageId);
  if (!existing || existing.channelId !== channelId) return error(404, 10008, 'Unknown Message');
  const problem = messageProblem(body, { requireContent: false });
  if (problem) return invalidForm(problem);
  const updated = { ...existing.body, ...(body as Json) };
  ctx.state.messages.set(messageId, { ...existing, body: updated });
  return ok(apiMessage({ id: messageId, channelId, guildId: existing.guildId, author: ctx.state.bot, body: updated }));
}

function threadFromMessage(ctx: RestContext, [channelId = '', messageId = '']: string[], body: unknown): RestReply {
  const found = ctx.state.channels.get(channelId);
  if (!found) return unknownChannel();
  if (ctx.state.isDenied(channelId, 'thread')) return missingPermissions();
  if (!ctx.state.messages.has(messageId)) return error(404, 10008, 'Unknown Message');
  const name = isObject(body) ? body.name : undefined;
  const problem = threadNameProblem(name);
  if (problem) return invalidForm(problem);
  // A thread on a message has the message's id, and a message has at most one thread.
  if (ctx.state.channels.has(messageId)) return error(400, 160004, 'A thread has already been created for this message');
  const thread: FakeChannel = {
    id: messageId,
    name: String(name),
    type: found.channel.type === ChannelKind.announcement ? ChannelKind.announcementThread : ChannelKind.publicThread,
    parentId: channelId,
  };
  ctx.state.addThread(thread, found.guildId);
  ctx.onThreadCreated(thread, found.guildId);
  return ok(apiChannel(thread, found.guildId, ctx.state.bot.id), 201);
}

/** `POST /channels/{forum}/threads` with a starter message: a forum post, whose first message has the thread's id. */
function forumPost(ctx: RestContext, [channelId = '']: string[], body: unknown): RestReply {
  const found = ctx.state.channels.get(channelId);
  if (!found) return unknownChannel();
  if (found.channel.type !== ChannelKind.forum) return invalidForm('message: only forum channels take a starter message here');
  if (ctx.state.isDenied(channelId, 'forum-post')) return missingPermissions();
  if (!isObject(body)) return invalidForm('body: not an object');
  const problem = threadNameProblem(body.name) ?? messageProblem(body.message);
  if (problem) return invalidForm(problem);
  const id = snowflake();
  const thread: FakeChannel = { id, name: String(body.name), type: ChannelKind.publicThread, parentId: channelId };
  ctx.state.addThread(thread, found.guildId);
  const message = body.message as Json;
  ctx.state.messages.set(id, { id, channelId: id, guildId: found.guildId, body: message });
  ctx.onThreadCreated(thread, found.guildId);
  return ok({ ...apiChannel(thread, found.guildId, ctx.state.bot.id), message: apiMessage({ id, channelId: id, guildId: found.guildId, author: ctx.state.bot, body: message }) }, 201);
}

function interactionCallback(ctx: RestContext, [id = '', token = '']: string[], body: unknown, query: Record<string, string>): RestReply {
  const record = ctx.state.interactions.get(id);
  if (!record || record.token !== token) return error(404, 10062, 'Unknown interaction');
  if (performance.now() - record.dispatchedAt > 3000) return error(404, 10062, 'Unknown interaction');
  if (record.responses.some((r) => r.kind === 'callback')) return error(400, 40060, 'Interaction has already been acknowledged.');
  if (!isObject(body) || typeof body.type !== 'number') return invalidForm('type: required');
  if (body.type === 4) {
    const problem = messageProblem(body.data);
    if (problem) return invalidForm(problem);
  }
  record.responses.push({ kind: 'callback', body, afterMs: performance.now() - record.dispatchedAt });
  if (query.with_response === 'true') return ok({ interaction: { id, type: 2 }, resource: { type: body.type } });
  return { status: 204 };
}

function webhookMessage(ctx: RestContext, [appId = '', token = '']: string[], body: unknown, kind: 'edit-original' | 'delete-original' | 'followup'): RestReply {
  if (appId !== ctx.appId) return error(404, 10015, 'Unknown Webhook');
  const record = [...ctx.state.interactions.values()].find((r) => r.token === token);
  if (!record) return error(404, 10015, 'Unknown Webhook');
  if (!record.responses.some((r) => r.kind === 'callback')) return error(404, 10015, 'Unknown Webhook');
  if (kind !== 'delete-original') {
    const problem = messageProblem(body, { requireContent: kind === 'followup' });
    if (problem) return invalidForm(problem);
  }
  record.responses.push({ kind, body: isObject(body) ? body : undefined, afterMs: performance.now() - record.dispatchedAt });
  if (kind === 'delete-original') return { status: 204 };
  return ok(apiMessage({ id: snowflake(), channelId: '0', author: ctx.state.bot, body: isObject(body) ? body : {}, webhookId: ctx.appId, applicationId: ctx.appId }));
}

/** The commands as last registered in that scope, with the ids Discord gave them. */
function getCommands(ctx: RestContext, appId: string | undefined, guildId: string | undefined): RestReply {
  if (appId !== ctx.appId) return error(403, 50001, 'Missing Access');
  const last = ctx.state.commandRegistrations.filter((r) => r.guildId === guildId).at(-1);
  return ok(Array.isArray(last?.response) ? last.response : []);
}

function putCommands(ctx: RestContext, appId: string | undefined, guildId: string | undefined, body: unknown): RestReply {
  if (appId !== ctx.appId) return error(403, 50001, 'Missing Access');
  const problem = commandsProblem(body);
  if (problem) return invalidForm(problem);
  const list = body as Json[];
  const response = list.map((c) => ({ ...c, id: snowflake(), application_id: appId, version: snowflake(), ...(guildId ? { guild_id: guildId } : {}) }));
  ctx.state.commandRegistrations.push({ guildId, body, response });
  return ok(response);
}
